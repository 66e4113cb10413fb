"""Concurrent single-draft analyses share one batch.

A server receives drafts one at a time from many threads. Embedding them one by one costs a model call each;
embedding them together costs little more than one. Whoever arrives while no batch is running analyses at once
(a lone request waits for nobody); drafts arriving meanwhile queue, and the next batch takes them all.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class _Waiting:
    item: object
    done: threading.Event = field(default_factory=threading.Event)
    result: object = None
    error: BaseException | None = None


class Batcher:
    """Runs `run_many(items) -> results` (same order) for items submitted concurrently with `run(item)`."""

    def __init__(self, run_many: Callable[[list], list], max_batch: int = 64):
        self.run_many = run_many
        self.max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: list[_Waiting] = []
        self._busy = False

    def run(self, item):
        me = _Waiting(item)
        with self._lock:
            self._queue.append(me)
            lead = not self._busy
            self._busy = True
        if lead:
            self._drain()
        me.done.wait()
        if me.error is not None:
            raise me.error
        return me.result

    def _drain(self) -> None:
        """Serve batches until the queue is empty, then step down (the next arrival leads)."""
        while True:
            with self._lock:
                batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
                if not batch:
                    self._busy = False
                    return
            try:
                self._serve(batch)
            except BaseException:  # interrupted (KeyboardInterrupt, SystemExit): nobody may wait forever
                with self._lock:
                    stranded, self._queue, self._busy = batch + self._queue, [], False
                for w in stranded:
                    if not w.done.is_set():
                        w.error = RuntimeError("analysis interrupted")
                        w.done.set()
                raise

    def _serve(self, batch: list[_Waiting]) -> None:
        try:
            results = self.run_many([w.item for w in batch])
        except Exception as exc:
            if len(batch) > 1:  # one bad draft must not fail the others: retry each alone
                log.info("batch of %d failed (%s); analysing its drafts one by one", len(batch), type(exc).__name__)
                for w in batch:
                    self._serve([w])
                return
            batch[0].error = exc
            batch[0].done.set()
            return
        for w, r in zip(batch, results):
            w.result = r
            w.done.set()
