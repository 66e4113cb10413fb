"""FAISS search over stored post embeddings; ids are `posts.id`, and results respect the reader's `Scope`.

The database is the source of truth: an index is built from it (`from_store`), takes new posts as they arrive
(`add`), and catches up with posts another process stored (`sync`), so two processes, or one after a restart,
search the same posts. Exact inner-product search (`IndexFlatIP`) is used while it is fast enough; above
`APPROXIMATE_ABOVE` posts an HNSW graph (inner product) answers in under a millisecond (median) with recall@10 of
0.998 at 100,000 posts and 0.985 at 1,000,000 against exact search, at the default `ef_search`
(benchmarks/bench_reuse.py). A flat scan of 100,000 vectors of 384 floats reads 150 MB per query, about 20 ms on a
small cloud machine, hence a threshold well below that. The graph costs time to build (about 26 s for 100,000
posts on two shared cores) and memory (1.6 GB for 1,000,000), so a one-off check passes `approximate=False`.

Privacy: the index keeps each post's workspace, channel and private flag, and drops every result the scope may
not see, searching wider until it has `k` visible results or has seen everything.
"""

from __future__ import annotations

import threading

import numpy as np

from bot.history.store import PostStore, Scope

APPROXIMATE_ABOVE = 20_000
HNSW_M = 16  # links per node: 32 would raise recall a little and double the build time
HNSW_EF_CONSTRUCTION = 64
HNSW_EF_SEARCH = 128


class PostIndex:
    """Nearest stored posts by cosine. `approximate`: None = by size, False = always exact, True = always HNSW."""

    def __init__(self, dim: int = 384, approximate: bool | None = None, ef_search: int = HNSW_EF_SEARCH):
        self.dim = dim
        self.approximate = approximate
        self.ef_search = ef_search
        self.last_id = 0  # highest posts.id seen, for sync()
        self._lock = threading.RLock()
        self._index = self._new_index(hnsw=approximate is True)
        self._codes: dict[str | None, int] = {None: 0}  # workspace and channel names → small integers
        self._ws = np.zeros(0, dtype=np.int32)  # per posts.id
        self._ch = np.zeros(0, dtype=np.int32)
        self._private = np.zeros(0, dtype=bool)

    @classmethod
    def from_store(cls, store: PostStore, approximate: bool | None = None, **kw) -> PostIndex:
        index = cls(approximate=approximate, **kw)
        index.sync(store)
        return index

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def is_approximate(self) -> bool:
        return self._hnsw is not None

    # Building ---------------------------------------------------------------------------------------------------
    def _new_index(self, hnsw: bool):
        import faiss

        if hnsw:
            graph = faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            graph.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            graph.hnsw.efSearch = self.ef_search
            self._hnsw = graph
            return faiss.IndexIDMap2(graph)
        self._hnsw = None
        return faiss.IndexIDMap(faiss.IndexFlatIP(self.dim))

    def sync(self, store: PostStore) -> int:
        """Add the posts stored (by any process) since the last sync; returns how many."""
        added = 0
        for batch in store.iter_embeddings(after_id=self.last_id):
            self.add(batch.ids, batch.vectors, batch.visibility)
            added += len(batch.ids)
        return added

    def add(self, ids, vectors, visibility) -> None:
        """Add posts: ids (posts.id), normalised float32 vectors, and (workspace, channel, private) per post."""
        ids = np.asarray(ids, dtype=np.int64).ravel()
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(ids), -1)
        if not len(ids):
            return
        if vectors.shape[1] != self.dim:
            if len(self):
                raise ValueError(f"embedding size {vectors.shape[1]} differs from the index's {self.dim}")
            self.dim = vectors.shape[1]
            self._index = self._new_index(hnsw=self.approximate is True)
        with self._lock:
            self._remember(ids, visibility)
            if self._hnsw is None and self.approximate is None and len(self) + len(ids) > APPROXIMATE_ABOVE:
                self._to_hnsw()
            self._index.add_with_ids(vectors, ids)
            self.last_id = max(self.last_id, int(ids.max()))

    def _remember(self, ids: np.ndarray, visibility) -> None:
        top = int(ids.max()) + 1
        if top > len(self._ws):
            size = max(top, 2 * len(self._ws))
            self._ws = np.resize(self._ws, size)
            self._ch = np.resize(self._ch, size)
            self._private = np.resize(self._private, size)
        for i, (ws, ch, private) in zip(ids.tolist(), visibility):
            self._ws[i] = self._codes.setdefault(ws, len(self._codes))
            self._ch[i] = self._codes.setdefault(ch, len(self._codes))
            self._private[i] = private

    def _to_hnsw(self) -> None:
        import faiss

        old = self._index
        ids = faiss.vector_to_array(old.id_map).astype(np.int64)
        vectors = old.index.reconstruct_n(0, old.ntotal) if old.ntotal else np.zeros((0, self.dim), np.float32)
        self._index = self._new_index(hnsw=True)
        if len(ids):
            self._index.add_with_ids(vectors, ids)

    # Searching --------------------------------------------------------------------------------------------------
    def search(self, vector, k: int = 10, scope: Scope | None = None) -> list[tuple[int, float]]:
        """The k nearest posts the scope may see, as (posts.id, cosine), best first."""
        q = np.ascontiguousarray(vector, dtype=np.float32).reshape(1, -1)
        with self._lock:
            n = len(self)
            fetch = k
            while n:
                fetch = min(fetch, n)
                if self._hnsw is not None:
                    self._hnsw.hnsw.efSearch = max(self.ef_search, fetch)
                sims, ids = self._index.search(q, fetch)
                ids, sims = ids[0], sims[0]
                keep = ids >= 0
                ids, sims = ids[keep], sims[keep]
                if scope is not None and scope.workspace is not None:
                    visible = self._visible(ids, scope)
                    ids, sims = ids[visible], sims[visible]
                if len(ids) >= k or fetch >= n:
                    return [(int(i), float(s)) for i, s in zip(ids[:k], sims[:k])]
                fetch *= 4
        return []

    def _visible(self, ids: np.ndarray, scope: Scope) -> np.ndarray:
        """The rule of Scope.allows, vectorised over the index's own copy of each post's visibility."""
        ws = self._codes.get(scope.workspace, -1)
        ch = self._codes.get(scope.channel, -1) if scope.channel is not None else -1
        return (self._ws[ids] == ws) & (~self._private[ids] | (self._ch[ids] == ch))
