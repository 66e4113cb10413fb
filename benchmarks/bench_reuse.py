"""Post history benchmarks: nearest-post search, end-to-end reuse detection, and import.

    python benchmarks/bench_reuse.py                 # everything (the 1,000,000-vector graph takes minutes to build)
    python benchmarks/bench_reuse.py --quick         # smaller sizes, for a smoke run
    python benchmarks/bench_reuse.py --only import   # one part: import, e2e, search, million

1. Search over 100,000 posts stored in SQLite: the index is rebuilt from the database as at start-up, then
   queried one post at a time (target < 5 ms per query; recall@10 against exact search reported).
2. Search over 1,000,000 vectors in the HNSW graph (target < 20 ms per query with recall@10 ≥ 0.95; memory shown).
3. End to end: `ReuseFinder.find()` against a few thousand real posts (real embeddings of generated posts).
4. Import of 10,000 posts through `crowdculture history import` in a new process (target < 60 s), start-up and
   embeddings included; once with torch's default threads and once with OMP_NUM_THREADS=1.

Embedding 100,000 texts would take longer than the searches measured, so 1 and 2 use synthetic vectors shaped
like real ones: each is a mix of two real post embeddings plus noise drawn from the real embeddings' covariance,
normalised. Prints a table, then one JSON line.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.history.index import PostIndex  # noqa: E402
from bot.history.store import PostIn, PostStore  # noqa: E402
from bot.progress import Progress  # noqa: E402

PLATFORMS = ["linkedin", "instagram", "facebook", "x", "tiktok", "threads", "bluesky", "youtube"]
EN = [
    "Our {product} is back in store from {day} {date} {month}: {n} pieces only, {price} each. Come early!",
    "We're hiring a {role} for our {city} team. Full-time, hybrid, apply before {date} {month}.",
    "{n} people joined our {event} in {city} last week. Thank you all, the next one is on {day} {date} {month}.",
    "New on the blog: how we cut our delivery times by {pct}% in {city} without hiring. Link in bio.",
    "Big news: {brand} raised €{m}M to bring {product} to {n} more shops across Europe by {month}.",
    "Doors open at {hour}pm on {day} for the {event}. Tickets {price}, all proceeds go to the {cause}.",
    "Meet {name}, our new head of {role}. {name} spent {m} years at {brand} before joining us in {city}.",
    "Closed on {day} {date} {month} for the holiday. See you the day after, same time, same place!",
]
FR = [
    "Notre {product_fr} revient en boutique dès le {day_fr} {date} {month_fr} : {n} pièces seulement, {price} l'unité.",
    "Nous recrutons un(e) {role_fr} pour notre équipe de {city}. CDI, candidatures jusqu'au {date} {month_fr}.",
    "{n} personnes à notre {event_fr} à {city} la semaine dernière. Merci ! Prochaine édition le {day_fr} {date}.",
    "Grande nouvelle : {brand} lève {m} M€ pour équiper {n} boutiques de plus d'ici {month_fr}.",
    "Fermeture exceptionnelle le {day_fr} {date} {month_fr}. Réouverture le lendemain aux horaires habituels.",
]
WORDS = {
    "product": ["cardamom bun", "rye sourdough", "linen shirt", "trail shoe", "oat latte", "ceramic mug", "tote bag"],
    "product_fr": ["pain au levain", "sac en lin", "bol en grès", "savon au lait d'ânesse", "gâteau basque"],
    "day": ["Monday", "Tuesday", "Thursday", "Friday", "Saturday"], "day_fr": ["lundi", "mardi", "jeudi", "samedi"],
    "month": ["March", "April", "June", "October", "December"], "month_fr": ["mars", "avril", "juin", "octobre"],
    "role": ["data analyst", "sous-chef", "backend engineer", "community manager", "store manager"],
    "role_fr": ["développeur front-end", "chef de rang", "responsable marketing", "vendeur"],
    "city": ["Leeds", "Lyon", "Nantes", "Bristol", "Lille", "Manchester", "Bordeaux", "Glasgow"],
    "event": ["repair café", "quiz night", "open day", "meetup", "book club"],
    "event_fr": ["atelier", "apéro des voisins", "journée portes ouvertes", "club lecture"],
    "brand": ["Verdant", "Koalia", "Loop Cycles", "Atelier Lune", "Northwind", "Greenhouse"],
    "name": ["Maya", "Tom", "Inès", "Hugo", "Priya", "Sam"],
    "cause": ["lifeboat station", "food bank", "animal shelter"],
}


def synthetic_posts(n: int, seed: int = 0) -> list[dict]:
    """Varied, realistic-looking posts in English and French (templates filled at random)."""
    rng = random.Random(seed)
    posts = []
    for i in range(n):
        template = rng.choice(EN if rng.random() < 0.6 else FR)
        fill = {k: rng.choice(v) for k, v in WORDS.items()}
        fill.update(n=rng.randint(12, 2400), date=rng.randint(1, 28), price=f"£{rng.randint(3, 90)}",
                    pct=rng.randint(5, 60), m=rng.randint(2, 40), hour=rng.randint(5, 9))  # fmt: skip
        text = template.format(**fill)
        if rng.random() < 0.3:
            text += "\n\n" + " ".join(f"#{w}" for w in rng.sample(["local", "smallbusiness", "news", "team",
                                                                    "community", "food", "design"], 3))  # fmt: skip
        posts.append({"id": f"s{i}", "platform": rng.choice(PLATFORMS), "text": text,
                      "created_at": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T09:00:00Z"})  # fmt: skip
    return posts


class VectorMaker:
    """Vectors on the span of real embeddings: a mix of two real posts plus covariance-shaped noise."""

    def __init__(self, anchors: np.ndarray, noise: float = 0.35, seed: int = 0):
        self.anchors = anchors
        centred = anchors - anchors.mean(axis=0)
        _, s, vt = np.linalg.svd(centred, full_matrices=False)
        self.basis = (vt.T * (s / np.sqrt(len(anchors)))).astype(np.float32)  # d × r
        self.noise = noise
        self.rng = np.random.default_rng(seed)

    def make(self, n: int) -> np.ndarray:
        a = self.anchors[self.rng.integers(0, len(self.anchors), n)]
        b = self.anchors[self.rng.integers(0, len(self.anchors), n)]
        w = self.rng.uniform(0.5, 1.0, (n, 1)).astype(np.float32)
        z = self.rng.standard_normal((n, self.basis.shape[1])).astype(np.float32)
        x = w * a + (1 - w) * b + self.noise * (z @ self.basis.T)
        return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_queries(index: PostIndex, queries: np.ndarray, exact: np.ndarray | None, ids: np.ndarray | None) -> dict:
    """Milliseconds per single query (median and 95th percentile) and recall@10 against `exact` (row numbers)."""
    times, recalls = [], []
    for i, q in enumerate(queries):
        start = time.perf_counter()
        hits = index.search(q, 10)
        times.append((time.perf_counter() - start) * 1000)
        if exact is not None:
            want = set(ids[exact[i]].tolist())
            recalls.append(len(want & {h for h, _ in hits}) / 10)
    out = {"queries": len(queries), "ms_median": round(float(np.median(times)), 2),
           "ms_p95": round(float(np.percentile(times, 95)), 2)}  # fmt: skip
    if recalls:
        out["recall_at_10"] = round(float(np.mean(recalls)), 3)
    return out


def exact_top10(vectors: np.ndarray, queries: np.ndarray) -> np.ndarray:
    import faiss

    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    return flat.search(queries, 10)[1]


def bench_stored_search(maker: VectorMaker, n: int, workdir: Path, nq: int) -> dict:
    url = f"sqlite:///{workdir / f'search-{n}.db'}"
    vectors = maker.make(n)
    start = time.perf_counter()
    with PostStore(url) as store, Progress(n, f"storing {n:,} posts") as bar:
        for i in range(0, n, 10_000):
            chunk = range(i, min(i + 10_000, n))
            store.add_posts([PostIn(f"v{j}", "x", f"synthetic post {j}", embedding=vectors[j]) for j in chunk])
            bar.advance(len(chunk))
    stored_s = time.perf_counter() - start
    start = time.perf_counter()
    with PostStore(url) as store:
        index = PostIndex.from_store(store)
    build_s = time.perf_counter() - start
    queries = maker.make(nq)
    result = time_queries(index, queries, exact_top10(vectors, queries), np.arange(1, n + 1))
    return {"posts": n, "index": "hnsw" if index.is_approximate else "flat", "store_s": round(stored_s, 1),
            "rebuild_from_db_s": round(build_s, 1), **result}  # fmt: skip


def bench_million(maker: VectorMaker, n: int, nq: int) -> dict:
    import faiss

    index = PostIndex(approximate=True)
    before = rss_mb()
    start = time.perf_counter()
    chunk = 50_000
    kept = []
    with Progress(n, f"building HNSW over {n:,} vectors") as bar:
        for i in range(0, n, chunk):
            v = maker.make(min(chunk, n - i))
            kept.append(v)
            index.add(np.arange(i + 1, i + 1 + len(v)), v, [("T", None, False)] * len(v))
            bar.advance(len(v))
    build_s = time.perf_counter() - start
    vectors = np.vstack(kept)
    queries = maker.make(nq)
    exact = exact_top10(vectors, queries)
    del vectors, kept
    result = {"vectors": n, "index": "hnsw", "build_s": round(build_s, 1),
              "index_mb": round(faiss.serialize_index(index._index).nbytes / 2**20),
              "process_peak_rss_mb": round(rss_mb()), "rss_growth_mb": round(rss_mb() - before)}  # fmt: skip
    for ef in (64, 128, 256):
        index.ef_search = ef
        result[f"ef{ef}"] = time_queries(index, queries, exact, np.arange(1, n + 1))
    index.ef_search = 128
    return result


def bench_end_to_end(service, n: int, workdir: Path, drafts: int) -> dict:
    from bot.history.reuse import ReuseFinder

    posts = synthetic_posts(n, seed=1)
    start = time.perf_counter()
    vectors = service.analyzer.embedder.encode([p["text"] for p in posts])
    embed_s = time.perf_counter() - start
    url = f"sqlite:///{workdir / 'e2e.db'}"
    with PostStore(url) as store:
        store.add_posts([PostIn(p["id"], p["platform"], p["text"], embedding=v) for p, v in zip(posts, vectors)])
    service = type(service)(dataclasses.replace(service.settings, database_url=url), analyzer=service.analyzer)
    rng = random.Random(2)
    texts = [rng.choice(posts)["text"].upper() + " 🎉" for _ in range(drafts // 2)]
    texts += [p["text"] for p in synthetic_posts(drafts - len(texts), seed=3)]
    reports = service.check_many([service.prepare(t, None, "auto", ["instagram"]) for t in texts])
    finder = ReuseFinder.from_store(service)
    times, found = [], 0
    for report in reports:
        start = time.perf_counter()
        found += bool(finder.find(report))
        times.append((time.perf_counter() - start) * 1000)
    finder.close()
    return {"posts": n, "embed_per_s": round(n / embed_s), "drafts": drafts, "drafts_with_matches": found,
            "find_ms_median": round(float(np.median(times)), 1),
            "find_ms_p95": round(float(np.percentile(times, 95)), 1)}  # fmt: skip


def bench_import(n: int, workdir: Path, threads: str | None = None) -> dict:
    """`crowdculture history import` in its own process, start-up included, as a person would run it.
    `threads` sets OMP_NUM_THREADS (torch's intra-op threads) for that process; None keeps torch's default."""
    import subprocess

    path = workdir / "import.jsonl"
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in synthetic_posts(n, seed=4)),
                    encoding="utf-8")  # fmt: skip
    db = workdir / f"import-{threads or 'default'}.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if threads:
        env["OMP_NUM_THREADS"] = threads
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot", "--db", f"sqlite:///{db}", "history", "import", str(path)],
                          env=env, stdout=subprocess.PIPE, text=True)  # its progress bar shows on a terminal
    seconds = time.perf_counter() - start
    with PostStore(f"sqlite:///{db}") as store:
        stored = store.count()
    return {"posts": n, "torch_threads": threads or "default", "exit_code": done.returncode, "stored": stored,
            "seconds": round(seconds, 1), "posts_per_s": round(n / seconds)}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    ap.add_argument("--only", default="import,e2e,search,million",
                    help="comma-separated parts to run (default: %(default)s)")
    args = ap.parse_args()
    sizes = {"search": 100_000, "million": 1_000_000, "e2e": 3_000, "import": 10_000, "queries": 200}
    if args.quick:
        sizes = {"search": 20_000, "million": 60_000, "e2e": 500, "import": 1_000, "queries": 50}

    from bot.service import Crowdculture

    settings = load_settings(ROOT / "config.yaml")
    service = Crowdculture(settings)
    results: dict = {"machine": {"cpus": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 1)}}
    with tempfile.TemporaryDirectory(prefix="bench-reuse-") as tmp:
        workdir = Path(tmp)
        parts = set(args.only.split(","))
        if "import" in parts:
            results["import"] = [bench_import(sizes["import"], workdir), bench_import(sizes["import"], workdir, "1")]
        if "e2e" in parts:
            results["end_to_end"] = bench_end_to_end(service, sizes["e2e"], workdir, 40)
        if parts & {"search", "million"}:
            anchors = service.analyzer.embedder.encode([p["text"] for p in synthetic_posts(2000, seed=5)])
            maker = VectorMaker(anchors)
        if "search" in parts:
            results["search_stored"] = bench_stored_search(maker, sizes["search"], workdir, sizes["queries"])
        if "million" in parts:
            results["search_million"] = bench_million(maker, sizes["million"], sizes["queries"])
    results["machine"]["load_average_1m_end"] = round(os.getloadavg()[0], 1)
    print(table(results))
    print(json.dumps({"schema": 1, "benchmark": "reuse", **results}, ensure_ascii=False))
    return 0


def table(r: dict) -> str:
    rows = [("measure", "result", "target")]
    for imp in r.get("import", []):
        rows.append((f"history import, {imp['posts']:,} posts (torch threads: {imp['torch_threads']})",
                     f"{imp['seconds']} s ({imp['posts_per_s']}/s), exit {imp['exit_code']}", "< 60 s"))  # fmt: skip
    if "end_to_end" in r:
        e2e = r["end_to_end"]
        rows.append((f"find() vs {e2e['posts']:,} stored real posts", f"{e2e['find_ms_median']} ms median, "
                     f"{e2e['find_ms_p95']} ms p95", "-"))  # fmt: skip
    if "search_stored" in r:
        s = r["search_stored"]
        rows.append((f"search, {s['posts']:,} stored posts ({s['index']})", f"{s['ms_median']} ms median, "
                     f"{s['ms_p95']} ms p95, recall@10 {s['recall_at_10']}", "< 5 ms"))  # fmt: skip
        rows.append(("  rebuild index from the database", f"{s['rebuild_from_db_s']} s", "-"))
    if "search_million" in r:
        m = r["search_million"]
        for ef in (64, 128, 256):
            q = m[f"ef{ef}"]
            rows.append((f"search, {m['vectors']:,} vectors (HNSW, efSearch {ef})", f"{q['ms_median']} ms median, "
                         f"{q['ms_p95']} ms p95, recall@10 {q['recall_at_10']}", "< 20 ms, ≥ 0.95"))  # fmt: skip
        rows.append(("  graph build / index size / peak RSS", f"{m['build_s']} s / {m['index_mb']} MB / "
                     f"{m['process_peak_rss_mb']} MB", "-"))  # fmt: skip
    rows.append(("machine", f"{r['machine']['cpus']} CPUs, load {r['machine']['load_average_1m']} → "
                 f"{r['machine']['load_average_1m_end']}", "-"))  # fmt: skip
    w = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(f"{a:<{w[0]}}  {b:<{w[1]}}  {c}" for a, b, c in rows)


if __name__ == "__main__":
    sys.exit(main())
