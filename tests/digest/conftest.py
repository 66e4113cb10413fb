"""Digest fixtures: a fresh SQLite post store per test, the knowledge base (no model), a stand-in Slack."""

from __future__ import annotations

import pytest
from digest_helpers import TOKEN
from support.fake_slack import FakeSlack


@pytest.fixture
def slack(monkeypatch):
    fake = FakeSlack().start()
    monkeypatch.setenv("SLACK_API_URL", fake.api_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    yield fake
    fake.stop()


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'posts.db'}"


@pytest.fixture
def store(db_url):
    from bot.history.store import PostStore

    s = PostStore(db_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def digest_kb(settings):
    """The shipped knowledge base, without loading any model (the digest needs none)."""
    from bot.knowledge import load_from_settings

    return load_from_settings(settings)
