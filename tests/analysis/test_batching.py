"""Concurrent checks share one batch; a bad draft fails alone; a lone check waits for nobody."""

import threading
import time

import pytest

from bot.analysis.batching import Batcher


class Recorder:
    def __init__(self, delay=0.05):
        self.delay, self.batches, self.lock = delay, [], threading.Lock()

    def __call__(self, items):
        with self.lock:
            self.batches.append(list(items))
        time.sleep(self.delay)
        if "bad" in items:
            raise ValueError("bad draft")
        return [f"report of {x}" for x in items]


def run_concurrently(batcher, items):
    results, errors = {}, {}
    start = threading.Barrier(len(items))

    def call(x):
        start.wait()
        try:
            results[x] = batcher.run(x)
        except Exception as exc:
            errors[x] = exc

    threads = [threading.Thread(target=call, args=(x,)) for x in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return results, errors


def test_concurrent_items_share_batches_and_each_gets_its_own_result():
    rec = Recorder()
    items = [f"d{i}" for i in range(20)]
    results, errors = run_concurrently(Batcher(rec), items)
    assert errors == {}
    assert results == {x: f"report of {x}" for x in items}
    assert sorted(x for b in rec.batches for x in b) == sorted(items)  # each analysed exactly once
    assert len(rec.batches) < len(items) / 2
    assert max(len(b) for b in rec.batches) > 1


def test_one_bad_draft_fails_alone():
    rec = Recorder(delay=0.02)
    items = ["a", "b", "bad", "c", "d", "e"]
    results, errors = run_concurrently(Batcher(rec), items)
    assert set(errors) == {"bad"} and isinstance(errors["bad"], ValueError)
    assert results == {x: f"report of {x}" for x in items if x != "bad"}


def test_lone_call_runs_at_once_and_batches_respect_the_maximum():
    rec = Recorder(delay=0.0)
    b = Batcher(rec, max_batch=4)
    assert b.run("only") == "report of only"
    assert rec.batches == [["only"]]
    rec.delay = 0.03
    results, errors = run_concurrently(b, [f"x{i}" for i in range(12)])
    assert not errors and len(results) == 12
    assert max(len(batch) for batch in rec.batches) <= 4


def test_interrupted_batch_strands_nobody():
    calls = []

    def run_many(items):
        calls.append(items)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return items

    b = Batcher(run_many)
    with pytest.raises(KeyboardInterrupt):
        b.run("first")
    assert b.run("second") == "second"  # the batcher recovered: the next caller leads again
