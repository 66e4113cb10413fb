"""The weekly digest inside `crowdculture serve`: one APScheduler 3 cron job per configured channel.

Jobs fire on settings.digest.day at settings.digest.time in settings.digest.timezone and report on the last
complete week (Monday 00:00 to Monday 00:00 there). A run missed by a restart still happens if it is at most
misfire_grace_s late; several missed runs coalesce into one. Nothing here decides "already sent": every run asks
the database (send.py), so two replicas, or a restart right after a run, post each week once.

A run that fails (Slack down) released its claim; it is retried RETRIES times, RETRY_AFTER apart, for the same
week, then left to the next week or to `crowdculture digest --channel C` by hand.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.digest.period import last_week, week_bounds
from bot.digest.send import SendResult, send_digest, web_client
from bot.errors import UsageError

log = logging.getLogger(__name__)
RETRIES = 3
RETRY_AFTER = timedelta(minutes=10)


class DigestJobs:
    """What each run needs; its `run` method is the job APScheduler calls."""

    def __init__(self, settings, service, store, client_factory, scheduler=None):
        self.settings, self.service, self.store = settings, service, store
        self.client_factory = client_factory
        self.scheduler = scheduler

    def run(self, channel: str, until: datetime | None = None, attempt: int = 0) -> SendResult | None:
        """Post last week's digest to `channel` (`until`: the end of the week to post, for retries)."""
        tz = self.settings.digest.timezone
        since, until = week_bounds(until - timedelta(seconds=1), tz) if until else last_week(_now(), tz)
        try:
            result = send_digest(self.store, self.service.kb, self.client_factory(channel), channel, since, until, tz,
                                 engine=self.service if hasattr(self.service, "analyzer") else None)
        except Exception as exc:
            if attempt < RETRIES and self.scheduler is not None:
                log.warning("weekly digest for %s failed (%s); retrying in %s", channel, exc, RETRY_AFTER)
                self.scheduler.add_job(self.run, "date", run_date=_now() + RETRY_AFTER, args=(channel,),
                                       kwargs={"until": until, "attempt": attempt + 1}, id=f"digest:{channel}:retry",
                                       replace_existing=True,
                                       misfire_grace_time=self.settings.digest.misfire_grace_s)  # fmt: skip
            else:
                log.error("weekly digest for %s failed: %s", channel, exc)
            return None
        log.info("%s", result.message())
        return result


def start_digest_scheduler(settings, service, store, client_factory=None):
    """Start the digest jobs in a background thread and return the scheduler (call .shutdown() on exit).

    `client_factory(channel)` returns the slack_sdk WebClient that posts to that channel (the Slack app's own
    `app.client` in single-workspace mode); None builds one from SLACK_BOT_TOKEN and settings.slack_api_url.
    Returns None, with a log line saying why, when the digest is off, has no channels, no store or no token."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger

    cfg = settings.digest
    if not cfg.enabled or not cfg.channels:
        log.info("weekly digest off (%s)", "digest.enabled is false" if not cfg.enabled else "no digest.channels")
        return None
    if store is None:
        log.warning("weekly digest off: the post history database is unavailable")
        return None
    if client_factory is None:
        try:
            client = web_client(settings)
        except UsageError as exc:  # no bot token (e.g. OAuth distribution): the app still serves everything else
            log.warning("weekly digest off: %s", exc)
            return None

        def client_factory(channel):
            return client

    zone = ZoneInfo(cfg.timezone)
    hour, minute = (int(x) for x in cfg.time.split(":"))
    scheduler = BackgroundScheduler(timezone=zone)
    jobs = DigestJobs(settings, service, store, client_factory, scheduler)
    for channel in cfg.channels:
        scheduler.add_job(jobs.run, CronTrigger(day_of_week=cfg.day, hour=hour, minute=minute, timezone=zone),
                          args=(channel,), id=f"digest:{channel}", name=f"weekly digest for {channel}",
                          misfire_grace_time=cfg.misfire_grace_s, coalesce=True, max_instances=1,
                          replace_existing=True)  # fmt: skip
    scheduler.start()
    log.info("weekly digest for %s every %s at %s (%s)", ", ".join(cfg.channels), cfg.day, cfg.time, cfg.timezone)
    return scheduler


def _now() -> datetime:
    return datetime.now(timezone.utc)
