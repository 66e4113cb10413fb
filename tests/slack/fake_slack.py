"""A stand-in for Slack on loopback: the Web API (every call recorded) and the response_url endpoint.

Like bolt-python's mock_web_api_server, but on a free port and with `wait_for` (a condition and a deadline)
instead of sleeps. Answers are just rich enough for the app: a bot identity, permalinks, channel privacy,
admins, OAuth token exchange.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

BOT_USER = "UBOT"
ADMIN = "UADMIN"
BOT_TOKEN = "xoxb-stand-in-bot-token-0001"


@dataclass
class Call:
    method: str  # Web API method ("chat.postMessage") or "response_url"
    path: str
    payload: dict
    headers: dict
    at: float

    @property
    def text(self) -> str:
        """Everything a person would read in this call: text and blocks, as one string."""
        return json.dumps(self.payload, ensure_ascii=False)


class FakeSlack:
    def __init__(self):
        self.calls: list[Call] = []
        self.cond = threading.Condition()
        self.private_channels: set[str] = set()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def response_url(self, name: str = "r") -> str:
        return f"{self.url}/response/{name}"

    def start(self) -> FakeSlack:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.cond:
            self.calls.clear()

    # Looking at what Slack received ---------------------------------------------------------------------------
    def of(self, method: str, path: str | None = None) -> list[Call]:
        with self.cond:
            return [c for c in self.calls if c.method == method and (path is None or c.path == path)]

    def wait_for(self, method: str, count: int = 1, timeout: float = 30.0, path: str | None = None) -> list[Call]:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                found = [c for c in self.calls if c.method == method and (path is None or c.path == path)]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = sorted({c.method for c in self.calls})
                    raise AssertionError(f"Slack did not receive {count} × {method} within {timeout}s; got {seen}")
                self.cond.wait(left)

    # The server ---------------------------------------------------------------------------------------------------
    def _answer(self, method: str, payload: dict) -> dict:
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": "T1", "team": "Team one",
                    "url": "https://team-one.slack.com/"}  # fmt: skip
        if method == "chat.postMessage":
            return {"ok": True, "channel": payload.get("channel"), "ts": f"{time.time():.6f}"}
        if method == "chat.getPermalink":
            ts = str(payload.get("message_ts", "")).replace(".", "")
            return {"ok": True, "permalink": f"https://team.slack.com/archives/{payload.get('channel')}/p{ts}"}
        if method == "conversations.info":
            channel = payload.get("channel", "")
            private = channel in self.private_channels
            return {"ok": True, "channel": {"id": channel, "is_private": private, "is_channel": not private}}
        if method == "users.info":
            user = payload.get("user")
            return {"ok": True, "user": {"id": user, "is_admin": user == ADMIN, "is_owner": False}}
        if method in ("views.open", "views.publish", "views.update"):
            return {"ok": True, "view": {"id": "V1", **(payload.get("view") or {})}}
        if method == "oauth.v2.access":
            return {"ok": True, "access_token": BOT_TOKEN, "token_type": "bot", "scope": "commands,chat:write",
                    "bot_user_id": BOT_USER, "app_id": "A1", "team": {"id": "T9", "name": "Team nine"},
                    "enterprise": None, "is_enterprise_install": False, "authed_user": {"id": "U9"}}  # fmt: skip
        return {"ok": True}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                if "json" in (self.headers.get("Content-Type") or ""):
                    payload = json.loads(raw or "{}")
                else:
                    payload = dict(parse_qsl(raw))
                    for key in ("view", "blocks"):
                        if isinstance(payload.get(key), str):
                            payload[key] = json.loads(payload[key])
                if self.path.startswith("/api/"):
                    method = self.path[len("/api/"):].split("?")[0]
                    body = json.dumps(fake._answer(method, payload)).encode()
                else:
                    method, body = "response_url", b"ok"
                call = Call(method, self.path, payload, dict(self.headers), time.monotonic())
                with fake.cond:
                    fake.calls.append(call)
                    fake.cond.notify_all()
                self.send_response(200)
                self.send_header("Content-Type", "application/json" if method != "response_url" else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler
