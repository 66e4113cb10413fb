"""Every request to /slack/events must carry Slack's signature over its exact body and a timestamp within five
minutes; anything else gets 401 and reaches neither the engine, the database nor Slack. (tests/slack covers a
forged secret and a 6-minute-old slash command; here: the other shapes of forgery and replay.)"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier
from support.slack_harness import SECRET

from bot.slack import ids

DRAFT = "Only 50 seats left for our free workshop on Thursday. Save yours now!"


def command_body(fake_slack, text: str = DRAFT) -> str:
    return urlencode({"token": "legacy", "team_id": "T1", "channel_id": "C1", "channel_name": "general",
                      "user_id": "U1", "command": ids.CMD_DRAFT_CHECK, "text": text, "api_app_id": "A1",
                      "trigger_id": "t", "response_url": fake_slack.response_url()})  # fmt: skip


def event_body() -> str:
    return json.dumps({"token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                       "event_id": f"Ev{time.monotonic_ns()}", "event_time": int(time.time()),
                       "event": {"type": "app_mention", "user": "U1", "channel": "C1", "ts": "1700000000.000001",
                                 "text": f"<@UBOT> {DRAFT}"}})  # fmt: skip


def interaction_body() -> str:
    payload = {"type": "shortcut", "callback_id": ids.SC_CHECK_DRAFT, "trigger_id": "t", "team": {"id": "T1"},
               "user": {"id": "U1", "team_id": "T1"}, "api_app_id": "A1", "token": "legacy"}  # fmt: skip
    return urlencode({"payload": json.dumps(payload)})


def post(slack, body: str, headers: dict, content_type: str = "application/x-www-form-urlencoded") -> int:
    req = urllib.request.Request(slack.url + "/slack/events", data=body.encode(), method="POST",
                                 headers={"Content-Type": content_type, **headers})  # fmt: skip
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def signed(body: str, timestamp: int | str | None = None, secret: str = SECRET) -> dict:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {"X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)}


def forgeries(body: str) -> dict[str, dict]:
    now = int(time.time())
    good = signed(body)
    return {
        "no headers": {},
        "no signature": {"X-Slack-Request-Timestamp": str(now)},
        "no timestamp": {"X-Slack-Signature": good["X-Slack-Signature"]},
        "wrong secret": signed(body, secret="guessed-secret"),
        "signature of another body": signed(body + "&text=changed"),
        "replayed 5 min 1 s later": signed(body, now - 301),
        "replayed a day later": signed(body, now - 86_400),
        "timestamp from the future": signed(body, now + 600),
        "timestamp not a number": {**good, "X-Slack-Request-Timestamp": "yesterday"},
        "signature of another version": {**good, "X-Slack-Signature": good["X-Slack-Signature"].replace("v0=", "v1=")},
        "signature in upper case": {**good, "X-Slack-Signature": "v0=" + good["X-Slack-Signature"][3:].upper()},
    }


@pytest.mark.parametrize("kind", ["command", "event", "interaction"])
def test_forged_and_replayed_requests_are_refused(slack, fake_slack, store, kind):
    body = {"command": lambda: command_body(fake_slack), "event": event_body, "interaction": interaction_body}[kind]()
    content_type = "application/json" if kind == "event" else "application/x-www-form-urlencoded"
    statuses = {name: post(slack, body, headers, content_type) for name, headers in forgeries(body).items()}
    assert statuses == {name: 401 for name in statuses}
    slack.idle()
    assert fake_slack.calls == [] and store.count() == 0  # nothing reached Slack, the engine or the database


def test_a_body_changed_after_signing_is_refused(slack, fake_slack):
    original = command_body(fake_slack, "linkedin a harmless draft")
    tampered = command_body(fake_slack, "linkedin " + "x" * 5000)
    assert post(slack, tampered, signed(original)) == 401
    slack.idle()
    assert fake_slack.calls == []


def test_a_fresh_signed_request_is_accepted(slack, fake_slack):
    """The same request, correctly signed now (or four minutes ago: within Slack's window), is answered."""
    body = command_body(fake_slack)
    assert post(slack, body, signed(body, int(time.time()) - 240)) == 200
    fake_slack.wait_for("response_url")


def test_install_pages_do_not_exist_without_oauth(slack):
    """In single-workspace mode there is nothing to install: no page that starts an OAuth flow."""
    assert slack.get("/slack/install").status == 404
    assert slack.get("/slack/oauth_redirect?code=x&state=y").status == 404
