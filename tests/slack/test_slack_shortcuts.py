"""Shortcuts and their modals: on a message ("Check this draft", "Check this outreach") and global."""

from support.slack_harness import TEAM, blocks_text

from bot.slack import ids

DRAFT = ("Only 50 seats left for our free workshop on Thursday: 2,000 founders have already joined our community. "
         "Save yours now!")  # fmt: skip
OUTREACH = "Hi! Send us your rates for 3 posts and 5 stories. We need them live next week."


def message_shortcut(slack, callback_id: str, text: str, channel: str = "C1"):
    return slack.interaction({"type": "message_action", "callback_id": callback_id, "channel": {"id": channel},
                              "message": {"type": "message", "user": "U2", "text": text, "ts": "1700000000.000100"},
                              "message_ts": "1700000000.000100", "response_url": slack.fake.response_url("sc")})


def test_check_this_draft_answers_privately_and_records_with_the_permalink(slack, fake_slack, store):
    resp = message_shortcut(slack, ids.SC_CHECK_MESSAGE, DRAFT)
    assert resp.status == 200 and resp.elapsed < 3
    (answer,) = fake_slack.wait_for("response_url")
    assert answer.payload["response_type"] == "ephemeral" and "Best fit" in blocks_text(answer)
    (post,) = store.list_posts(workspace=TEAM)
    assert post.author == "U2" and post.channel == "C1"
    assert post.permalink == "https://team.slack.com/archives/C1/p1700000000000100"


def test_check_this_outreach(slack, fake_slack):
    message_shortcut(slack, ids.SC_CHECK_OUTREACH, OUTREACH)
    (answer,) = fake_slack.wait_for("response_url")
    shown = blocks_text(answer)
    assert "Outreach check" in shown and "Warnings" in shown and "send us your rates" in shown.lower()


def test_check_a_draft_modal_then_a_direct_message(slack, fake_slack, store):
    store.set_user_platforms(TEAM, "U1", ["linkedin"])
    resp = slack.interaction({"type": "shortcut", "callback_id": ids.SC_CHECK_DRAFT})
    assert resp.status == 200
    (opened,) = fake_slack.wait_for("views.open")
    view = opened.payload["view"]
    assert view["callback_id"] == ids.VIEW_CHECK_DRAFT
    platforms = next(b for b in view["blocks"] if b.get("block_id") == ids.BLK_PLATFORMS)
    assert [o["value"] for o in platforms["element"]["initial_options"]] == ["linkedin"]

    def values(text):
        return {ids.BLK_DRAFT: {ids.IN_DRAFT: {"type": "plain_text_input", "value": text}},
                ids.BLK_PLATFORMS: {ids.IN_PLATFORMS: {"selected_options": [{"value": "instagram"}]}}}

    refused = slack.submit_view(ids.VIEW_CHECK_DRAFT, values("   "))
    assert '"response_action":"errors"' in refused.body.replace(" ", "") and ids.BLK_DRAFT in refused.body
    accepted = slack.submit_view(ids.VIEW_CHECK_DRAFT, values(DRAFT))
    assert accepted.status == 200 and accepted.body == "" and accepted.elapsed < 3
    (dm,) = fake_slack.wait_for("chat.postMessage")
    assert dm.payload["channel"] == "U1"
    assert "Meant for: Instagram" in blocks_text(dm)
    (post,) = store.list_posts(workspace=TEAM)
    assert post.platform == "instagram" and post.channel is None
