"""The Slack Web API answering 429 (with Retry-After) or 500: the app and the digest retry with backoff
(slack_sdk's retry handlers, bot/slack/client.py), and when Slack keeps failing they log it and carry on."""

from __future__ import annotations

import logging

from sqlalchemy import text as sql
from support.slack_harness import blocks_text

from bot.digest.schedule import DigestJobs
from bot.digest.send import web_client
from bot.slack import ids

DRAFT = ("Only 50 seats left for our free workshop on Thursday: 2,000 founders have already joined our community. "
         "Save yours now!")  # fmt: skip


def mention(slack, ts: str):
    return slack.event({"type": "app_mention", "user": "U1", "channel": "C1", "ts": ts, "text": f"<@UBOT> {DRAFT}"})


def gaps(calls) -> list[float]:
    return [b.at - a.at for a, b in zip(calls, calls[1:])]


def test_rate_limited_answer_is_retried_after_retry_after(slack, fake_slack):
    fake_slack.fail("chat.postMessage", status=429, retry_after=1, times=2)
    assert mention(slack, "1700000001.000001").status == 200
    calls = fake_slack.wait_for("chat.postMessage", 3)
    slack.idle()
    assert [c.status for c in calls] == [429, 429, 200]
    assert all(g >= 1.0 for g in gaps(calls)), gaps(calls)  # Retry-After honoured
    assert "Best fit" in blocks_text(calls[-1]) and calls[-1].payload["thread_ts"] == "1700000001.000001"


def test_server_errors_are_retried_with_backoff_then_logged(slack, fake_slack, caplog):
    caplog.set_level(logging.INFO)
    fake_slack.fail("chat.postMessage", status=500)
    assert mention(slack, "1700000002.000001").status == 200
    slack.idle(120)
    calls = fake_slack.of("chat.postMessage")
    # the report, then the apology: each tried once and retried twice, the waits growing
    assert [c.status for c in calls] == [500] * 6
    answer_gaps = gaps(calls[:3])
    assert answer_gaps[0] >= 0.5 and answer_gaps[1] >= 1.0, answer_gaps
    assert "Slack mention failed" in caplog.text and "could not send the answer to Slack" in caplog.text
    assert "internal_error" in caplog.text

    fake_slack.clear()  # Slack is back: the app did not crash and answers the next request
    assert slack.get("/healthz").status == 200
    slack.command(ids.CMD_DRAFT_CHECK, DRAFT)
    (answer,) = fake_slack.wait_for("response_url")
    assert "Best fit" in blocks_text(answer)


def digest_runs(store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sql("SELECT COUNT(*) FROM digest_runs")).scalar()


def test_digest_retries_a_rate_limit_then_posts(slack_env, fake_slack, slack_settings, service, store):
    fake_slack.fail("chat.postMessage", status=429, retry_after=0, times=1)
    jobs = DigestJobs(slack_settings, service, store, lambda channel: web_client(slack_settings))
    result = jobs.run("CTEAM")
    assert result is not None and result.status == "sent"
    assert [c.status for c in fake_slack.of("chat.postMessage")] == [429, 200]
    assert digest_runs(store) == 1


def test_digest_gives_up_on_server_errors_logs_and_frees_the_week(slack_env, fake_slack, slack_settings, service,
                                                                   store, caplog):  # fmt: skip
    caplog.set_level(logging.WARNING)
    fake_slack.fail("chat.postMessage", status=500)
    jobs = DigestJobs(slack_settings, service, store, lambda channel: web_client(slack_settings))
    assert jobs.run("CTEAM") is None  # no scheduler here: logged, not retried later
    assert len(fake_slack.of("chat.postMessage", status=500)) == 3
    assert "weekly digest for CTEAM failed: the digest for CTEAM was not posted: internal_error" in caplog.text
    assert digest_runs(store) == 0  # the week is free for the next attempt
    fake_slack.clear()
    assert jobs.run("CTEAM").status == "sent"
