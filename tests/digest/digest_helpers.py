"""Helpers of the digest tests: posts at known times, stored reports, and a stand-in Slack Web API.

The stand-in listens on a free loopback port, records every call and answers just enough for chat.postMessage
and files_upload_v2 (getUploadURLExternal → upload → completeUploadExternal). Tests wait on its calls with
`wait_for` (a condition and a deadline), never with sleeps.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import numpy as np

TEAM = "T1"
TOKEN = "xoxb-digest-test-token"


@dataclass
class Call:
    method: str
    payload: dict
    at: float


class StandInSlack:
    def __init__(self):
        self.calls: list[Call] = []
        self.fail: dict[str, str] = {}  # method → error to answer with (ok: false)
        self.cond = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def of(self, method: str) -> list[Call]:
        with self.cond:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 20.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"no {count} × {method} within {timeout}s; got {seen}")
                self.cond.wait(left)

    def _answer(self, method: str, payload: dict) -> dict:
        if method in self.fail:
            return {"ok": False, "error": self.fail[method]}
        if method == "auth.test":
            return {"ok": True, "team_id": TEAM, "user_id": "UBOT", "bot_id": "BBOT"}
        if method == "chat.postMessage":
            return {"ok": True, "channel": payload.get("channel"), "ts": f"{time.time():.6f}"}
        if method == "files.getUploadURLExternal":
            return {"ok": True, "file_id": "F1", "upload_url": f"{self.url}/upload/F1"}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": "F1", "title": "chart"}]}
        return {"ok": True}

    def _handler(self):
        slack = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = urlsplit(self.path)
                if path.path.startswith("/upload/"):
                    method, payload = "upload", {"bytes": len(raw), "png": raw[:8] == b"\x89PNG\r\n\x1a\n"}
                else:
                    method = path.path.rsplit("/", 1)[-1]
                    payload = dict(parse_qsl(path.query))
                    if "json" in (self.headers.get("Content-Type") or ""):
                        payload.update(json.loads(raw or b"{}"))
                    else:
                        payload.update(parse_qsl(raw.decode("utf-8")))
                    payload["_auth"] = self.headers.get("Authorization")
                answer = {"ok": True} if method == "upload" else slack._answer(method, payload)
                with slack.cond:
                    slack.calls.append(Call(method, payload, time.monotonic()))
                    slack.cond.notify_all()
                body = json.dumps(answer).encode() if method != "upload" else b"OK"
                self.send_response(200)
                self.send_header("Content-Type", "application/json" if method != "upload" else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def unit(seed: int, dim: int = 384) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return v / np.linalg.norm(v)


def report(platform: str, fit: int, principles=(), antipatterns=(), findings=(), reuse=None, fits=None) -> dict:
    """A stored analysis report (DESIGN.md schema 1) with just what the digest reads."""
    fits = dict(fits or {})
    fits[platform] = fit
    platforms = [{"id": pid, "name": pid, "fit": f, "culture": 0.5,
                  "findings": [{"rule": r, "severity": "warning", "message": "…", "start": 0, "end": 1}
                               for r in (findings if pid == platform else ())]}
                 for pid, f in sorted(fits.items(), key=lambda kv: -kv[1])]  # fmt: skip
    out = {"schema": 1, "id": None, "language": "en", "best_platform": platforms[0]["id"], "targets": [platform],
           "platforms": platforms, "principles": [{"id": p, "name": p, "score": 0.9, "evidence": []}
                                                  for p in principles],
           "antipatterns": [{"rule": r, "severity": "warning", "message": "…", "start": None, "end": None}
                            for r in antipatterns], "rewrites": {}}  # fmt: skip
    if reuse is not None:
        out["reuse"] = [{"post_id": pid, "platform": plat, "similarity": sim, "kind": kind}
                        for pid, plat, sim, kind in reuse]  # fmt: skip
    return out


def post(ext: str, platform: str, text: str, at: datetime, channel: str | None = "CTEAM", private: bool = False,
         fit: int | None = None, rep: dict | None = None, status: str = "published", vector=None,
         workspace: str = TEAM):
    from bot.history.store import PostIn

    return PostIn(ext, platform, text, workspace, channel, private, "U1", status, at, None, vector, "en", fit, rep)
