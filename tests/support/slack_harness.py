"""The real app on a free loopback port, and helpers that send it what Slack would send, signed."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from support.fake_slack import FakeSlack

SECRET = "test-signing-secret-5f1c0b6e2a"
BOT_TOKEN = "xoxb-test-bot-token-7d2e9a41c3"
TEAM = "T1"
WATCHED = "CWATCH"


@dataclass
class Response:
    status: int
    body: str
    elapsed: float  # seconds from sending the request to the end of the response (the ack)
    headers: dict = field(default_factory=dict)


class TrackingExecutor(ThreadPoolExecutor):
    """The app's listener executor, remembering its work so a test can wait until every lazy listener is done
    (a condition, not a sleep) before asserting that something did *not* happen."""

    def __init__(self):
        super().__init__(16, thread_name_prefix="test-slack")
        self.futures: list[Future] = []
        self._guard = threading.Lock()

    def submit(self, fn, /, *args, **kwargs):
        future = super().submit(fn, *args, **kwargs)
        with self._guard:
            self.futures.append(future)
        return future

    def idle(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            with self._guard:
                pending = [f for f in self.futures if not f.done()]
            if not pending:
                return
            left = deadline - time.monotonic()
            assert left > 0, f"{len(pending)} listeners still running after {timeout}s"
            wait(pending, timeout=left)


class Sender:
    """Sends what Slack would send to the app at `url`, signed, and times the ack."""

    def __init__(self, url: str, fake: FakeSlack):
        self.url, self.fake = url, fake

    def request(self, path: str, body: str | None = None, content_type: str = "application/x-www-form-urlencoded",
                timestamp: int | None = None, secret: str = SECRET, headers: dict | None = None) -> Response:
        data = body.encode() if body is not None else None
        hdrs = dict(headers or {})
        if body is not None:
            ts = str(int(time.time()) if timestamp is None else timestamp)
            hdrs |= {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                     "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)}
        req = urllib.request.Request(self.url + path, data=data, headers=hdrs, method="POST" if data else "GET")
        start = time.monotonic()
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, text, got = resp.status, resp.read().decode(), dict(resp.headers)
        except urllib.error.HTTPError as exc:
            status, text, got = exc.code, exc.read().decode(), dict(exc.headers)
        return Response(status, text, time.monotonic() - start, got)

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.request(path, headers=headers)

    def command(self, command: str, text: str, user: str = "U1", channel: str = "C1", team: str = TEAM,
                channel_name: str = "general", response: str = "r", **kw) -> Response:
        body = urlencode({"token": "legacy", "team_id": team, "team_domain": "team", "channel_id": channel,
                          "channel_name": channel_name, "user_id": user, "user_name": "someone",
                          "command": command, "text": text, "api_app_id": "A1", "trigger_id": "trigger-1",
                          "response_url": self.fake.response_url(response)})
        return self.request("/slack/events", body, **kw)

    def interaction(self, payload: dict, team: str = TEAM, user: str = "U1", **kw) -> Response:
        payload = {"team": {"id": team, "domain": "team"}, "user": {"id": user, "team_id": team},
                   "api_app_id": "A1", "token": "legacy", "trigger_id": "trigger-2", **payload}
        return self.request("/slack/events", urlencode({"payload": json.dumps(payload)}), **kw)

    def event(self, event: dict, team: str = TEAM, event_id: str | None = None, **kw) -> Response:
        body = {"token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
                "event_id": event_id or f"Ev{time.monotonic_ns()}", "event_time": int(time.time()), "event": event,
                "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}]}
        return self.request("/slack/events", json.dumps(body), content_type="application/json", **kw)

    def message(self, text: str, channel: str = WATCHED, user: str = "U1", ts: str | None = None, team: str = TEAM,
                **fields) -> Response:
        event = {"type": "message", "channel": channel, "user": user, "text": text,
                 "ts": ts or f"{time.time():.6f}", "channel_type": "channel", **fields}
        return self.event(event, team=team)

    def submit_view(self, callback_id: str, values: dict, **kw) -> Response:
        view = {"id": "V1", "type": "modal", "callback_id": callback_id, "private_metadata": "",
                "state": {"values": values}}
        return self.interaction({"type": "view_submission", "view": view}, **kw)

    def block_action(self, action_id: str, value: str, response: str = "a", channel: str = "C1", **kw) -> Response:
        return self.interaction({"type": "block_actions", "container": {"type": "message", "is_ephemeral": True},
                                 "channel": {"id": channel}, "response_url": self.fake.response_url(response),
                                 "actions": [{"type": "button", "action_id": action_id, "value": value,
                                              "block_id": "report_actions", "action_ts": "1"}]}, **kw)


def blocks_text(call) -> str:
    """Everything a person reads in a message payload, for assertions."""
    return json.dumps({k: call.payload.get(k) for k in ("text", "blocks")}, ensure_ascii=False)


class SlackApp(Sender):
    """The real app served over HTTP on a free loopback port."""

    def __init__(self, fake: FakeSlack, settings, service, store, **build):
        from bot.slack.app import build_app
        from bot.slack.server import make_http_server

        self.store = store
        self.executor = TrackingExecutor()
        self.app = build_app(settings, service, store, token_verification_enabled=False,
                             listener_executor=self.executor, **build)
        self.server = make_http_server(self.app, "127.0.0.1", 0)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        super().__init__(f"http://127.0.0.1:{self.server.server_address[1]}", fake)

    def idle(self, timeout: float = 60.0) -> None:
        """Every lazy listener started so far has finished."""
        self.executor.idle(timeout)

    def close(self) -> None:
        self.idle()
        self.server.shutdown()
        self.server.server_close()
        self.executor.shutdown()
