"""The FAISS index of stored posts: exact results, scope filtering, rebuilt identically after a restart, catching
up with posts another process stored, and the HNSW graph above the size threshold."""

from __future__ import annotations

import numpy as np
import pytest
from history_helpers import unit

from bot.history import index as index_mod
from bot.history.index import PostIndex
from bot.history.store import PostIn, PostStore, Scope


def fill(store, n=40, **kw):
    return store.add_posts([PostIn(f"p{i}", "x", f"post {i}", embedding=unit(i), **kw) for i in range(n)])


def test_exact_search_matches_numpy(store):
    fill(store)
    index = PostIndex.from_store(store)
    assert len(index) == 40 and not index.is_approximate
    q = unit(3) + 0.3 * unit(99)
    q /= np.linalg.norm(q)
    hits = index.search(q, k=5)
    rows = {p.id: p for p in store.list_posts(with_embeddings=True)}
    expected = sorted(rows, key=lambda i: -float(rows[i].embedding @ q))[:5]
    assert [i for i, _ in hits] == expected
    assert rows[hits[0][0]].external_id == "p3" and hits[0][1] == pytest.approx(float(rows[hits[0][0]].embedding @ q))


def test_restart_rebuilds_the_same_index_and_sync_sees_other_processes(db_url):
    first = PostStore(db_url)
    fill(first, 30)
    before = PostIndex.from_store(first)
    q = unit(12)
    first.close()

    restarted = PostStore(db_url)  # a restart, or a second process
    after = PostIndex.from_store(restarted)
    assert len(after) == len(before) and after.search(q, 10) == before.search(q, 10)

    writer = PostStore(db_url)  # another process stores a post
    new = writer.add_posts([PostIn("late", "x", "late post", embedding=unit(12))])[0]
    writer.close()
    assert after.sync(restarted) == 1 and after.sync(restarted) == 0
    assert new.id in [i for i, _ in after.search(q, 2)]
    restarted.close()


def test_scope_filter_other_workspace_never_private_channel_only_inside(store):
    v = unit(1)
    store.add_posts([
        PostIn("t2", "x", "a", workspace="T2", embedding=v),  # the nearest of all, in another workspace
        PostIn("secret", "x", "b", workspace="T1", channel="PRIV", channel_private=True, embedding=v),
        PostIn("public", "x", "c", workspace="T1", channel="C1", embedding=0.8 * v + 0.6 * unit(2)),
    ] + [PostIn(f"far{i}", "x", "d", workspace="T2", embedding=unit(100 + i)) for i in range(30)])  # fmt: skip
    index = PostIndex.from_store(store)
    names = {p.id: p.external_id for p in store.list_posts()}

    def seen(scope, k=3):
        return [names[i] for i, _ in index.search(v, k, scope)]

    assert seen(Scope("T1", "C1")) == ["public"]
    assert seen(Scope("T1", "PRIV", True)) == ["secret", "public"]
    assert "t2" not in seen(Scope("T1", None)) and "secret" not in seen(Scope("T1", None))
    assert seen(Scope("T3")) == []
    assert seen(Scope("T2"), k=1) == ["t2"]
    assert set(seen(None)) == {"t2", "secret", "public"}


def test_hnsw_above_the_threshold_keeps_recall(monkeypatch):
    monkeypatch.setattr(index_mod, "APPROXIMATE_ABOVE", 500)
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((20, 64)).astype(np.float32)
    vectors = centres[rng.integers(0, 20, 3000)] + 0.5 * rng.standard_normal((3000, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = PostIndex(dim=64)
    index.add(np.arange(1, 401), vectors[:400], [("T", None, False)] * 400)
    assert not index.is_approximate
    index.add(np.arange(401, 3001), vectors[400:], [("T", None, False)] * 2600)
    assert index.is_approximate and len(index) == 3000
    queries = vectors[rng.integers(0, 3000, 50)] + 0.1 * rng.standard_normal((50, 64)).astype(np.float32)
    recall = []
    for q in queries:
        exact = set((np.argsort(-(vectors @ q))[:10] + 1).tolist())
        recall.append(len(exact & {i for i, _ in index.search(q, 10)}) / 10)
    assert np.mean(recall) >= 0.95
