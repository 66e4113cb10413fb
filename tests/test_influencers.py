"""Creator check (quality over reach) and outreach check (relationships over transactions), both languages."""

import json

import pytest

from bot.cli import main
from bot.errors import UsageError
from bot.influencers import OutreachChecker, creator_check


def test_healthy_niche_creator_has_no_flags_and_gets_the_niche_note(kb):
    r = creator_check(kb, "instagram", 8000, 420, 35)
    assert r.band in ("typical", "above")
    assert r.flags == []
    assert r.notes and "niche" in r.notes[0].lower()
    assert r.engagement_rate == pytest.approx(455 / 8000)


def test_inflated_account_is_flagged(kb):
    r = creator_check(kb, "instagram", 900_000, 1200, 3)
    assert r.band == "far_below"
    rules = {f.rule for f in r.flags}
    assert "creator.engagement-far-below" in rules and "creator.comments-low" in rules


def test_views_far_below_followers_on_a_views_platform(kb):
    r = creator_check(kb, "tiktok", 500_000, 20000, 400, avg_views=4000)
    assert "creator.views-low" in {f.rule for f in r.flags}


def test_french_messages(kb):
    r = creator_check(kb, "instagram", 900_000, 1200, 3, lang="fr")
    assert "abonnés" in r.flags[0].message or "likes" in r.flags[0].message


@pytest.mark.parametrize(
    "followers, likes, comments, message",
    [("-5", "1", "1", "negative"), ("abc", "1", "1", "not a number"), ("0", "1", "1", "more than zero"),
     ("100", "5000", "1", "more than 10x")],
)  # fmt: skip
def test_invalid_numbers(kb, followers, likes, comments, message):
    with pytest.raises(UsageError, match=message):
        creator_check(kb, "instagram", followers, likes, comments)


def test_creator_cli_json_contract(capsys, service, monkeypatch):
    monkeypatch.setattr("bot.cli._service", lambda args: service)
    code = main(["creator", "--platform", "instagram", "--followers", "12k", "--avg-likes", "600",
                 "--avg-comments", "40", "--format", "json"])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {"schema", "platform", "followers", "engagement_rate", "band", "flags"} <= set(out)
    assert out["followers"] == 12000 and out["engagement_rate"] == pytest.approx(640 / 12000, abs=1e-5)
    code = main(["creator", "--platform", "myspace", "--followers", "1", "--avg-likes", "1", "--avg-comments", "1"])
    assert code == 2


@pytest.fixture(scope="module")
def outreach(service):
    return OutreachChecker(service.analyzer)


TRANSACTIONAL = {
    "en": "Hi, we need 3 posts and 5 stories next month. Send us your rates and your media kit. Thanks.",
    "fr": "Bonjour, il nous faut 3 posts et 5 stories le mois prochain. Envoyez-nous vos tarifs et votre kit média.",
}
RELATIONAL = {
    "en": ("Hi Léa! I loved your video on repairing old bikes, especially the part about reusing parts. We make "
           "repair kits and would love to build something with you over the year, in your own words and format. "
           "It would be a paid partnership, clearly labelled #ad."),
    "fr": ("Bonjour Léa ! J'ai adoré ta vidéo sur la réparation des vieux vélos. Nous fabriquons des kits de "
           "réparation et aimerions construire un partenariat au long cours avec toi, à ta façon. Ce serait un "
           "partenariat rémunéré, mentionné comme tel."),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_transactional_brief_gets_warnings(outreach, lang):
    findings = outreach.check(TRANSACTIONAL[lang], lang)
    rules = {f.rule for f in findings}
    assert "outreach.transactional" in rules
    assert "outreach.missing-knows-creator" in rules
    for f in findings:
        if f.start is not None:
            assert 0 <= f.start < f.end <= len(TRANSACTIONAL[lang])


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_relationship_first_message_is_clean(outreach, lang):
    findings = outreach.check(RELATIONAL[lang], lang)
    assert not [f for f in findings if f.severity in ("warning", "error")], findings
