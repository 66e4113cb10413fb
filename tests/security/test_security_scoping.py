"""History scoping on the surfaces that summarise it: the digest preview (/crowdculture digest), App Home and the
"Check a draft" modal never show another workspace's posts, nor a private channel's posts outside it, not even
as a count. (Reuse warnings in channels are covered in tests/slack/test_slack_scoping.py.)"""

from __future__ import annotations

import json
from datetime import timedelta

import numpy as np
from support.slack_harness import blocks_text

from bot.digest.aggregate import build_digest
from bot.history.schema import utcnow
from bot.history.store import PostIn
from bot.slack import ids

PUBLIC = "Public launch ALPHAWORD: twelve bags made from old sails, numbered, on sale Monday."
PRIVATE = "Secret launch BRAVOWORD: the autumn range lands in October, tell nobody yet."
OTHER = "Other workspace CHARLIEWORD: our bakery opens a second shop in Lyon next week."


def report(platform: str, fit: int, reuse=()) -> dict:
    return {"schema": 1, "id": None, "language": "en", "best_platform": platform, "targets": [platform],
            "platforms": [{"id": platform, "name": platform, "fit": fit, "culture": 0.5, "findings": []}],
            "principles": [], "antipatterns": [], "rewrites": {},
            "reuse": [{"post_id": p, "platform": pl, "similarity": 1.0, "kind": "copy"} for p, pl in reuse]}


def vector(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
    return v / np.linalg.norm(v)


def seed_history(store) -> None:
    """Checked drafts of the last days: one public and three private (T1, by U1), one in another workspace."""
    now = utcnow()
    store.add_posts([
        PostIn("pub", "linkedin", PUBLIC, "T1", "C1", False, "U1", "draft", now - timedelta(days=1), None, vector(1),
               "en", 70, report("linkedin", 70)),
        *[PostIn(f"priv{i}", "instagram", f"{PRIVATE} ({i})", "T1", "CPRIV", True, "U1", "draft",
                 now - timedelta(days=1, hours=i), None, vector(10 + i), "en", 95, report("instagram", 95))
          for i in range(3)],
        PostIn("other", "facebook", OTHER, "T2", "C9", False, "U9", "draft", now - timedelta(days=2), None, vector(3),
               "en", 99, report("facebook", 99)),
    ])  # fmt: skip


def preview(slack, fake_slack, team: str, channel: str, name: str) -> str:
    slack.command(ids.CMD_CROWDCULTURE, "digest", team=team, channel=channel, response=name)
    (answer,) = fake_slack.wait_for("response_url", path=f"/response/{name}")
    return blocks_text(answer)


def test_digest_preview_shows_only_the_workspaces_public_posts(slack, fake_slack, store):
    seed_history(store)
    public = preview(slack, fake_slack, "T1", "C1", "t1")
    assert "ALPHAWORD" in public  # the best public post is quoted: the preview does show posts…
    assert "BRAVOWORD" not in public and "CHARLIEWORD" not in public  # …but never these
    other = preview(slack, fake_slack, "T2", "C9", "t2")
    assert "CHARLIEWORD" in other and "ALPHAWORD" not in other and "BRAVOWORD" not in other
    inside = preview(slack, fake_slack, "T1", "CPRIV", "priv")  # CPRIV has no digest of its own (digest.channels)
    assert "BRAVOWORD" not in inside


def test_workspace_digest_does_not_reveal_a_copy_of_a_private_post(store, kb):
    """A private post copied to a public channel: the public post is counted, the private original is not, so the
    digest does not reveal that the text came from a private channel."""
    now = utcnow()
    store.add_posts([
        PostIn("secret", "linkedin", PRIVATE, "T1", "CPRIV", True, "U1", "published", now - timedelta(days=3), None,
               vector(20), "en"),
        PostIn("leak", "x", PRIVATE, "T1", "C1", False, "U1", "published", now - timedelta(days=1), None, vector(20),
               "en"),
        PostIn("pub-a", "linkedin", PUBLIC, "T1", "C1", False, "U1", "published", now - timedelta(days=4), None,
               vector(21), "en"),
        PostIn("pub-b", "facebook", PUBLIC, "T1", "C1", False, "U1", "published", now - timedelta(days=2), None,
               vector(21), "en"),
    ])  # fmt: skip
    digest = build_digest(store, kb, now - timedelta(days=7), now, workspace="T1")
    assert digest.posts == 3  # leak, pub-a, pub-b: the private original is not read
    assert [(c.a, c.b) for c in digest.caught] == [("pub-a", "pub-b")]  # public copy-paste is still caught
    shown = json.dumps(digest.to_dict(), ensure_ascii=False, default=str)
    assert '"secret"' not in shown and "CPRIV" not in shown


def home(slack, fake_slack, team: str, user: str) -> str:
    before = len(fake_slack.of("views.publish"))
    slack.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}, team=team)
    calls = fake_slack.wait_for("views.publish", before + 1)
    return json.dumps(calls[-1].payload["view"], ensure_ascii=False)


def test_app_home_counts_only_what_the_person_may_see(slack, fake_slack, store):
    seed_history(store)
    author = home(slack, fake_slack, "T1", "U1")
    assert "You, last 7 days*\\n4 drafts checked" in author  # the author's own drafts, private ones included
    colleague = home(slack, fake_slack, "T1", "U2")
    assert "Your team, last 7 days*\\n1 draft checked" in colleague  # the private channel's three are not counted
    assert "Instagram: average fit" not in colleague
    elsewhere = home(slack, fake_slack, "T2", "U8")
    assert "Your team, last 7 days*\\n1 draft checked" in elsewhere and "LinkedIn: average fit" not in elsewhere
    for view in (author, colleague, elsewhere):
        assert not any(word in view for word in ("ALPHAWORD", "BRAVOWORD", "CHARLIEWORD"))  # never a post's text


def test_check_a_draft_modal_never_matches_private_posts(slack, fake_slack, store, service):
    """A draft typed in the modal belongs to no channel: it is compared with the workspace's public posts only."""
    now = utcnow()
    report_of = service.check(PRIVATE)
    store.add_posts([PostIn("secret", "linkedin", PRIVATE, "T1", "CPRIV", True, "U1", "published",
                            now - timedelta(days=1), None, report_of.embedding, "en")])  # fmt: skip
    values = {ids.BLK_DRAFT: {ids.IN_DRAFT: {"type": "plain_text_input", "value": PRIVATE}}}
    slack.submit_view(ids.VIEW_CHECK_DRAFT, values, user="U2")
    (dm,) = fake_slack.wait_for("chat.postMessage")
    shown = blocks_text(dm)
    assert "Best fit" in shown and "similar" not in shown and "CPRIV" not in shown
    fake_slack.private_channels.add("CPRIV")  # the same draft inside that channel does see its post
    slack.command(ids.CMD_DRAFT_CHECK, PRIVATE, channel="CPRIV", response="inside")
    (inside,) = fake_slack.wait_for("response_url", path="/response/inside")
    assert "similar" in blocks_text(inside)
