"""Fixtures for the post history: a fresh database per test (SQLite file; PostgreSQL when CROWDCULTURE_TEST_PG is
set), deterministic vectors, and a CLI wired to the session's engine."""

from __future__ import annotations

import dataclasses
import os

import pytest

PG_ENV = "CROWDCULTURE_TEST_PG"


def _fresh_postgres(url: str) -> str:
    """Empty the test database (drop and recreate its public schema) and return its URL."""
    from sqlalchemy import create_engine, text

    from bot.history.store import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "postgres":
        url = os.environ.get(PG_ENV)
        if not url:
            pytest.skip(f"{PG_ENV} is not set (.ci/postgres.sh start prints a URL)")
        return _fresh_postgres(url)
    return f"sqlite:///{tmp_path / 'sub' / 'history.db'}"


@pytest.fixture
def store(db_url):
    from bot.history.store import PostStore

    s = PostStore(db_url)
    yield s
    s.close()


@pytest.fixture
def cli_db(service, monkeypatch, tmp_path):
    """A database URL for CLI tests; `crowdculture` verbs reuse the session's models with that database."""
    from bot.service import Crowdculture

    url = f"sqlite:///{tmp_path / 'cli.db'}"

    def build(args):
        settings = dataclasses.replace(service.settings, database_url=args.db or url)
        return Crowdculture(settings, analyzer=service.analyzer)

    monkeypatch.setattr("bot.cli._service", build)
    monkeypatch.setenv("CROWDCULTURE_DB", url)
    return url
