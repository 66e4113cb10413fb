"""Helpers of the digest tests: posts at known times and stored reports. The stand-in Slack Web API is the
suite's shared one, tests/support/fake_slack.py."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np

TEAM = "T1"
TOKEN = "xoxb-digest-test-token"


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
