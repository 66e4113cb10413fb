"""Purging the history (`crowdculture history purge`): by age (history.retention_days by default), optionally for
one workspace only, and for real: the purged texts are no longer anywhere in the SQLite files."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import yaml

from bot.cli import main
from bot.history.schema import utcnow
from bot.history.store import PostIn, PostStore

OLD_T1 = "Old workspace-one post PURGEMEWORD about our spring bags."
OLD_T2 = "Old workspace-two post KEEPMEWORD about a bakery."
NEW_T1 = "Recent workspace-one post FRESHWORD about our autumn range."


def seed(url: str) -> None:
    now = utcnow()
    with PostStore(url) as store:
        store.add_posts([
            PostIn("a", "linkedin", OLD_T1 * 20, "T1", "C1", created_at=now - timedelta(days=60)),
            PostIn("b", "facebook", OLD_T2, "T2", "C2", created_at=now - timedelta(days=60)),
            PostIn("c", "x", NEW_T1, "T1", "C1", created_at=now - timedelta(days=2)),
        ])  # fmt: skip


def on_disk(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def test_purge_by_workspace_with_the_configured_retention(tmp_path, capsys):
    db = tmp_path / "posts.db"
    url = f"sqlite:///{db}"
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"history": {"retention_days": 30}}), encoding="utf-8")
    seed(url)
    assert b"PURGEMEWORD" in on_disk(db)

    assert main(["--config", str(config), "--db", url, "history", "purge", "--workspace", "T1"]) == 0
    assert "deleted 1 posts older than 30d in workspace 'T1'" in capsys.readouterr().out
    with PostStore(url) as store:
        assert sorted(p.external_id for p in store.list_posts()) == ["b", "c"]  # T2's old post is not T1's to purge
    assert b"PURGEMEWORD" not in on_disk(db)  # not merely unlinked: gone from the database and its WAL

    assert main(["--config", str(config), "--db", url, "history", "purge", "--older-than", "1d"]) == 0
    assert "deleted 2 posts older than 1d" in capsys.readouterr().out
    data = on_disk(db)
    assert b"KEEPMEWORD" not in data and b"FRESHWORD" not in data


def test_purge_while_the_server_has_the_database_open(tmp_path):
    """`serve` keeps its connections open, so SQLite's write-ahead log would keep the old pages: purge empties it."""
    db = tmp_path / "posts.db"
    url = f"sqlite:///{db}"
    seed(url)
    with PostStore(url) as server, PostStore(url) as operator:
        assert len(server.list_posts()) == 3  # the server has read (and pooled its connection)
        assert operator.purge(timedelta(days=30), workspace="T1") == 1
        assert [p.external_id for p in server.list_posts(workspace="T1")] == ["c"]
        assert b"PURGEMEWORD" not in on_disk(db)
