"""Installing: the manifest declares what the app handles; multi-workspace OAuth on the post store's database;
`serve` refuses to start without its secrets, in one line."""

import json
import re
from pathlib import Path

import pytest
import sqlalchemy
from support.fake_slack import BOT_TOKEN as INSTALLED_TOKEN
from support.slack_harness import SECRET, SlackApp, blocks_text

from bot.cli import main
from bot.slack import ids
from bot.slack.app import BOT_SCOPES

ROOT = Path(__file__).resolve().parents[2]


def test_manifest_declares_every_surface():
    manifest = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
    features = manifest["features"]
    assert {c["command"] for c in features["slash_commands"]} == {
        ids.CMD_DRAFT_CHECK, ids.CMD_DRAFT_REWRITE, ids.CMD_CROWDCULTURE, ids.CMD_CREATOR_CHECK}
    assert {(s["callback_id"], s["type"]) for s in features["shortcuts"]} == {
        (ids.SC_CHECK_MESSAGE, "message"), (ids.SC_CHECK_OUTREACH, "message"), (ids.SC_CHECK_DRAFT, "global")}
    assert features["app_home"]["home_tab_enabled"] is True
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.channels", "message.groups",
                                                                  "app_home_opened", "app_uninstalled",
                                                                  "tokens_revoked"}  # fmt: skip
    urls = [c["url"] for c in features["slash_commands"]]
    urls += [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]]
    assert set(urls) == {"https://YOUR-HOST/slack/events"}


def test_oauth_install_then_commands_from_the_new_workspace(monkeypatch, fake_slack, slack_settings, service, store):
    pytest.importorskip("greenlet", reason="slack_sdk's SQLAlchemy stores need greenlet (sqlalchemy[asyncio])")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_CLIENT_ID", "111.222")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "client-secret-0a9b8c7d")
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_SCOPES", raising=False)
    slack = SlackApp(fake_slack, slack_settings, service, store)
    try:
        page = slack.get("/slack/install")
        assert page.status == 200
        state = re.search(r"state=([\w-]+)", page.body).group(1)
        assert "client_id=111.222" in page.body and "scope=app_mentions%3Aread" in page.body.replace(":", "%3A")
        done = slack.get(f"/slack/oauth_redirect?code=abc&state={state}",
                         headers={"Cookie": f"slack-app-oauth-state={state}"})
        assert done.status == 200, done.body
        (exchange,) = fake_slack.of("oauth.v2.access")
        assert exchange.payload.get("code") == "abc"
        tables = sqlalchemy.inspect(store.engine).get_table_names()
        assert {"slack_installations", "slack_bots", "slack_oauth_states"} <= set(tables)

        slack.command(ids.CMD_DRAFT_CHECK, "linkedin Our new bags: 12 numbered pieces made from old sails.",
                      team="T9")  # fmt: skip
        (answer,) = fake_slack.wait_for("response_url")
        assert "Best fit" in blocks_text(answer)
        authed = [c for c in fake_slack.calls if c.method == "conversations.info"]
        assert authed and authed[0].headers.get("Authorization") == f"Bearer {INSTALLED_TOKEN}"
        fake_slack.reset()
        slack.command(ids.CMD_DRAFT_CHECK, "linkedin Hello there friends", team="T404")
        slack.idle()
        (refused,) = fake_slack.of("response_url")  # a workspace that never installed the app gets no report
        assert "not installed in this workspace" in blocks_text(refused) and "Best fit" not in blocks_text(refused)

        # Uninstalling deletes the workspace's tokens at once: its next command is refused like a stranger's.
        assert slack.event({"type": "app_uninstalled"}, team="T9").status == 200
        slack.idle()
        with store.engine.connect() as conn:
            left = conn.execute(sqlalchemy.text("SELECT count(*) FROM slack_bots WHERE team_id = 'T9'")).scalar()
        assert left == 0
        fake_slack.reset()
        slack.command(ids.CMD_DRAFT_CHECK, "linkedin Our new bags are here", team="T9")
        slack.idle()
        (gone,) = fake_slack.of("response_url")
        assert "not installed in this workspace" in blocks_text(gone)
    finally:
        slack.close()


def test_serve_without_secrets_says_which_variable_in_one_line(monkeypatch, capsys):
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID",
                 "SLACK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert main(["serve", "--http"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "SLACK_SIGNING_SECRET" in err and "manifest.json" in err
    assert "Traceback" not in err
    assert main(["serve", "--socket"]) == 2
    assert "SLACK_APP_TOKEN" in capsys.readouterr().err
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    assert main(["serve", "--http"]) == 2
    assert "SLACK_BOT_TOKEN" in capsys.readouterr().err


def test_socket_mode_dispatch_acks_then_answers(slack_env, fake_slack, slack_settings, service, store):
    """Socket Mode hands Bolt the same payloads over a WebSocket; the listeners and dedup work the same."""
    from slack_bolt.adapter.socket_mode.internals import run_bolt_app
    from slack_sdk.socket_mode.request import SocketModeRequest

    app = SlackApp(fake_slack, slack_settings, service, store, process_before_response=False)
    try:
        command = {"command": ids.CMD_DRAFT_CHECK, "text": "linkedin Our new bags: 12 numbered pieces from old sails.",
                   "team_id": "T1", "channel_id": "C1", "channel_name": "general", "user_id": "U1",
                   "response_url": fake_slack.response_url("socket"), "trigger_id": "t"}  # fmt: skip
        resp = run_bolt_app(app.app, SocketModeRequest("slash_commands", "env-1", command))
        assert resp.status == 200
        (answer,) = fake_slack.wait_for("response_url")
        assert "Best fit" in blocks_text(answer)
        event = {"team_id": "T1", "api_app_id": "A1", "type": "event_callback", "event_id": "EvSock",
                 "event": {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "1700000020.000001",
                           "text": "<@UBOT> Our new bags: 12 numbered pieces from old sails."}}  # fmt: skip
        for attempt in (0, 1):  # Slack's redelivery carries the same event_id
            run_bolt_app(app.app, SocketModeRequest("events_api", f"env-{2 + attempt}", event, retry_attempt=attempt))
        app.idle()
        assert len(fake_slack.of("chat.postMessage")) == 1
    finally:
        app.close()
