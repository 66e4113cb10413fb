"""The database failing under a request: locked by another writer, or gone. The Slack user still gets the report
and is told it was not saved; the log says why in one line; nothing is half-written, and the next request works
once the database is back. An import interrupted inside its transaction stores nothing."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from datetime import datetime, timezone

import numpy as np
import pytest
from sqlalchemy import text as sql
from support.slack_harness import blocks_text

from bot.errors import StorageError
from bot.history.store import PostIn, PostStore
from bot.slack import ids
from bot.slack.checks import HISTORY_DOWN_SAVE

DRAFT = ("Only 50 seats left for our free workshop on Thursday: 2,000 founders have already joined our community. "
         "Save yours now!")  # fmt: skip


@pytest.fixture(autouse=True)
def impatient_database(monkeypatch):
    """A lock is reported after 0.2 s instead of 3 s, and retried once: the same path, faster."""
    monkeypatch.setattr("bot.history.store.BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr("bot.history.store.RETRIES", 1)


def db_file(store) -> str:
    return store.engine.url.database


def count_posts(path: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0]


def during_the_check(service, monkeypatch, fault):
    """Run `fault()` after the engine has analysed the draft (reuse already read), before the draft is saved."""
    check = service.check

    def check_then_fault(*args, **kwargs):
        report = check(*args, **kwargs)
        fault()
        return report

    monkeypatch.setattr(service, "check", check_then_fault)


def test_database_locked_mid_request(slack, fake_slack, store, service, monkeypatch, caplog):
    caplog.set_level(logging.WARNING)
    check = service.check
    other = sqlite3.connect(db_file(store), isolation_level=None, check_same_thread=False)
    during_the_check(service, monkeypatch, lambda: other.execute("BEGIN EXCLUSIVE"))  # another writer holds it
    slack.command(ids.CMD_DRAFT_CHECK, DRAFT)
    (answer,) = fake_slack.wait_for("response_url")
    slack.idle()
    shown = blocks_text(answer)
    assert "Best fit" in shown and "Couldn't save this check" in shown and "Sorry" not in shown
    assert "check not recorded" in caplog.text and "database is locked" in caplog.text
    other.execute("ROLLBACK")
    other.close()
    assert count_posts(db_file(store)) == 0  # nothing half-written

    monkeypatch.setattr(service, "check", check)  # the lock is gone: the next check is saved again
    slack.command(ids.CMD_DRAFT_CHECK, DRAFT, response="again")
    (again,) = fake_slack.wait_for("response_url", path="/response/again")
    slack.idle()
    assert HISTORY_DOWN_SAVE.split(":")[0] not in blocks_text(again) and count_posts(db_file(store)) == 1


def test_database_gone_mid_request(slack, fake_slack, store, service, monkeypatch, caplog, tmp_path):
    caplog.set_level(logging.WARNING)
    path = db_file(store)
    parked = tmp_path / "parked"

    def gone():
        shutil.move(str(tmp_path / "slack.db"), parked)  # the file and its WAL go away…
        for suffix in ("-wal", "-shm"):
            if (tmp_path / f"slack.db{suffix}").exists():
                shutil.move(str(tmp_path / f"slack.db{suffix}"), tmp_path / f"parked{suffix}")
        (tmp_path / "slack.db").mkdir()  # …and something that is not a database takes its place
        store.engine.dispose()  # pooled connections would still see the old file

    during_the_check(service, monkeypatch, gone)
    slack.command(ids.CMD_DRAFT_CHECK, DRAFT)
    (answer,) = fake_slack.wait_for("response_url")
    slack.idle()
    shown = blocks_text(answer)
    assert "Best fit" in shown and "Couldn't save this check" in shown
    assert "check not recorded" in caplog.text and "unable to open database file" in caplog.text
    (tmp_path / "slack.db").rmdir()
    shutil.move(parked, path)
    for suffix in ("-wal", "-shm"):
        if (tmp_path / f"parked{suffix}").exists():
            shutil.move(tmp_path / f"parked{suffix}", f"{path}{suffix}")
    assert count_posts(path) == 0


def test_a_failure_inside_the_import_transaction_stores_nothing(tmp_path):
    """A row refused by the database after others were inserted in the same transaction: all are rolled back."""
    with PostStore(f"sqlite:///{tmp_path / 'posts.db'}") as store:
        with store.engine.begin() as conn:  # the database refuses one particular row, as a full disk would
            conn.execute(sql("CREATE TRIGGER refuse BEFORE INSERT ON posts WHEN NEW.external_id = 'p900' "
                             "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"))  # fmt: skip
        vector = np.ones(384, dtype=np.float32) / np.sqrt(384)
        posts = [PostIn(f"p{i}", "linkedin", f"post number {i}", embedding=vector,
                        created_at=datetime(2024, 1, 1, tzinfo=timezone.utc)) for i in range(1000)]  # fmt: skip
        with pytest.raises(StorageError, match=r"cannot store the posts \(nothing was stored\): disk I/O error"):
            store.add_posts(posts)
        assert store.count() == 0
        assert len(store.add_posts(posts[:900])) == 900  # the database itself is fine afterwards


def test_publish_button_while_the_database_is_locked(slack, fake_slack, store):
    """A write the person asked for: they are told it was not recorded, and the draft stays a draft."""
    slack.command(ids.CMD_DRAFT_CHECK, f"linkedin {DRAFT}", response="report")
    (report,) = fake_slack.wait_for("response_url", path="/response/report")
    slack.idle()
    buttons = {e["action_id"]: e["value"] for b in report.payload["blocks"] if b["type"] == "actions"
               for e in b["elements"]}  # fmt: skip
    action = ids.with_platform(ids.ACT_PUBLISH, "linkedin")
    other = sqlite3.connect(db_file(store), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    try:
        slack.block_action(action, buttons[action], response="published")
        (answer,) = fake_slack.wait_for("response_url", path="/response/published")
        slack.idle()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "Couldn't record it as published on LinkedIn" in blocks_text(answer)
    assert [p.status for p in store.list_posts()] == ["draft"]
