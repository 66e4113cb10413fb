"""Where the post store lives, answered without importing SQLAlchemy.

A one-off `crowdculture check` on a machine with no post history yet (the default SQLite file not created) has
nothing to compare with: knowing that from the URL alone spares it SQLAlchemy and the history modules (≈ 0.3 s of
a cold start)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

_URL = re.compile(r"^(?P<backend>\w+)(?:\+\w+)?://(?P<host>[^/?]*)(?:/(?P<database>[^?]*))?")


def normalise_url(url: str) -> str:
    """PostgreSQL URLs use the psycopg 3 driver whatever scheme they were given with."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, read as SQLAlchemy's make_url reads it; None for other databases, in-memory
    SQLite and URLs it cannot read (those are left to SQLAlchemy to judge)."""
    m = _URL.match(url)
    if not m or m["backend"] != "sqlite" or not m["database"]:
        return None
    database = unquote(m["database"])
    return None if database == ":memory:" else Path(database)


def store_exists(url: str) -> bool:
    """False only for a SQLite file that is not there yet (servers are assumed to exist)."""
    path = sqlite_path(normalise_url(url))
    return path is None or path.is_file()
