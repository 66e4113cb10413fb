"""The retention policy applied by a running server: posts older than `history.retention_days` are purged at start
and then once a day, so a deployment honours its retention without a cron job."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from bot.errors import CrowdcultureError

log = logging.getLogger(__name__)
DAY_S = 24 * 3600.0


class RetentionPurge:
    """A daemon thread that purges old posts every `interval_s` seconds until `stop()`."""

    def __init__(self, store, days: int, interval_s: float = DAY_S):
        self.store, self.days, self.interval_s = store, days, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="retention-purge", daemon=True)

    def start(self) -> RetentionPurge:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def run_once(self) -> int:
        try:
            n = self.store.purge(timedelta(days=self.days))
        except CrowdcultureError as exc:  # database down: try again at the next round, never crash the server
            log.warning("retention purge skipped: %s", exc)
            return 0
        if n:
            log.info("retention: purged %d posts older than %d days", n, self.days)
        return n

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.interval_s)


def start_retention_purge(settings, store, interval_s: float = DAY_S) -> RetentionPurge | None:
    if store is None:
        return None
    return RetentionPurge(store, settings.history.retention_days, interval_s).start()
