"""build_digest on a real SQLite store seeded with posts at known times: counts, week edges in Paris, privacy,
fit and its change, principles, anti-patterns, the best post, the tip, copy-paste pairs, the empty week."""

from __future__ import annotations

import json
from datetime import timedelta

import numpy as np
import pytest
from digest_helpers import post, report, unit, utc

from bot.digest import build_digest
from bot.digest.period import week_bounds
from bot.knowledge import pick

PARIS = "Europe/Paris"
WEEK = week_bounds(utc(2024, 6, 5, 12), PARIS)  # Monday 3 June 00:00 → Monday 10 June 00:00, Paris time
NEXT_WEEK = week_bounds(utc(2024, 6, 12, 12), PARIS)
SECRET = "Confidential: our Berlin store opens on 14 June, tell nobody before the press day."


@pytest.fixture
def week_store(store):
    store.add_posts([
        post("li1", "linkedin", "Last spring our support team cut first-reply time from 9 hours to 40 minutes.",
             utc(2024, 6, 3, 8), fit=80, rep=report("linkedin", 80, principles=["social_proof", "scarcity"],
                                                    antipatterns=["engagement_bait.comment-keyword"], reuse=[])),
        post("ig-sunday", "instagram", "Sunday night drop: 12 bags, numbered, link in bio.", utc(2024, 6, 9, 21, 30),
             fit=40, status="draft", rep=report("instagram", 40, principles=["scarcity"], reuse=[],
                                                findings=["instagram.link-in-caption", "instagram.hook-before-more"])),
        post("ig-wed", "instagram", "New colours on www.example.com/bags today.", utc(2024, 6, 5, 9), fit=50,
             status="draft", rep=report("instagram", 50, findings=["instagram.link-in-caption"], reuse=[])),
        post("ig-monday", "instagram", "Monday: the numbered bags are back.", utc(2024, 6, 9, 22, 30), fit=90,
             rep=report("instagram", 90, reuse=[])),  # 00:30 on Monday in Paris: next week
        post("li-prev", "linkedin", "What we learned hiring our first support lead.", utc(2024, 5, 29, 9), fit=70,
             rep=report("linkedin", 70, reuse=[])),
        post("ig-prev", "instagram", "Behind the scenes at the workshop.", utc(2024, 5, 30, 9), fit=60,
             rep=report("instagram", 60, reuse=[])),
        post("secret", "linkedin", SECRET, utc(2024, 6, 4, 9), channel="CPRIV", private=True, fit=95,
             rep=report("linkedin", 95, principles=["unity"], reuse=[])),
        post("other", "x", "Our Lyon team is hiring two engineers.", utc(2024, 6, 6, 9), channel="COTHER", fit=30,
             rep=report("x", 30, reuse=[])),
    ])  # fmt: skip
    return store


def everything(d) -> str:
    return json.dumps(d.to_dict(), ensure_ascii=False) + d.text()


def test_a_week_runs_from_monday_to_monday_in_paris(week_store, digest_kb):
    d = build_digest(week_store, digest_kb, *WEEK, channel="CTEAM", tz=PARIS)
    assert d.posts == 3 and d.by_platform == {"instagram": 2, "linkedin": 1}  # Sunday 23:30 is in, Monday 00:30 out
    assert (d.drafts, d.published) == (2, 1)
    following = build_digest(week_store, digest_kb, *NEXT_WEEK, channel="CTEAM", tz=PARIS)
    assert following.posts == 1 and following.best.id == "ig-monday"


def test_a_private_channel_is_never_seen_from_another_channel_or_the_workspace(week_store, digest_kb):
    team = build_digest(week_store, digest_kb, *WEEK, channel="CTEAM", tz=PARIS)
    workspace = build_digest(week_store, digest_kb, *WEEK, tz=PARIS)
    for d in (team, workspace):
        assert "Confidential" not in everything(d) and "secret" not in json.dumps(d.to_dict())
    assert workspace.posts == 4 and workspace.by_platform == {"instagram": 2, "linkedin": 1, "x": 1}
    private = build_digest(week_store, digest_kb, *WEEK, channel="CPRIV", tz=PARIS)
    assert private.posts == 1 and private.best.id == "secret" and private.most_used[0].id == "unity"


def test_fit_per_platform_and_its_change_since_the_previous_week(week_store, digest_kb):
    d = build_digest(week_store, digest_kb, *WEEK, channel="CTEAM", tz=PARIS)
    fit = d.to_dict()["stats"]["fit"]
    assert fit["linkedin"] == {"posts": 1, "avg": 80.0, "previous": 70.0, "change": 10.0}
    assert fit["instagram"] == {"posts": 2, "avg": 45.0, "previous": 60.0, "change": -15.0}
    assert "▲ +10" in d.text() and "▼ −15" in d.text()


def test_principles_antipatterns_and_best_post(week_store, digest_kb):
    d = build_digest(week_store, digest_kb, *WEEK, channel="CTEAM", tz=PARIS)
    assert [(c.id, c.posts) for c in d.most_used] == [("scarcity", 2), ("social_proof", 1)]
    assert [c.posts for c in d.least_used] == [0, 0, 0]
    assert [(c.id, c.name, c.posts) for c in d.antipatterns] == [("engagement_bait", "Engagement bait", 1)]
    assert d.best.id == "li1" and d.best.fit == 80 and d.best.quote.startswith("Last spring")


def test_the_tip_is_the_weakest_platforms_most_frequent_general_rule(week_store, digest_kb):
    d = build_digest(week_store, digest_kb, *WEEK, channel="CTEAM", tz=PARIS)
    rules = {r.id: r for r in digest_kb.platforms["instagram"].rules}
    # link-in-caption is more frequent, but its message quotes one post's link ("%s"): the next rule is used
    assert d.weakest.id == "instagram" and d.tip.source == "instagram.hook-before-more"
    assert d.tip.text == pick(rules["instagram.hook-before-more"].message, "en")
    french = build_digest(week_store, digest_kb, *WEEK, channel="CTEAM", lang="fr", tz=PARIS)
    assert french.tip.text == pick(rules["instagram.hook-before-more"].message, "fr")
    assert "Bilan de la semaine" in french.text()


def test_without_findings_the_tip_is_a_norm_of_the_platform(week_store, digest_kb):
    d = build_digest(week_store, digest_kb, *WEEK, channel="COTHER", tz=PARIS)
    assert d.tip.source == "norms.hook" and d.tip.text == pick(digest_kb.platforms["x"].norms["hook"], "en")


def test_an_empty_week_says_so_in_a_friendly_line(week_store, digest_kb):
    d = build_digest(week_store, digest_kb, *week_bounds(utc(2024, 7, 3), PARIS), channel="CTEAM", tz=PARIS)
    assert d.empty and d.copy_paste == 0
    blocks = d.blocks()
    assert [b["type"] for b in blocks] == ["header", "section", "context"]
    assert blocks[1]["text"]["text"].startswith("Quiet week: no posts were checked or published in this channel")
    assert "Platform fit" not in d.text() and d.chart_png() is None


# Copy-paste ------------------------------------------------------------------------------------------------------

BAKERY = ("Our Lyon bakery opens on Saturday 15 June at 8am. The first 100 visitors get a free croissant. "
          "Come early and bring a friend!")  # fmt: skip
BAKERY_EDIT = ("Our Lyon bakery opens its doors on Saturday 15 June at 8am. The first 100 guests receive a free "
               "croissant. Come early and bring your friends!")  # fmt: skip
OTHER_DAY = "Our Lyon bakery opens on Sunday 23 June at 7am. The first 50 visitors get a free coffee."
SAILS = "Meet our 12 new bags made from recycled sails, each one numbered. Pre-orders open Monday."
WORKSHOP = "Free pricing workshop on Thursday with 40 founders. Bring one question about your prices."


def near(v: np.ndarray, cos: float, seed: int) -> np.ndarray:
    w = cos * v + np.sqrt(1 - cos**2) * unit(seed)
    return (w / np.linalg.norm(w)).astype(np.float32)


@pytest.fixture
def copy_store(store):
    vec = unit(5)

    def at(hours):
        return utc(2024, 6, 4, 9) + timedelta(hours=hours)

    store.add_posts([
        # 1. the same text on Instagram as last week's Facebook post (trivial edits: hashtags, emoji): a copy
        post("fb-sails", "facebook", SAILS, utc(2024, 5, 30, 9), rep=report("facebook", 60, reuse=[])),
        post("ig-sails", "instagram", SAILS.upper() + " #bags ✨", at(0), rep=report("instagram", 45, reuse=[])),
        # 2. the same text twice on one platform is not cross-platform copy-paste
        post("x-sails", "x", "Crew update: " + WORKSHOP, at(1)),
        post("x-sails-2", "x", "Crew update: " + WORKSHOP, at(2)),
        # 3. a light edit found when the draft was checked (stored verdict), then a real adaptation for Threads
        post("li-work", "linkedin", WORKSHOP + " Register on our site.", at(3), rep=report("linkedin", 70, reuse=[])),
        post("th-work", "threads", WORKSHOP + " Sign up on our site.", at(4), status="draft",
             rep=report("threads", 50, reuse=[("li-work", "linkedin", 0.93, "light_edit")])),
        post("th-work-2", "threads", "Pricing questions? 40 founders, Thursday, free. Yours?", at(5),
             rep=report("threads", 85, reuse=[("li-work", "linkedin", 0.74, "adapted")])),
        # 4. posts imported without a report are compared here: embeddings, then the reuse rules
        post("fb-bakery", "facebook", BAKERY, at(6), vector=vec),
        post("li-bakery", "linkedin", BAKERY_EDIT, at(7), vector=near(vec, 0.9, 6)),
        post("ig-other-day", "instagram", OTHER_DAY, at(8), vector=near(vec, 0.9, 7)),  # other numbers: not reuse
        # 5. a copy made after the week is not this week's
        post("li-sails-late", "linkedin", SAILS, utc(2024, 6, 12, 9)),
        # 6. a copy in a private channel is not counted in the team's digest, nor its original in the private one
        post("priv-sails", "tiktok", SAILS, at(9), channel="CPRIV", private=True),
    ])  # fmt: skip
    return store


def test_copy_paste_pairs_are_counted_across_platforms_only(copy_store, digest_kb):
    d = build_digest(copy_store, digest_kb, *WEEK, channel="CTEAM", tz=PARIS)
    found = {(p.a, p.b, p.kind) for p in d.caught}
    assert found == {("fb-sails", "ig-sails", "copy"), ("li-work", "th-work", "light_edit"),
                     ("fb-bakery", "li-bakery", "light_edit")}  # fmt: skip
    assert d.copy_paste == 3 and d.to_dict()["stats"]["copy_paste"] == 3
    assert d.copy_paste_adapted == 1 and [p.b for p in d.caught if p.adapted_later] == ["th-work"]
    assert d.judged >= 1  # the imported posts were judged at digest time
    private = build_digest(copy_store, digest_kb, *WEEK, channel="CPRIV", tz=PARIS)
    assert private.posts == 1 and private.copy_paste == 0


def test_copy_paste_section_lists_pairs_with_their_platforms(copy_store, digest_kb):
    d = build_digest(copy_store, digest_kb, *WEEK, channel="CTEAM", tz=PARIS)
    section = next(b["text"]["text"] for b in d.blocks() if "Copy-paste caught" in b.get("text", {}).get("text", ""))
    assert "*3* cross-platform pairs (1 copy, 2 light edits); 1 then adapted" in section
    assert "Facebook → Instagram (copy)" in section and "LinkedIn → Threads (light edit ✓)" in section


def test_blocks_stay_within_slack_limits(copy_store, digest_kb):
    from bot.digest.model import CaughtPair

    d = build_digest(copy_store, digest_kb, *WEEK, channel="CTEAM", tz=PARIS)
    d.caught = [CaughtPair(f"a{i}", "facebook", f"b{i}", "instagram", "copy", 1.0, False, "x" * 80)
                for i in range(2000)]  # fmt: skip
    d.tip.text = "Long advice. " * 400
    blocks = d.blocks()
    assert len(blocks) <= 50 and len(blocks[0]["text"]["text"]) <= 150
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert "…and 1,995 more" in json.dumps(blocks, ensure_ascii=False)


def test_the_chart_is_a_png_and_its_alt_text_has_the_numbers(week_store, digest_kb):
    d = build_digest(week_store, digest_kb, *WEEK, channel="CTEAM", tz=PARIS)
    png = d.chart_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    assert d.chart_alt() == ("Average platform fit (0–100), this week vs the previous one: "
                             "Instagram 45 (before: 60); LinkedIn 80 (before: 70).")  # fmt: skip
