"""A running server applies history.retention_days by itself: at start, then every interval; a dead database
skips a round without stopping the loop."""

from __future__ import annotations

import threading
from datetime import timedelta

from bot.errors import StorageError
from bot.history.retention import RetentionPurge, start_retention_purge
from bot.history.schema import utcnow
from bot.history.store import PostIn, PostStore


def test_server_purges_posts_older_than_the_retention(tmp_path, settings):
    url = f"sqlite:///{tmp_path / 'posts.db'}"
    now = utcnow()
    with PostStore(url) as store:
        store.add_posts([PostIn("old", "x", "An old post about spring bags.", "T1", "C1",
                                created_at=now - timedelta(days=400)),
                         PostIn("new", "x", "A recent post about autumn bags.", "T1", "C1",
                                created_at=now - timedelta(days=3))])  # fmt: skip
        assert settings.history.retention_days == 365
        purge = start_retention_purge(settings, store, interval_s=3600)
        try:
            for _ in range(100):  # the first round runs at once, in the background
                if [p.external_id for p in store.list_posts()] == ["new"]:
                    break
                threading.Event().wait(0.05)
            assert [p.external_id for p in store.list_posts()] == ["new"]
        finally:
            purge.stop()
    assert start_retention_purge(settings, None) is None  # no database, no purge thread


def test_a_failed_round_is_logged_and_the_loop_goes_on(caplog):
    class DownThenUp:
        def __init__(self):
            self.calls = 0
            self.done = threading.Event()

        def purge(self, older_than):
            self.calls += 1
            if self.calls == 1:
                raise StorageError("database unavailable")
            self.done.set()
            return 2

    store = DownThenUp()
    purge = RetentionPurge(store, 30, interval_s=0.01).start()
    try:
        assert store.done.wait(5)
    finally:
        purge.stop()
    assert store.calls >= 2
    assert "retention purge skipped: database unavailable" in caplog.text
