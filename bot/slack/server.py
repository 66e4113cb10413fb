"""`crowdculture serve`: the Slack app over HTTP (production) or Socket Mode (development).

HTTP is a small threaded WSGI server around Bolt's WSGI adapter: /slack/events (verified by Bolt: a bad
signature or a timestamp older than five minutes gets 401), /slack/install and /slack/oauth_redirect when OAuth
is configured, and GET /healthz for load balancers. Put it behind HTTPS (a reverse proxy or a tunnel).
"""

from __future__ import annotations

import logging
import os
import signal
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.errors import CrowdcultureError, UsageError

log = logging.getLogger(__name__)
SETUP = "create the app from manifest.json (README, \"Install in your workspace\")"
SECRETS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_SECRET", "SLACK_CLIENT_ID")


def require_environment(mode: str) -> None:
    """One clear line naming the missing variable, before any model loads."""

    def need(name: str, what: str) -> None:
        if not os.environ.get(name):
            raise UsageError(f"{name} is not set: {SETUP} and export its {what}")

    if mode == "socket":
        need("SLACK_APP_TOKEN", "app-level token (xapp-…, Basic Information → App-Level Tokens, scope "
                                "connections:write)")  # fmt: skip
        need("SLACK_BOT_TOKEN", "bot token (xoxb-…, OAuth & Permissions)")
        return
    need("SLACK_SIGNING_SECRET", "signing secret (Basic Information → App Credentials)")
    if not os.environ.get("SLACK_BOT_TOKEN") and not (os.environ.get("SLACK_CLIENT_ID")
                                                      and os.environ.get("SLACK_CLIENT_SECRET")):  # fmt: skip
        raise UsageError(f"SLACK_BOT_TOKEN is not set: {SETUP} and export its bot token (xoxb-…), or set "
                         "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to install it in several workspaces")  # fmt: skip


class RedactSecrets(logging.Filter):
    """Last line of defence: a secret that reaches a log line anyway is replaced by its name."""

    def __init__(self, names=SECRETS):
        super().__init__()
        self.secrets = {os.environ[n]: n for n in names if len(os.environ.get(n, "")) >= 8}

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            text = record.getMessage()
            redacted = text
            for secret, name in self.secrets.items():
                redacted = redacted.replace(secret, f"<{name}>")
            if redacted != text:
                record.msg, record.args = redacted, None
        return True


# HTTP ------------------------------------------------------------------------------------------------------------

class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's default of 5 drops a burst of connections into 1 s SYN retries


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the name http.server uses
        log.debug("%s %s", self.address_string(), format % args)


def wsgi_app(app: App):
    slack = SlackRequestHandler(app)

    def application(environ, start_response):
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
        if timestamp is not None and not timestamp.strip().isdigit():
            # slack_sdk's verifier raises on it (a 500 and a traceback per request): refuse it as the forgery it is.
            start_response("401 Unauthorized", [("Content-Type", "application/json")])
            return [b'{"error": "invalid request"}']
        return slack(environ, start_response)

    return application


def make_http_server(app: App, host: str = "0.0.0.0", port: int = 3000) -> WSGIServer:
    """A threaded server: a slow request never holds up the next ack. Port 0 picks a free port."""
    return make_server(host, port, wsgi_app(app), server_class=ThreadingWSGIServer, handler_class=_QuietHandler)


def _stop(signum, frame):
    raise KeyboardInterrupt  # SIGTERM (docker stop, systemd) ends serve_forever like Ctrl-C


# The verb ----------------------------------------------------------------------------------------------------------

M_MMAP_THRESHOLD = -3  # mallopt parameter (glibc malloc.h)
MMAP_THRESHOLD = 128 * 1024


def fix_malloc_threshold() -> bool:
    """Keep glibc from raising its mmap threshold as torch frees large tensors in the listener threads.

    Otherwise later large buffers come from malloc's heaps, fragment them and are never given back: the server's
    resident size grew by 113-165 MB per 1,000 checks with no live objects behind it, and by 15 MB with the
    threshold fixed (benchmarks/bench_memory.py). Same as MALLOC_MMAP_THRESHOLD_=131072; no-op off glibc."""
    if os.environ.get("MALLOC_MMAP_THRESHOLD_"):
        return False  # the operator chose
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (OSError, AttributeError):
        return False


def tune_for_serving(settings) -> None:
    """What a server changes in its process before loading models (benchmarks of the server call it too): glibc's
    mmap threshold, torch's threads (half the cores unless models.threads says: the rest acks and answers), and
    float32 unless models.precision asks for bfloat16: a server sees drafts of every length a few at a time, and
    the bfloat16 kernels kept per input shape grew its resident size by ~100 MB per 1,000 checks (bench_memory).
    For the same reason oneDNN (torch's CPU kernels) caches no primitives: it keeps up to 1,024, one per input
    shape, and a server meets a new shape with nearly every draft, so the cache filled over tens of thousands of
    checks; in float32, creating them afresh costs no measurable time."""
    fix_malloc_threshold()
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "0")  # read when torch first runs a oneDNN kernel
    if not settings.models.threads:
        from bot.embeddings import server_threads

        settings.models.threads = server_threads()
    if settings.models.precision == "auto":
        settings.models.precision = "float32"


def cmd_serve(args) -> int:
    from slack_bolt.error import BoltError

    from bot.config import load_settings
    from bot.digest import start_digest_scheduler
    from bot.history.retention import start_retention_purge
    from bot.service import Crowdculture
    from bot.slack.app import build_app, is_multi_workspace
    from bot.slack.store import open_store

    mode = "socket" if args.socket else "http"
    require_environment(mode)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactSecrets())
    logging.getLogger("bot").setLevel(logging.INFO)
    settings = load_settings(args.config, args.db)
    tune_for_serving(settings)
    service = Crowdculture(settings)  # models load below, once Slack has accepted the credentials
    store = open_store(settings)  # one store shared by the app and the digest scheduler
    try:
        app = build_app(settings, service, store=store, process_before_response=(mode == "http"))
    except BoltError as exc:
        raise UsageError(f"Slack refused the app's credentials ({exc}); check SLACK_BOT_TOKEN") from None
    except OSError as exc:  # urllib's URLError included: Slack (or SLACK_API_URL) unreachable
        raise CrowdcultureError(f"cannot reach the Slack API at {settings.slack_api_url} "
                                f"({getattr(exc, 'reason', exc)})") from None  # fmt: skip
    log.info("loading models…")
    service.warm_up()  # before the first request, so the first check answers as fast as the others
    # The weekly digest (None when off, without channels, database or single-workspace token: it says why).
    scheduler = start_digest_scheduler(settings, service, store,
                                       None if is_multi_workspace() else (lambda channel: app.client))
    purge = start_retention_purge(settings, store)  # history.retention_days, at start and daily
    try:
        return _run(app, mode, args, settings)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        if purge is not None:
            purge.stop()


def _run(app, mode: str, args, settings) -> int:
    if mode == "socket":
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        log.info("connecting to Slack in Socket Mode")
        SocketModeHandler(app, os.environ["SLACK_APP_TOKEN"]).start()
        return 0
    port = args.port or settings.slack.port
    try:
        server = make_http_server(app, "0.0.0.0", port)
    except OSError as exc:
        raise UsageError(f"cannot listen on port {port}: {exc.strerror} (choose another with --port)") from None
    signal.signal(signal.SIGTERM, _stop)
    log.info("serving Slack requests on http://0.0.0.0:%d/slack/events (health: /healthz)", port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        server.server_close()
    return 0
