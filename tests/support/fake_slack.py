"""A stand-in for Slack on loopback: the Web API (every call recorded), the response_url endpoint and the file
upload URL of files_upload_v2, with per-method failure injection.

Like bolt-python's mock_web_api_server, but on a free port and with `wait_for` (a condition and a deadline)
instead of sleeps. Answers are just rich enough for the app and the digest: a bot identity, permalinks, channel
privacy, admins, OAuth token exchange, getUploadURLExternal → upload → completeUploadExternal.

Failures, per Web API method:

    fake.fail("chat.postMessage", error="not_in_channel")           # always {"ok": false, "error": ...}
    fake.fail("chat.postMessage", status=429, retry_after=1, times=2)  # HTTP 429 twice, then the normal answer
    fake.fail("chat.postMessage", status=500)                        # always HTTP 500
    fake.clear("chat.postMessage")
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

BOT_USER = "UBOT"
ADMIN = "UADMIN"
BOT_TOKEN = "xoxb-stand-in-bot-token-0001"
TEAM = "T1"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass
class Call:
    method: str  # Web API method ("chat.postMessage"), "response_url" or "upload"
    path: str
    payload: dict
    headers: dict
    at: float
    status: int = 200  # the HTTP status the stand-in answered with

    @property
    def text(self) -> str:
        """Everything a person would read in this call: text and blocks, as one string."""
        return json.dumps(self.payload, ensure_ascii=False)


@dataclass
class Failure:
    status: int = 200  # 200 with `error` is Slack's usual {"ok": false}; 429 and 5xx are HTTP errors
    error: str | None = None
    retry_after: int | None = None  # seconds, sent as the Retry-After header (429)
    times: int | None = None  # answer like this this many times, then normally; None: always


class FakeSlack:
    def __init__(self):
        self.calls: list[Call] = []
        self.cond = threading.Condition()
        self.private_channels: set[str] = set()
        self.failures: dict[str, Failure] = {}
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

    # Failure injection --------------------------------------------------------------------------------------------
    def fail(self, method: str, *, error: str | None = None, status: int | None = None,
             retry_after: int | None = None, times: int | None = None) -> None:
        """Make `method` fail: with `error` ({"ok": false}) or an HTTP `status` (429, 500…), `times` times or always."""
        if status is None:
            status = 429 if retry_after is not None else 200
        if status == 200 and error is None:
            raise ValueError("give an error or an HTTP status")
        with self.cond:
            self.failures[method] = Failure(status, error, retry_after, times)

    def clear(self, method: str | None = None) -> None:
        with self.cond:
            if method is None:
                self.failures.clear()
            else:
                self.failures.pop(method, None)

    def _failure(self, method: str) -> Failure | None:
        with self.cond:
            failure = self.failures.get(method)
            if failure is None:
                return None
            if failure.times is not None:
                failure.times -= 1
                if failure.times <= 0:
                    del self.failures[method]
            return failure

    # Looking at what Slack received ---------------------------------------------------------------------------
    def _matching(self, method: str, path: str | None, status: int | None) -> list[Call]:
        return [c for c in self.calls if c.method == method and (path is None or c.path == path)
                and (status is None or c.status == status)]  # fmt: skip

    def of(self, method: str, path: str | None = None, status: int | None = None) -> list[Call]:
        with self.cond:
            return self._matching(method, path, status)

    def wait_for(self, method: str, count: int = 1, timeout: float = 30.0, path: str | None = None,
                 status: int | None = None) -> list[Call]:  # fmt: skip
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                found = self._matching(method, path, status)
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
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": TEAM, "team": "Team one",
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
        if method == "files.getUploadURLExternal":
            return {"ok": True, "file_id": "F1", "upload_url": f"{self.url}/upload/F1"}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": "F1", "title": "chart"}]}
        return {"ok": True}

    @staticmethod
    def _payload(query: str, raw: bytes, content_type: str) -> dict:
        payload = dict(parse_qsl(query))
        if "json" in content_type:
            payload.update(json.loads(raw or b"{}"))
            return payload
        payload.update(parse_qsl(raw.decode("utf-8")))
        for key in ("view", "blocks"):
            if isinstance(payload.get(key), str):
                payload[key] = json.loads(payload[key])
        return payload

    def _respond(self, method: str, payload: dict) -> tuple[int, dict, dict]:
        """(HTTP status, JSON answer, extra headers) for one Web API call, failures injected first."""
        failure = self._failure(method)
        if failure is None:
            return 200, self._answer(method, payload), {}
        error = failure.error or ("ratelimited" if failure.status == 429 else "internal_error")
        headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
        return failure.status, {"ok": False, "error": error}, headers

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = urlsplit(self.path)
                status, content_type, extra = 200, "application/json", {}
                if path.path.startswith("/upload/"):  # files_upload_v2's second step: the file's bytes
                    method, payload, body = "upload", {"bytes": len(raw), "png": raw[:8] == PNG_MAGIC}, b"OK"
                    content_type = "text/plain"
                else:
                    payload = fake._payload(path.query, raw, self.headers.get("Content-Type") or "")
                    if path.path.startswith("/api/"):
                        method = path.path[len("/api/"):]
                        status, answer, extra = fake._respond(method, payload)
                        body = json.dumps(answer).encode()
                    else:
                        method, body, content_type = "response_url", b"ok", "text/plain"
                call = Call(method, self.path, payload, dict(self.headers), time.monotonic(), status)
                with fake.cond:
                    fake.calls.append(call)
                    fake.cond.notify_all()
                self.send_response(status)
                for name, value in {**extra, "Content-Type": content_type, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        return Handler
