"""Reuse is scoped: a draft in workspace W / channel C only sees posts of W, and a private channel's posts only
inside that channel. Copy-paste warnings link to the original message."""

from support.slack_harness import blocks_text

from bot.slack import ids

ORIGINAL = ("Our spring collection is here: 12 new bags made from recycled sails, each one numbered. "
            "Pre-orders open Monday at 9am on our site.")  # fmt: skip


def post_original(slack, fake_slack, team: str, channel: str):
    slack.interaction({"type": "message_action", "callback_id": ids.SC_CHECK_MESSAGE, "channel": {"id": channel},
                       "message": {"type": "message", "user": "U2", "text": ORIGINAL, "ts": "1700000100.000001"},
                       "response_url": fake_slack.response_url("original")}, team=team)  # fmt: skip
    fake_slack.wait_for("response_url", path="/response/original")
    slack.idle()


def reuse_seen(slack, fake_slack, team: str, channel: str, name: str) -> str:
    slack.command(ids.CMD_DRAFT_CHECK, f"instagram {ORIGINAL}", team=team, channel=channel, response=name)
    (answer,) = fake_slack.wait_for("response_url", path=f"/response/{name}")
    return blocks_text(answer)


def test_a_post_of_one_workspace_is_never_reported_in_another(slack, fake_slack):
    post_original(slack, fake_slack, "T1", "C1")
    same_team = reuse_seen(slack, fake_slack, "T1", "C2", "t1")
    assert ":rotating_light:" in same_team and "similar" in same_team
    assert "https://team.slack.com/archives/C1/p1700000100000001" in same_team  # a link to the original
    other_team = reuse_seen(slack, fake_slack, "T2", "C2", "t2")
    assert "similar" not in other_team and "archives/C1" not in other_team


def test_a_private_channel_post_stays_in_its_channel(slack, fake_slack):
    fake_slack.private_channels.add("CPRIV")
    post_original(slack, fake_slack, "T1", "CPRIV")
    elsewhere = reuse_seen(slack, fake_slack, "T1", "C1", "public")
    assert "similar" not in elsewhere and "CPRIV" not in elsewhere
    inside = reuse_seen(slack, fake_slack, "T1", "CPRIV", "inside")
    assert "similar" in inside and "archives/CPRIV" in inside
