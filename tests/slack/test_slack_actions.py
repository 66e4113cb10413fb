"""Buttons under a report: rewrite, mark as published (recorded for reuse detection), share in channel."""

from support.slack_harness import TEAM, blocks_text

from bot.slack import ids

DRAFT = ("Only 50 seats left for our free workshop on Thursday: 2,000 founders have already joined our community. "
         "Save yours now!")  # fmt: skip


def report_buttons(slack, fake_slack) -> dict:
    slack.command(ids.CMD_DRAFT_CHECK, f"linkedin {DRAFT}", response="report")
    (answer,) = fake_slack.wait_for("response_url", path="/response/report")
    return {e["action_id"]: e["value"] for b in answer.payload["blocks"] if b["type"] == "actions"
            for e in b["elements"]}  # fmt: skip


def test_rewrite_button(slack, fake_slack):
    buttons = report_buttons(slack, fake_slack)
    action = next(a for a in buttons if a.startswith(ids.ACT_REWRITE + ":"))
    slack.block_action(action, buttons[action], response="rewrite")
    (answer,) = fake_slack.wait_for("response_url", path="/response/rewrite")
    assert answer.payload["response_type"] == "ephemeral" and "Rewrite for" in blocks_text(answer)


def test_mark_as_published_records_the_post(slack, fake_slack, store):
    buttons = report_buttons(slack, fake_slack)
    action = ids.with_platform(ids.ACT_PUBLISH, "linkedin")
    slack.block_action(action, buttons[action], response="published")
    (answer,) = fake_slack.wait_for("response_url", path="/response/published")
    assert "Recorded as published on LinkedIn" in blocks_text(answer)
    (post,) = store.list_posts(workspace=TEAM)
    assert (post.status, post.platform) == ("published", "linkedin")


def test_share_in_channel_posts_the_report_for_everyone(slack, fake_slack):
    buttons = report_buttons(slack, fake_slack)
    slack.block_action(ids.ACT_SHARE, buttons[ids.ACT_SHARE], response="shared")
    (answer,) = fake_slack.wait_for("response_url", path="/response/shared")
    assert answer.payload["response_type"] == "in_channel"
    shown = blocks_text(answer)
    assert "<@U1> shared" in shown and "Best fit" in shown
    assert not [b for b in answer.payload["blocks"] if b["type"] == "actions"]
    assert "similar" not in shown  # the draft is not reported as a copy of its own record
