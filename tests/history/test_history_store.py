"""The post store: migrations on open, WAL, one transaction per import, scoping, settings, digest runs, and
readable StorageErrors. Runs on SQLite, and on PostgreSQL too when CROWDCULTURE_TEST_PG is set."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from history_helpers import unit
from sqlalchemy import inspect, text

from bot.errors import StorageError, UsageError
from bot.history import store as store_mod
from bot.history.store import PostIn, PostStore, Scope, content_hash, normalise_url, parse_duration

DAY = timedelta(days=1)
NOW = datetime.now(timezone.utc)


def post(ext, text="Our spring menu is here", **kw):
    kw.setdefault("embedding", unit(hash(ext) % 1000))
    return PostIn(ext, kw.pop("platform", "facebook"), text, **kw)


def test_opening_runs_the_migrations_on_a_fresh_database(store):
    tables = set(inspect(store.engine).get_table_names())
    assert {"posts", "digest_runs", "user_settings", "workspace_settings", "alembic_version"} <= tables
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    columns = {c["name"] for c in inspect(store.engine).get_columns("posts")}
    assert {"external_id", "workspace", "channel", "channel_private", "content_hash", "embedding", "fit",
            "report", "status", "created_at", "permalink", "language", "author"} <= columns  # fmt: skip
    PostStore(store.url).close()  # a second open finds the schema current and changes nothing


def test_sqlite_file_is_created_with_its_directory_in_wal_mode(tmp_path):
    url = f"sqlite:///{tmp_path / 'a' / 'b' / 'h.db'}"
    with PostStore(url) as s, s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == store_mod.BUSY_TIMEOUT_MS
    assert (tmp_path / "a" / "b" / "h.db").is_file()


def test_add_list_and_purge(store):
    added = store.add_posts([post("p1", created_at=NOW - 100 * DAY), post("p2", created_at=NOW - 2 * DAY),
                             post("p3", "Autre texte", platform="instagram", created_at=NOW)])  # fmt: skip
    assert [p.external_id for p in added] == ["p1", "p2", "p3"] and all(p.id for p in added)
    listed = store.list_posts()
    assert [p.external_id for p in listed] == ["p3", "p2", "p1"]  # newest first
    assert all(p.created_at.tzinfo is not None for p in listed)
    assert listed[0].content_hash == content_hash("Autre texte") and listed[0].embedding is None
    assert [p.external_id for p in store.list_posts(since=NOW - 10 * DAY, until=NOW - DAY)] == ["p2"]
    assert [p.external_id for p in store.list_posts(platform="instagram")] == ["p3"]
    assert len(store.list_posts(limit=2)) == 2
    emb = store.list_posts(with_embeddings=True, limit=1)[0].embedding
    assert emb.dtype == np.float32 and emb.shape == (384,)
    assert store.purge(timedelta(days=90)) == 1
    assert sorted(p.external_id for p in store.list_posts()) == ["p2", "p3"]


def test_import_skips_ids_already_stored(store):
    store.add_posts([post("p1")])
    added = store.add_posts([post("p1", "changed"), post("p2")])
    assert [p.external_id for p in added] == ["p2"]
    assert store.count() == 2
    # the same id in another workspace is another post
    assert len(store.add_posts([post("p1", workspace="other")])) == 1


def test_one_transaction_per_import_a_failing_post_leaves_nothing(store):
    bad = post("p3")
    bad.platform = None  # NOT NULL: fails inside the transaction, after p1 and p2 were sent
    with pytest.raises(StorageError, match="nothing was stored"):
        store.add_posts([post("p1"), post("p2"), bad])
    assert store.count() == 0


def test_digest_run_is_claimed_once_even_from_two_stores(store):
    other = PostStore(store.url)
    try:
        assert store.record_digest_run("T1", "C1", date(2025, 1, 6)) is True
        assert other.record_digest_run("T1", "C1", date(2025, 1, 6)) is False
        assert store.record_digest_run("T1", "C1", date(2025, 1, 13)) is True
        assert other.record_digest_run("T1", "C2", date(2025, 1, 6)) is True
        assert store.release_digest_run("T1", "C1", date(2025, 1, 6)) is True  # the message did not go out
        assert other.record_digest_run("T1", "C1", date(2025, 1, 6)) is True  # so a retry may claim it again
        assert store.release_digest_run("T1", "C9", date(2025, 1, 6)) is False
    finally:
        other.close()


def test_user_and_workspace_settings(store):
    assert store.get_user_platforms("T1", "U1") == []
    store.set_user_platforms("T1", "U1", ["linkedin", "x"])
    store.set_user_platforms("T1", "U1", ["instagram"])
    assert store.get_user_platforms("T1", "U1") == ["instagram"]
    assert store.get_user_platforms("T2", "U1") == []
    store.set_watched_channels("T1", ["C1", "C2"])
    assert store.get_watched_channels("T1") == ["C1", "C2"]
    assert store.get_watched_channels("T2") == []


def fake_report(text, rid=None):
    fits = [SimpleNamespace(id="linkedin", fit=81), SimpleNamespace(id="x", fit=40)]
    return SimpleNamespace(
        id=rid, text=text, language="en", embedding=unit(7),
        platform=lambda pid: next((f for f in fits if f.id == pid), None),
        to_dict=lambda: {"schema": 1, "platforms": [{"id": f.id, "fit": f.fit} for f in fits], "principles": []},
    )  # fmt: skip


def test_add_checked_then_mark_published(store):
    p = store.add_checked(fake_report("Draft one"), "T1", "C1", "linkedin", author="U1", external_id="ts-1")
    assert p.status == "draft" and p.fit == 81 and p.report["platforms"][0]["id"] == "linkedin"
    again = store.add_checked(fake_report("Draft one, edited"), "T1", "C1", "linkedin", external_id="ts-1")
    assert again.id == p.id and store.count() == 1  # an edited message updates its post
    assert store.mark_published("T1", "ts-1", permalink="https://example.slack.com/p1") is True
    assert store.mark_published("T1", "nope") is False
    stored = store.list_posts(workspace="T1")[0]
    assert (stored.status, stored.permalink, stored.text) == ("published", "https://example.slack.com/p1",
                                                              "Draft one, edited")  # fmt: skip


def test_scope_in_sql_other_workspaces_and_private_channels(store):
    store.add_posts([
        post("pub", workspace="T1", channel="C1"),
        post("priv", workspace="T1", channel="SECRET", channel_private=True),
        post("other", workspace="T2", channel="C1"),
    ])  # fmt: skip
    ids = {p.external_id: p.id for p in store.list_posts()}

    def seen(scope):
        return sorted(p.external_id for p in store.list_posts(scope=scope))

    assert seen(Scope("T1", "C1")) == ["pub"]
    assert seen(Scope("T1", "SECRET", True)) == ["priv", "pub"]
    assert seen(Scope("T2", "SECRET")) == ["other"]
    assert seen(Scope(None)) == ["other", "priv", "pub"]  # the operator's view (CLI)
    assert sorted(p.external_id for p in store.get_posts(ids.values(), Scope("T1", "C9")).values()) == ["pub"]
    assert store.posts_with_hash(content_hash("Our spring menu is here"), Scope("T2"))[0].external_id == "other"


def test_parse_duration():
    assert parse_duration("90d") == timedelta(days=90)
    assert parse_duration("2w") == timedelta(weeks=2)
    assert parse_duration("36h") == timedelta(hours=36)
    for bad in ("90", "d", "-3d", "1y", "ninety days"):
        with pytest.raises(UsageError, match="not a duration"):
            parse_duration(bad)


def test_postgres_urls_use_psycopg_3():
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


# Failures: one clear line, never a traceback -------------------------------------------------------------------

def test_unreachable_postgres_is_a_clear_storage_error(monkeypatch):
    monkeypatch.setattr(store_mod, "RETRIES", 1)
    with pytest.raises(StorageError) as err:
        PostStore("postgresql://crowd:s3cret@127.0.0.1:1/history")
    message = str(err.value)
    assert "127.0.0.1:1/history" in message and "cannot prepare" in message
    assert "s3cret" not in message and "\n" not in message


def test_sqlite_path_that_cannot_be_a_database(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StorageError, match="cannot create the directory"):
        PostStore(f"sqlite:///{blocker / 'history.db'}")
    with pytest.raises(StorageError, match="not a database URL"):
        PostStore("this is not a url")


def test_locked_database_is_retried_then_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(store_mod, "RETRIES", 2)
    url = f"sqlite:///{tmp_path / 'h.db'}"
    s = PostStore(url)
    other = sqlite3.connect(tmp_path / "h.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with pytest.raises(StorageError, match="locked"):
            s.add_posts([post("p1")])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert len(s.add_posts([post("p1")])) == 1  # the lock is gone: the same import now works
    s.close()


def test_a_short_lock_is_waited_out(tmp_path, monkeypatch):
    import threading

    url = f"sqlite:///{tmp_path / 'h.db'}"
    s = PostStore(url)
    other = sqlite3.connect(tmp_path / "h.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, lambda: (other.execute("ROLLBACK"), other.close())).start()
    assert len(s.add_posts([post("p1")])) == 1
    s.close()


@pytest.mark.parametrize("url", [
    "sqlite:///rel/history.db", "sqlite:////abs/history.db", "sqlite:///a%20b.db", "sqlite+pysqlite:///x.db?mode=ro",
    "sqlite://", "sqlite:///:memory:", "sqlite:///file:x.db?mode=ro&uri=true", "sqlite://host/x.db",
    "postgresql+psycopg://u:p@h:5432/db", "mysql://u@h/db",
])  # fmt: skip
def test_the_store_location_is_read_as_sqlalchemy_reads_it(url):
    """bot.history.location answers "is there a SQLite file?" without SQLAlchemy: it must agree with make_url."""
    from sqlalchemy.engine import make_url

    from bot.history.location import sqlite_path

    u = make_url(url)
    is_file = u.get_backend_name() == "sqlite" and u.database not in (None, "", ":memory:")
    assert sqlite_path(url) == (Path(u.database) if is_file else None)


def test_a_missing_sqlite_file_is_no_store_and_a_server_is_assumed(tmp_path):
    from bot.history.location import store_exists

    assert not store_exists(f"sqlite:///{tmp_path / 'none.db'}")
    (tmp_path / "h.db").write_bytes(b"")
    assert store_exists(f"sqlite:///{tmp_path / 'h.db'}")
    assert store_exists("postgresql://u@h/db") and store_exists("sqlite://")
