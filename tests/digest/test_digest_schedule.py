"""The weekly job inside `serve`: APScheduler cron jobs per channel, and "once per week" across replicas.

Two schedulers stand for two replicas (or a restart): each has its own store connection to the same database and
its own Slack client; both jobs are made due now and run concurrently; the stand-in Slack must receive exactly
one chat.postMessage. Waits are conditions with deadlines.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from digest_helpers import post, report
from sqlalchemy import text

from bot.digest import start_digest_scheduler
from bot.digest.period import last_week
from bot.history.store import PostStore

PARIS = "Europe/Paris"
JOB = "digest:CTEAM"


@pytest.fixture
def digest_settings(settings, db_url):
    digest = dataclasses.replace(settings.digest, channels=["CTEAM"], timezone=PARIS, day="mon", time="09:00")
    return dataclasses.replace(settings, database_url=db_url, digest=digest)


@pytest.fixture
def last_weeks_posts(store):
    since, _ = last_week(datetime.now(timezone.utc), PARIS)
    store.add_posts([
        post("fb", "facebook", "Our 12 numbered bags are back on Monday.", since + timedelta(days=1), fit=60,
             rep=report("facebook", 60, reuse=[])),
        post("ig", "instagram", "Our 12 numbered bags are back on Monday! #bags", since + timedelta(days=2), fit=40,
             rep=report("instagram", 40, reuse=[("fb", "facebook", 0.97, "copy")])),
    ])  # fmt: skip
    return store


class Finished:
    """Collects job events from schedulers; `wait(n)` blocks until n jobs finished or the deadline passes."""

    def __init__(self):
        self.events, self.cond = [], threading.Condition()

    def __call__(self, event):
        with self.cond:
            self.events.append(event)
            self.cond.notify_all()

    def wait(self, n: int, timeout: float = 30.0) -> list:
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.events) < n:
                left = deadline - time.monotonic()
                assert left > 0, f"only {len(self.events)} of {n} digest jobs finished within {timeout}s"
                self.cond.wait(left)
            return list(self.events)


@pytest.fixture
def schedulers(digest_settings, digest_kb, slack):
    started, stores = [], []
    finished = Finished()

    def start():
        store = PostStore(digest_settings.db_url)
        stores.append(store)
        scheduler = start_digest_scheduler(digest_settings, SimpleNamespace(kb=digest_kb), store, None)
        scheduler.add_listener(finished, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        started.append(scheduler)
        return scheduler

    yield start, finished
    for scheduler in started:
        scheduler.shutdown(wait=True)
    for store in stores:
        store.close()


def run_now(scheduler, job_id: str = JOB) -> None:
    scheduler.get_job(job_id).modify(next_run_time=datetime.now(timezone.utc))


def test_one_cron_job_per_channel_from_the_settings(digest_settings, digest_kb, store, slack):
    settings = dataclasses.replace(digest_settings, digest=dataclasses.replace(
        digest_settings.digest, channels=["C1", "C2"], day="fri", time="17:30", misfire_grace_s=600))  # fmt: skip
    scheduler = start_digest_scheduler(settings, SimpleNamespace(kb=digest_kb), store, lambda channel: None)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"digest:C1", "digest:C2"}
        job = jobs["digest:C1"]
        assert job.misfire_grace_time == 600 and job.coalesce is True
        nxt = job.next_run_time
        assert (nxt.weekday(), nxt.hour, nxt.minute, str(nxt.tzinfo)) == (4, 17, 30, PARIS)
    finally:
        scheduler.shutdown(wait=False)


def test_the_digest_is_off_without_channels_when_disabled_or_without_a_token(digest_settings, store, monkeypatch,
                                                                            caplog):  # fmt: skip
    off = dataclasses.replace(digest_settings.digest, enabled=False)
    none = dataclasses.replace(digest_settings.digest, channels=[])
    for digest in (off, none):
        assert start_digest_scheduler(dataclasses.replace(digest_settings, digest=digest),
                                      SimpleNamespace(), store, None) is None  # fmt: skip
    assert start_digest_scheduler(digest_settings, SimpleNamespace(), None, None) is None  # no post store
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    assert start_digest_scheduler(digest_settings, SimpleNamespace(), store, None) is None
    assert "weekly digest off: SLACK_BOT_TOKEN is not set" in caplog.text


def test_two_schedulers_post_the_same_week_exactly_once(last_weeks_posts, schedulers, slack):
    start, finished = schedulers
    first, second = start(), start()
    run_now(first)
    run_now(second)
    events = finished.wait(2)
    assert [e.exception for e in events] == [None, None]
    assert sorted(e.retval.status for e in events) == ["already_sent", "sent"]
    (message,) = slack.wait_for("chat.postMessage")
    assert message.payload["channel"] == "CTEAM" and "2 posts, 1 copy-paste pair caught." in message.payload["text"]
    slack.wait_for("files.completeUploadExternal")
    assert len(slack.of("chat.postMessage")) == 1

    third = start()  # a restart later the same week: still nothing new
    run_now(third)
    assert finished.wait(3)[-1].retval.status == "already_sent"
    assert len(slack.of("chat.postMessage")) == 1


def test_a_failed_run_releases_the_week_and_retries(last_weeks_posts, schedulers, slack):
    start, finished = schedulers
    scheduler = start()
    slack.fail("chat.postMessage", error="ratelimited")
    run_now(scheduler)
    assert finished.wait(1)[0].retval is None  # failed, logged, retry scheduled
    with last_weeks_posts.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM digest_runs")).scalar() == 0
    assert scheduler.get_job(JOB + ":retry") is not None
    slack.clear("chat.postMessage")
    run_now(scheduler, JOB + ":retry")
    assert finished.wait(2)[-1].retval.status == "sent"
    assert len(slack.of("chat.postMessage")) == 2  # the refused one, then the retry
