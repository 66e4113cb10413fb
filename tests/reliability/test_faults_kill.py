"""`crowdculture history import` killed with SIGKILL while its transaction is open: after a restart the store
holds none of that import's posts (one transaction per import), and the same import then succeeds whole."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.history.store import PostStore

ROOT = Path(__file__).resolve().parents[2]
POSTS = 5000

# Runs the real CLI in a child process with two changes: unless the test is the slow one, the embedding model is
# replaced by a fast stand-in (what is under test is the transaction, not the model); and the first flush of posts
# inside the import's transaction writes a marker file and waits there, so the parent kills the child at a known
# point inside the transaction.
CHILD = """
import os, sys, time
from pathlib import Path

import numpy as np
from sqlalchemy import event
from sqlalchemy.orm import Session

import bot.embeddings

def encode(self, texts, batch_size=64):
    rng = np.random.default_rng(len(texts))
    v = rng.standard_normal((len(texts), 384)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)

if os.environ.get("STAND_IN_MODEL"):
    bot.embeddings.Embedder.encode = encode
marker = Path(sys.argv[1])

if marker.name != "none":
    @event.listens_for(Session, "after_flush")
    def wait_inside_the_transaction(session, context):
        marker.write_text(str(len(session.new) + len(session.identity_map)))
        time.sleep(600)

from bot.cli import main
sys.exit(main(sys.argv[2:]))
"""


def write_posts(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"p{i}", "platform": ("linkedin", "instagram", "x")[i % 3],
                                "text": f"Post {i}: our spring collection, bag number {i}, made from old sails.",
                                "created_at": "2024-03-01T10:00:00Z"}) + "\n")  # fmt: skip


def run_import(tmp_path: Path, marker: str, data: Path, db: str, stand_in: bool) -> subprocess.Popen:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "CROWDCULTURE_CONFIG": str(ROOT / "config.yaml"),
           "STAND_IN_MODEL": "1" if stand_in else ""}
    return subprocess.Popen([sys.executable, str(script), marker, "--db", db, "history", "import", str(data)],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("stand_in", [pytest.param(True, id="stand-in-model"),
                                      pytest.param(False, marks=pytest.mark.slow, id="real-model")])
def test_sigkill_inside_the_import_transaction_leaves_no_partial_import(tmp_path, stand_in):
    data, db = tmp_path / "posts.jsonl", f"sqlite:///{tmp_path / 'posts.db'}"
    write_posts(data, POSTS)
    marker = tmp_path / "flushed"
    child = run_import(tmp_path, str(marker), data, db, stand_in)
    try:
        deadline = time.monotonic() + 900
        while not marker.exists():
            assert child.poll() is None, child.communicate()
            assert time.monotonic() < deadline, "the import never reached its transaction"
            time.sleep(0.05)  # polling a child process; the deadline bounds it
        assert int(marker.read_text()) >= POSTS  # every row was flushed into the open transaction
        assert (tmp_path / "posts.db-wal").stat().st_size > 2_000_000  # …and spilled to the WAL, uncommitted
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL

    with PostStore(db) as store:  # the restart: open the store (SQLite recovers from the WAL)
        assert store.count() == 0
    done = run_import(tmp_path, str(tmp_path / "none"), data, db, stand_in=True)
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    assert f"stored {POSTS} posts" in out
    with PostStore(db) as store:
        assert store.count() == POSTS
