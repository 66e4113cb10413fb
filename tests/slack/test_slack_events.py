"""Events: a mention gets a thread reply; watched channels are checked, quietly when all is fine; App Home."""

from support.slack_harness import TEAM, WATCHED, blocks_text

from bot.slack import ids
from bot.slack.blocks import needs_attention

BAIT = "Comment YES if you agree! Like and share with everyone! #a #b #c #d #e #f #g #h #i #j #k #l"
FINE = ("Last spring our support team cut first-reply time from 9 hours to 40 minutes.\n\n"
        "What changed was not headcount. We stopped routing every ticket through one queue and let product "
        "specialists pick up questions in their area.\n\n"
        "The lesson for me: speed came from ownership, not pressure.\n\n"
        "How do you organise support in your team?")  # fmt: skip


def test_mention_gets_the_report_in_thread(slack, fake_slack, store):
    ts = "1700000001.000200"
    resp = slack.event({"type": "app_mention", "user": "U1", "channel": "C1", "ts": ts,
                        "text": f"<@UBOT> linkedin {BAIT}"})  # fmt: skip
    assert resp.status == 200 and resp.elapsed < 3
    (reply,) = fake_slack.wait_for("chat.postMessage")
    assert reply.payload["channel"] == "C1" and reply.payload["thread_ts"] == ts
    assert "Meant for: LinkedIn" in blocks_text(reply) and ":warning:" in blocks_text(reply)
    assert [p.platform for p in store.list_posts(workspace=TEAM)] == ["linkedin"]


def test_watched_channel_answers_in_thread_and_stays_quiet_when_fine(slack, fake_slack, store, service):
    assert needs_attention(service.check(BAIT)) and not needs_attention(service.check(FINE))
    slack.message(FINE, ts="1700000002.000001")
    slack.message(BAIT, ts="1700000002.000002")
    slack.idle()
    (reply,) = fake_slack.of("chat.postMessage")
    assert reply.payload["thread_ts"] == "1700000002.000002" and reply.payload["channel"] == WATCHED
    assert len(store.list_posts(workspace=TEAM)) == 2  # both checked and recorded


def test_watched_channel_ignores_bots_edits_replies_and_other_channels(slack, fake_slack, store):
    slack.message(BAIT, bot_id="B2")
    slack.message(BAIT, subtype="message_changed")
    slack.message(BAIT, thread_ts="1700000000.000001")
    slack.message(BAIT, channel="COTHER")
    slack.idle()
    assert fake_slack.of("chat.postMessage") == [] and store.list_posts(workspace=TEAM) == []


def test_a_mention_in_a_watched_channel_is_answered_once(slack, fake_slack):
    ts, text = "1700000003.000001", f"<@UBOT> {BAIT}"
    slack.message(text, ts=ts)
    slack.event({"type": "app_mention", "user": "U1", "channel": WATCHED, "ts": ts, "text": text})
    slack.idle()
    assert len(fake_slack.of("chat.postMessage")) == 1


def test_app_home_shows_figures_settings_guide_and_admin_controls(slack, fake_slack, store):
    slack.message(BAIT)
    slack.idle()
    slack.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    slack.event({"type": "app_home_opened", "user": "UADMIN", "channel": "D2", "tab": "home"})
    published = {c.payload["user_id"]: c.payload["view"] for c in fake_slack.wait_for("views.publish", 2)}
    mine = str(published["U1"])
    assert "1 draft checked" in mine and "Scarcity" in mine and "LinkedIn" in mine
    assert ids.ACT_WATCHED_CHANNELS not in mine and ids.ACT_WATCHED_CHANNELS in str(published["UADMIN"])
    assert published["U1"]["type"] == "home"


def test_admins_choose_watched_channels_in_app_home(slack, fake_slack, store):
    def choose(user):
        return slack.interaction({"type": "block_actions", "view": {"id": "V1", "type": "home"},
                                  "container": {"type": "view", "view_id": "V1"},
                                  "actions": [{"type": "multi_conversations_select", "action_id":
                                               ids.ACT_WATCHED_CHANNELS, "block_id": ids.BLK_WATCHED,
                                               "selected_conversations": ["CNEW"], "action_ts": "1"}]},
                                 user=user)  # fmt: skip

    choose("U1")
    slack.idle()
    assert store.get_watched_channels(TEAM) == []
    choose("UADMIN")
    slack.idle()
    assert store.get_watched_channels(TEAM) == ["CNEW"]
    fake_slack.reset()
    slack.message(BAIT, channel="CNEW", ts="1700000004.000001")
    (reply,) = fake_slack.wait_for("chat.postMessage")
    assert reply.payload["channel"] == "CNEW"
