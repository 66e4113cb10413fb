"""Fixtures of the Slack app tests: each test gets its own stand-in Slack, database and app (cheap: the engine is
the session's `service`, loaded once). A conftest.py uses them with `from support.slack_fixtures import *`."""

from __future__ import annotations

import dataclasses

import pytest

from support.fake_slack import FakeSlack
from support.slack_harness import BOT_TOKEN, SECRET, WATCHED, SlackApp

__all__ = ["fake_slack", "slack_env", "slack_settings", "store", "slack"]


@pytest.fixture
def fake_slack():
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def slack_env(monkeypatch, fake_slack):
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SCOPES", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def slack_settings(settings, tmp_path):
    """The session's settings with a fresh database and one channel watched from config."""
    return dataclasses.replace(settings, database_url=f"sqlite:///{tmp_path / 'slack.db'}",
                               slack=dataclasses.replace(settings.slack, watched_channels=[WATCHED]))


@pytest.fixture
def store(slack_settings):
    from bot.history.store import PostStore

    s = PostStore(slack_settings.db_url)
    yield s
    s.close()


@pytest.fixture
def slack(slack_env, fake_slack, slack_settings, service, store):
    app = SlackApp(fake_slack, slack_settings, service, store)
    yield app
    app.close()
