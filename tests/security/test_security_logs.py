"""Tokens, client secret and signing secret never reach the logs: the app runs at DEBUG (root and Slack's own
loggers asked for DEBUG) through an OAuth install, commands, events, forged requests, an engine crash and Slack
API errors, and the captured log is searched for every secret value."""

from __future__ import annotations

import base64
import logging
import re

import pytest
from support.fake_slack import BOT_TOKEN as INSTALLED_TOKEN
from support.slack_harness import BOT_TOKEN, SECRET, SlackApp

from bot.slack import ids

CLIENT_SECRET = "client-secret-0a9b8c7d6e5f"
DRAFT = "Only 50 seats left for our free workshop on Thursday: 2,000 founders already joined. Save yours now!"


@pytest.fixture
def debug_logs(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("slack_sdk", "slack_bolt", "bot", "urllib3", "sqlalchemy"):
        logging.getLogger(name).setLevel(logging.DEBUG)  # as an operator chasing a problem would, before start
    yield caplog
    for name in ("slack_sdk", "slack_bolt", "bot", "urllib3", "sqlalchemy"):
        logging.getLogger(name).setLevel(logging.NOTSET)


def exercise(app: SlackApp, fake_slack, service, monkeypatch, team: str) -> None:
    """Commands, an event, a usage error, forged requests, an engine crash and Slack refusing answers."""
    app.command(ids.CMD_DRAFT_CHECK, f"linkedin {DRAFT}", team=team, response="ok")
    fake_slack.wait_for("response_url", path="/response/ok")
    app.command(ids.CMD_DRAFT_CHECK, "instagramm oops typo here", team=team, response="usage")
    fake_slack.wait_for("response_url", path="/response/usage")
    assert app.command(ids.CMD_DRAFT_CHECK, DRAFT, team=team, secret="forged").status == 401
    assert app.command(ids.CMD_DRAFT_CHECK, DRAFT, team=team, timestamp=1).status == 401
    app.idle()

    fake_slack.fail("chat.postMessage", status=500, times=3)  # the report cannot be posted: retried, then logged
    app.event({"type": "app_mention", "user": "U1", "channel": "C1", "ts": "1700000001.000001",
               "text": f"<@UBOT> {DRAFT}"}, team=team)  # fmt: skip
    app.idle(120)
    fake_slack.fail("chat.postMessage", error="invalid_auth")  # Slack refusing the token
    app.event({"type": "app_mention", "user": "U1", "channel": "C1", "ts": "1700000002.000001",
               "text": f"<@UBOT> {DRAFT}"}, team=team)  # fmt: skip
    app.idle()
    fake_slack.clear()

    def crash(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(service, "check", crash)
    app.command(ids.CMD_DRAFT_CHECK, DRAFT, team=team, response="crash")
    fake_slack.wait_for("response_url", path="/response/crash")
    app.idle()


def assert_no_secret(caplog, *secrets: str) -> None:
    text = caplog.text + "\n".join(str(r.__dict__) for r in caplog.records)  # messages, args, exceptions
    assert "engine exploded" in caplog.text and "internal_error" in caplog.text  # the errors were logged…
    for secret in secrets:
        assert secret not in text, f"a secret ({secret[:6]}…) reached the log"  # …without any secret


def test_single_workspace_secrets_stay_out_of_logs(debug_logs, slack_env, fake_slack, slack_settings, service,
                                                    store, monkeypatch):  # fmt: skip
    app = SlackApp(fake_slack, slack_settings, service, store)
    try:
        exercise(app, fake_slack, service, monkeypatch, "T1")
    finally:
        app.close()
    assert any(c.headers.get("Authorization") == f"Bearer {BOT_TOKEN}" for c in fake_slack.calls)  # in use
    assert_no_secret(debug_logs, SECRET, BOT_TOKEN)


def test_oauth_install_secrets_stay_out_of_logs(debug_logs, monkeypatch, fake_slack, slack_settings, service, store):
    pytest.importorskip("greenlet", reason="slack_sdk's SQLAlchemy stores need greenlet (sqlalchemy[asyncio])")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_CLIENT_ID", "111.222")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", CLIENT_SECRET)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SCOPES", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    app = SlackApp(fake_slack, slack_settings, service, store)
    try:
        page = app.get("/slack/install")
        state = re.search(r"state=([\w-]+)", page.body).group(1)
        done = app.get(f"/slack/oauth_redirect?code=abc&state={state}",
                       headers={"Cookie": f"slack-app-oauth-state={state}"})  # fmt: skip
        assert done.status == 200
        (exchange,) = fake_slack.of("oauth.v2.access")
        basic = base64.b64decode(exchange.headers["Authorization"].removeprefix("Basic ")).decode()
        assert basic == f"111.222:{CLIENT_SECRET}"  # the client secret went to Slack, and only there
        assert app.get(f"/slack/oauth_redirect?code=abc&state={state}").status >= 400  # a replayed state fails
        exercise(app, fake_slack, service, monkeypatch, "T9")
    finally:
        app.close()
    assert any(c.headers.get("Authorization") == f"Bearer {INSTALLED_TOKEN}" for c in fake_slack.calls)
    assert_no_secret(debug_logs, SECRET, CLIENT_SECRET, INSTALLED_TOKEN)


def test_sql_logging_turned_on_after_start_hides_the_tokens(debug_logs, monkeypatch, fake_slack, slack_settings,
                                                            service, store):  # fmt: skip
    """Even when someone turns SQLAlchemy's statement log on again while the app runs, the installation tokens
    written with the statements are not in it (hide_parameters)."""
    pytest.importorskip("greenlet", reason="slack_sdk's SQLAlchemy stores need greenlet (sqlalchemy[asyncio])")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_CLIENT_ID", "111.222")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    app = SlackApp(fake_slack, slack_settings, service, store)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    try:
        state = re.search(r"state=([\w-]+)", app.get("/slack/install").body).group(1)
        app.get(f"/slack/oauth_redirect?code=abc&state={state}", headers={"Cookie": f"slack-app-oauth-state={state}"})
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.NOTSET)
        app.close()
    assert "INSERT INTO slack_bots" in debug_logs.text  # the statement log is on…
    assert INSTALLED_TOKEN not in debug_logs.text  # …and the token is not in it
