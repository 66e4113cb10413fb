"""Copy-paste detection for the Slack app: one FAISS index per process over the app's own post store.

`ReuseFinder.from_store` suits one-off CLI checks: it opens the store named in the service's settings and builds
an index from every stored post on each call. A server checks drafts all day, so this adapter keeps one index,
brings it up to date (under a lock) before each search — posts recorded by other processes count too — and
hands ReuseFinder a source limited to the draft's scope, applied in the index and again in SQL.
"""

from __future__ import annotations

import threading

from bot.history.index import PostIndex
from bot.history.reuse import HistoryPost, ReuseFinder
from bot.history.store import PostStore, Scope


class SharedHistory:
    def __init__(self, store: PostStore):
        self.store = store
        self._index: PostIndex | None = None
        self._lock = threading.Lock()

    def synced_index(self) -> PostIndex:
        with self._lock:
            if self._index is None:
                self._index = PostIndex.from_store(self.store)
            else:
                self._index.sync(self.store)
            return self._index

    def finder(self, service, scope: Scope) -> ReuseFinder:
        return ReuseFinder(service, _ScopedSource(self, scope))


class _ScopedSource:
    """The candidates ReuseFinder asks for: nearest neighbours and exact-text twins the scope may see."""

    def __init__(self, history: SharedHistory, scope: Scope):
        self.history, self.scope = history, scope

    def candidates(self, vector, digest: str, k: int) -> dict[int, HistoryPost]:
        store = self.history.store
        ids = [i for i, _ in self.history.synced_index().search(vector, k, self.scope)]
        rows = store.get_posts(ids, self.scope)
        rows.update({p.id: p for p in store.posts_with_hash(digest, self.scope)})
        return {i: HistoryPost.from_stored(p) for i, p in rows.items() if p.embedding is not None}
