"""`crowdculture serve --http` as a real process: health check, 401 for forged requests, a signed command answered.

Slow (the process loads the models): run with --runslow."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from support.fake_slack import FakeSlack
from support.slack_harness import SECRET, Sender, blocks_text

from bot.slack import ids

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_http_process(tmp_path):
    fake = FakeSlack().start()
    port = free_port()
    env = {**os.environ, "SLACK_API_URL": fake.api_url, "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_BOT_TOKEN": "xoxb-serve-test-token", "CROWDCULTURE_DB": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        env.pop(name, None)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 600
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    assert resp.read() == b"ok\n"
                    break
            except OSError:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.2)  # polling a starting process; the deadline bounds it
        client = Sender(f"http://127.0.0.1:{port}", fake)
        assert client.command(ids.CMD_DRAFT_CHECK, "hello", secret="forged").status == 401
        resp = client.command(ids.CMD_DRAFT_CHECK, "linkedin Our new bags: 12 numbered pieces made from old sails.")
        assert resp.status == 200 and resp.elapsed < 3
        (answer,) = fake.wait_for("response_url", timeout=120)
        assert "Best fit" in blocks_text(answer)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
        fake.stop()
    assert "xoxb-serve-test-token" not in out and SECRET not in out
    assert "Traceback" not in out
