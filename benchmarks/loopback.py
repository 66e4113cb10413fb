"""The real Slack app served over HTTP on loopback, set up as `crowdculture serve` would be, against the test
suite's stand-in Slack: shared by the Slack benchmarks (latency, memory)."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the stand-in Slack of the test suite

from support.fake_slack import FakeSlack  # noqa: E402
from support.slack_harness import SECRET, Sender  # noqa: E402


@dataclass
class Loopback:
    settings: object
    service: object
    store: object
    server: object
    slack: Sender


def serve_on_loopback(fake: FakeSlack, db_dir: str, with_store: bool = False) -> Loopback:
    """Start the app on 127.0.0.1 (a free port) with its post store in `db_dir`; `fake` must be started.
    `with_store` opens the store here (as `serve` does: one for the app) so the caller can read it too."""
    from bot.config import load_settings
    from bot.service import Crowdculture
    from bot.slack.app import build_app
    from bot.slack.server import make_http_server, tune_for_serving
    from bot.slack.store import open_store

    os.environ.update(SLACK_API_URL=fake.api_url, SLACK_SIGNING_SECRET=SECRET, SLACK_BOT_TOKEN="xoxb-bench")
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        os.environ.pop(name, None)
    settings = load_settings(ROOT / "config.yaml")
    settings.database_url = f"sqlite:///{db_dir}/posts.db"
    tune_for_serving(settings)
    service = Crowdculture(settings)
    service.analyzer.warm_up()
    store = open_store(settings) if with_store else None
    app = build_app(settings, service, store, token_verification_enabled=False)
    server = make_http_server(app, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return Loopback(settings, service, store, server, Sender(f"http://127.0.0.1:{server.server_address[1]}", fake))
