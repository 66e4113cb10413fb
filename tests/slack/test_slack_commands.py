"""Slash commands over real HTTP: acked at once, answered on the response_url, recorded in the store."""

import json

from support.slack_harness import TEAM, blocks_text

from bot.slack import ids

DRAFT = ("Only 50 seats left for our free workshop on Thursday: 2,000 founders have already joined our community. "
         "Save yours now!")  # fmt: skip


def digest_available() -> bool:
    try:
        import bot.digest.render  # noqa: F401
    except ImportError:
        return False
    return True


def action_ids(call) -> list[str]:
    return [e["action_id"] for b in call.payload["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_draft_check_reports_privately_with_buttons_and_records_the_draft(slack, fake_slack, store):
    resp = slack.command(ids.CMD_DRAFT_CHECK, f"linkedin {DRAFT}")
    assert resp.status == 200 and resp.elapsed < 3
    (answer,) = fake_slack.wait_for("response_url")
    assert answer.payload["response_type"] == "ephemeral"
    shown = blocks_text(answer)
    assert "Best fit" in shown and "LinkedIn" in shown and "Scarcity" in shown
    buttons = action_ids(answer)
    assert ids.ACT_SHARE in buttons
    assert ids.with_platform(ids.ACT_PUBLISH, "linkedin") in buttons
    assert 2 <= sum(b.startswith(ids.ACT_REWRITE + ":") for b in buttons) <= 3
    assert len(answer.payload["blocks"]) <= 50
    (post,) = store.list_posts(workspace=TEAM)
    assert (post.status, post.channel, post.channel_private, post.platform, post.author) == (
        "draft", "C1", False, "linkedin", "U1")


def test_unknown_platform_and_empty_text_get_a_usage_message(slack, fake_slack):
    slack.command(ids.CMD_DRAFT_CHECK, "   ", response="empty")
    slack.command(ids.CMD_DRAFT_CHECK, "linkdin Our new bags are here", response="typo")
    slack.command(ids.CMD_DRAFT_REWRITE, "myspace Our new bags are here", response="rewrite")
    answers = {c.path.rsplit("/", 1)[1]: c for c in fake_slack.wait_for("response_url", 3)}
    assert "empty" in blocks_text(answers["empty"]) and "/draft-check" in blocks_text(answers["empty"])
    typo = blocks_text(answers["typo"])
    assert "unknown platform" in typo and "did you mean linkedin" in typo
    assert "unknown platform" in blocks_text(answers["rewrite"]) and "instagram" in blocks_text(answers["rewrite"])
    assert all(a.payload["response_type"] == "ephemeral" for a in answers.values())


def test_draft_rewrite_answers_with_the_rewrite(slack, fake_slack):
    slack.command(ids.CMD_DRAFT_REWRITE, f"instagram {DRAFT}")
    (answer,) = fake_slack.wait_for("response_url")
    assert "Rewrite for Instagram" in blocks_text(answer)
    assert ids.ACT_SHARE in action_ids(answer)


def test_crowdculture_help_settings_and_digest(slack, fake_slack, store):
    slack.command(ids.CMD_CROWDCULTURE, "help", response="help")
    slack.command(ids.CMD_CROWDCULTURE, "digest", response="digest")
    assert slack.command(ids.CMD_CROWDCULTURE, "settings", response="settings").status == 200
    (opened,) = fake_slack.wait_for("views.open")
    assert opened.payload["view"]["callback_id"] == ids.VIEW_SETTINGS
    answers = {c.path.rsplit("/", 1)[1]: c for c in fake_slack.wait_for("response_url", 2)}
    assert "/draft-check" in blocks_text(answers["help"])
    digest = blocks_text(answers["digest"])
    assert "Sorry" not in digest
    assert ("Preview of the last 7 days" if digest_available() else "not available yet") in digest

    # Saving the modal stores the defaults; the next check without platforms uses them.
    values = {ids.BLK_PLATFORMS: {ids.IN_PLATFORMS: {"type": "multi_static_select", "selected_options": [
        {"value": "instagram"}, {"value": "tiktok"}]}}}  # fmt: skip
    resp = slack.submit_view(ids.VIEW_SETTINGS, values)
    assert resp.status == 200 and resp.body == ""
    assert store.get_user_platforms(TEAM, "U1") == ["instagram", "tiktok"]
    fake_slack.wait_for("views.publish")
    slack.command(ids.CMD_DRAFT_CHECK, DRAFT, response="after")
    (after,) = fake_slack.wait_for("response_url", path="/response/after")
    assert "Meant for" in blocks_text(after) and "Instagram" in blocks_text(after)


def test_creator_check_opens_a_form_and_sends_the_result(slack, fake_slack):
    slack.command(ids.CMD_CREATOR_CHECK, "")
    (opened,) = fake_slack.wait_for("views.open")
    assert opened.payload["view"]["callback_id"] == ids.VIEW_CREATOR

    def submit(followers: str):
        values = {ids.BLK_PLATFORM: {ids.IN_PLATFORM: {"selected_option": {"value": "instagram"}}},
                  ids.BLK_FOLLOWERS: {ids.IN_FOLLOWERS: {"value": followers}},
                  ids.BLK_LIKES: {ids.IN_LIKES: {"value": "900"}},
                  ids.BLK_COMMENTS: {ids.IN_COMMENTS: {"value": "12"}},
                  ids.BLK_VIEWS: {ids.IN_VIEWS: {"value": None}}}  # fmt: skip
        return slack.submit_view(ids.VIEW_CREATOR, values)

    bad = submit("lots")
    assert bad.status == 200 and json.loads(bad.body)["response_action"] == "errors"
    assert ids.BLK_FOLLOWERS in json.loads(bad.body)["errors"]
    assert submit("120k").status == 200
    (dm,) = fake_slack.wait_for("chat.postMessage")
    assert dm.payload["channel"] == "U1" and "Engagement" in blocks_text(dm)
