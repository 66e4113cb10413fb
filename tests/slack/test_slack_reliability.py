"""Verification, retries, the 3-second ack, failures that still answer kindly, secrets kept out of logs."""

import logging
import time

from support.slack_harness import BOT_TOKEN, SECRET, TEAM, blocks_text

from bot.errors import StorageError
from bot.slack import ids

DRAFT = ("Only 50 seats left for our free workshop on Thursday: 2,000 founders have already joined our community. "
         "Save yours now!")  # fmt: skip


def test_forged_or_replayed_requests_get_401(slack, fake_slack):
    assert slack.command(ids.CMD_DRAFT_CHECK, DRAFT, secret="not-the-secret").status == 401
    assert slack.command(ids.CMD_DRAFT_CHECK, DRAFT, timestamp=int(time.time()) - 6 * 60).status == 401
    slack.idle()
    assert fake_slack.calls == []


def test_health_check(slack):
    resp = slack.get("/healthz")
    assert (resp.status, resp.body) == (200, "ok\n")


def test_retries_and_repeated_events_never_answer_twice(slack, fake_slack):
    event = {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "1700000010.000001",
             "text": f"<@UBOT> {DRAFT}"}
    assert slack.event(event, event_id="Ev1").status == 200
    retry = slack.event(event, event_id="Ev1", headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason":
                                                        "http_timeout"})  # fmt: skip
    assert retry.status == 200
    assert slack.event(event, event_id="Ev1").status == 200  # a redelivery without the header
    slack.command(ids.CMD_DRAFT_CHECK, DRAFT, headers={"X-Slack-Retry-Num": "1"})
    slack.idle()
    assert len(fake_slack.of("chat.postMessage")) == 1 and fake_slack.of("response_url") == []


def test_a_slow_engine_is_still_acked_in_time(slack, fake_slack, service, monkeypatch):
    check = service.check

    def slow_check(*args, **kwargs):
        time.sleep(4)
        return check(*args, **kwargs)

    monkeypatch.setattr(service, "check", slow_check)
    resp = slack.command(ids.CMD_DRAFT_CHECK, DRAFT)
    assert resp.status == 200 and resp.elapsed < 3, f"ack took {resp.elapsed:.2f}s"
    (answer,) = fake_slack.wait_for("response_url", timeout=60)
    assert "Best fit" in blocks_text(answer) and answer.at - fake_slack.calls[0].at >= 0


def test_database_down_the_check_still_answers(slack, fake_slack, store, monkeypatch):
    def down(*args, **kwargs):
        raise StorageError("database sqlite:///x.db: cannot record the draft: disk I/O error")

    for method in ("add_checked", "iter_embeddings", "get_user_platforms"):
        monkeypatch.setattr(store, method, down)
    slack.command(ids.CMD_DRAFT_CHECK, DRAFT)
    (answer,) = fake_slack.wait_for("response_url")
    shown = blocks_text(answer)
    assert "Best fit" in shown and "Couldn't save this check" in shown and "Copy-paste check skipped" in shown


def test_an_engine_crash_is_an_apology_not_a_traceback(slack, fake_slack, service, monkeypatch, caplog):
    def crash(*args, **kwargs):
        raise RuntimeError("boom in /srv/internal/path")

    monkeypatch.setattr(service, "check", crash)
    slack.command(ids.CMD_DRAFT_CHECK, DRAFT)
    (answer,) = fake_slack.wait_for("response_url")
    shown = blocks_text(answer)
    assert "Sorry" in shown and "boom" not in shown and "Traceback" not in shown
    slack.idle()
    assert "boom in /srv/internal/path" in caplog.text


def test_secrets_never_reach_the_logs(slack, fake_slack, caplog):
    caplog.set_level(logging.DEBUG)
    slack.command(ids.CMD_DRAFT_CHECK, DRAFT)
    slack.command(ids.CMD_DRAFT_CHECK, DRAFT, secret="forged")
    fake_slack.wait_for("response_url")
    slack.idle()
    assert any(c.headers.get("Authorization") == f"Bearer {BOT_TOKEN}" for c in fake_slack.calls)
    assert caplog.records and SECRET not in caplog.text and BOT_TOKEN not in caplog.text


def test_checks_are_recorded_with_the_channel_privacy(slack, fake_slack, store):
    fake_slack.private_channels.add("CPRIV")
    slack.command(ids.CMD_DRAFT_CHECK, DRAFT, channel="CPRIV", channel_name="secret-launch")
    slack.command(ids.CMD_DRAFT_CHECK, DRAFT, channel="GOLD", channel_name="privategroup", response="g")
    fake_slack.wait_for("response_url", 2)
    assert {(p.channel, p.channel_private) for p in store.list_posts(workspace=TEAM)} == {("CPRIV", True),
                                                                                         ("GOLD", True)}
