"""What every listener shares: the engine, the post store, the settings and a short memory of what was answered.

Bolt hands each listener a `context`; a middleware in app.py puts one `Deps` in it under DEPS_KEY. Bolt deep-copies
the context for lazy listeners, so Deps copies as itself: the models and the database pool are process-wide.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

from bot.config import Settings

DEPS_KEY = "crowdculture"


class Deduper:
    """Remembers keys for `ttl` seconds: the first caller of `first(key)` wins, later ones get False.

    Slack redelivers events it thinks were lost, and a message in a watched channel that mentions the bot
    arrives twice (message + app_mention): only one of them may answer.
    """

    def __init__(self, ttl: float = 600.0, max_keys: int = 50_000):
        self.ttl, self.max_keys = ttl, max_keys
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if len(self._seen) >= self.max_keys:
                self._seen = {k: t for k, t in self._seen.items() if now - t < self.ttl}
            seen = self._seen.get(key)
            if seen is not None and now - seen < self.ttl:
                return False
            self._seen[key] = now
            return True


@dataclass(eq=False)
class Deps:
    settings: Settings
    service: object  # bot.service.Crowdculture
    store: object | None = None  # bot.history.store.PostStore; None when history is not available
    seen: Deduper = field(default_factory=Deduper)
    privacy: dict = field(default_factory=dict)  # channel id → (is private, when Slack said so)
    _outreach: object | None = None
    _history: object | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # Checks are CPU-bound (and torch already uses every core): running more at once only makes each slower and
    # starves the threads that must ack new requests within 3 seconds. Waiting here costs no CPU.
    engine_slots: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) // 2)))

    def __deepcopy__(self, memo):
        return self

    @property
    def kb(self):
        return self.service.kb

    @property
    def history(self):
        """The shared reuse index over `store` (bot.slack.reuse.SharedHistory), None without a store."""
        with self._lock:
            if self._history is None and self.store is not None:
                from bot.slack.reuse import SharedHistory

                self._history = SharedHistory(self.store)
            return self._history

    @property
    def outreach(self):
        with self._lock:
            if self._outreach is None:
                from bot.influencers import OutreachChecker

                self._outreach = OutreachChecker(self.service.analyzer)
            return self._outreach


def deps_of(context) -> Deps:
    return context[DEPS_KEY]
