"""build_digest: read one period's posts (and the ones before) from the store and count what the digest shows.

Privacy: a channel's digest reads that channel's posts only (private or not); the workspace-wide digest reads
public-channel posts only. The rule is applied in SQL, and to the earlier posts copy-paste is compared with too.

Speed (10,000 posts in under 2 s, benchmarks/bench_digest.py): one query per period selecting only the columns
used; earlier posts read without text, embedding or report unless a post of the period has to be compared with
them (copypaste.py); the garbage collector paused while it runs (parsing thousands of reports creates millions of
small objects: every collection would walk them all again, tripling the time).
"""

from __future__ import annotations

import gc
import json
import logging
import time
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from bot.digest.copypaste import COPY_KINDS, PairFinder
from bot.digest.model import BestPost, CaughtPair, Count, Digest, PlatformStat, Tip
from bot.digest.period import previous
from bot.errors import StorageError
from bot.history.schema import Post
from bot.history.store import as_utc, safe_url
from bot.knowledge import PRINCIPLE_IDS, pick

log = logging.getLogger(__name__)
LOOKBACK = timedelta(days=28)  # how far back a copy's original is looked for
QUOTE_CHARS = 140
TIP_NORMS = ("hook", "structure", "tone", "cta")  # the norm quoted when no rule message fits, in this order
CHUNK = 500  # ids per IN (...) query
META = (Post.id, Post.external_id, Post.workspace, Post.platform, Post.status, Post.created_at, Post.content_hash,
        Post.fit)  # fmt: skip
DETAIL = (Post.text, Post.embedding, Post.report, Post.permalink)


class Item:
    """One stored post as the digest reads it. Earlier posts start with META only (DETAIL is read when a
    comparison needs it); the report JSON is parsed on first use."""

    __slots__ = ("id", "external_id", "workspace", "platform", "status", "created_at", "content_hash", "fit",
                 "detailed", "text", "vector", "permalink", "_raw", "_report")  # fmt: skip

    def __init__(self, row):
        (self.id, self.external_id, self.workspace, self.platform, self.status, self.created_at,
         self.content_hash, self.fit) = row[: len(META)]  # fmt: skip
        self.detailed = False
        self.text, self.vector, self.permalink, self._raw, self._report = "", None, None, None, {}
        if len(row) > len(META):
            self.add_detail(row[len(META) :])

    def add_detail(self, detail) -> None:
        text, embedding, self._raw, self.permalink = detail
        self.text = text or ""
        self.vector = np.frombuffer(embedding, np.float32) if embedding else None
        self._report = None if self._raw else {}
        self.detailed = True

    @property
    def report(self) -> dict:
        """The stored analysis report ({} when there is none, it is unreadable, or it was not read)."""
        if self._report is None:
            try:
                parsed = json.loads(self._raw)
            except ValueError:
                log.warning("post %s: stored report is not valid JSON; ignored", self.id)
                parsed = {}
            self._report = parsed if isinstance(parsed, dict) else {}
        return self._report

    def platform_entry(self, platform: str) -> dict | None:
        entries = self.report.get("platforms")
        if isinstance(entries, list):
            return next((p for p in entries if isinstance(p, dict) and p.get("id") == platform), None)
        return None

    def fit_for(self, platform: str) -> int | None:
        """Fit for `platform`: the stored column for the post's own platform, else the report's figure."""
        if platform == self.platform and self.fit is not None:
            return self.fit
        entry = self.platform_entry(platform)
        fit = entry.get("fit") if entry else None
        return int(fit) if isinstance(fit, (int, float)) and not isinstance(fit, bool) else None

    def verdicts(self) -> list[dict] | None:
        """The reuse verdicts of the check that stored this post; None when it was never checked with history."""
        reuse = self.report.get("reuse")
        return [v for v in reuse if isinstance(v, dict)] if isinstance(reuse, list) else None


@contextmanager
def _gc_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Reader:
    """Reads the posts one digest may see (the module's privacy rule, in SQL)."""

    def __init__(self, store, channel: str | None, workspace: str | None):
        self.store, self.channel, self.workspace = store, channel, workspace

    def posts(self, since: datetime, until: datetime, detail: bool) -> list[Item]:
        """Posts created in [since, until); with `detail`, their text, embedding and report too (parsed now)."""
        q = select(*META, *(DETAIL if detail else ())).where(Post.created_at >= since, Post.created_at < until)
        if self.channel is not None:
            q = q.where(Post.channel == self.channel)
        else:
            q = q.where(Post.channel_private.is_(False))
        if self.workspace is not None:
            q = q.where(Post.workspace == self.workspace)
        items = [Item(row) for row in self._rows(q)]
        for it in items:
            _ = it.report
        return items

    def add_detail(self, items: list[Item]) -> None:
        """Text, embedding and report of posts read without them (ids from posts(): already in scope)."""
        todo = {it.id: it for it in items if not it.detailed}
        ids = list(todo)
        for i in range(0, len(ids), CHUNK):
            for row in self._rows(select(Post.id, *DETAIL).where(Post.id.in_(ids[i : i + CHUNK]))):
                todo[row[0]].add_detail(row[1:])

    def _rows(self, q) -> list:
        try:
            with self.store.engine.connect() as conn:
                return conn.execute(q).all()
        except DBAPIError as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            raise StorageError(f"database {safe_url(self.store.url)}: cannot read the posts for the digest: "
                               f"{reason}") from None  # fmt: skip


def build_digest(store, kb, since: datetime, until: datetime, channel: str | None = None,
                 workspace: str | None = None, lang: str = "en", tz: str = "UTC", engine=None) -> Digest:
    """The digest of [since, until): with `channel`, that channel's posts; without, public-channel posts only.

    `workspace` limits it to one Slack workspace (None: every workspace, the CLI's view); `tz` is the time zone
    its dates are shown in (settings.digest.timezone). `engine` (bot.service.Crowdculture), when given, rates
    the platform fit of imported posts whose copy-paste verdict depends on it (see copypaste.py)."""
    with _gc_paused():
        return _build(store, kb, as_utc(since), as_utc(until), channel, workspace, lang, tz, engine)


def _build(store, kb, since, until, channel, workspace, lang, tz, engine) -> Digest:
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - clock
        clock = now

    reader = Reader(store, channel, workspace)
    current = reader.posts(since, until, detail=True)
    lap("read this period")
    prev_since, _ = previous(since, until, tz)
    earlier = reader.posts(min(prev_since, since - LOOKBACK), since, detail=False)
    lap("read earlier posts")

    d = Digest(since, until, channel, workspace, lang, tz)
    d.posts = len(current)
    d.drafts = sum(it.status == "draft" for it in current)
    d.published = d.posts - d.drafts
    d.analysed = sum(bool(it.report) for it in current)
    d.platforms = _platforms(kb, current, [it for it in earlier if it.created_at >= prev_since])
    d.principles, d.antipatterns = _influence(kb, current, lang)
    d.best = _best(kb, current)
    d.tip = _tip(kb, d, current, lang)
    lap("count")

    finder = PairFinder(earlier + current, {it.id for it in current}, reader.add_detail, _fit_rater(engine))
    pairs = finder.pairs()
    caught = sorted((p for p in pairs if p.kind in COPY_KINDS), key=lambda p: (p.b.created_at, p.b.id, p.a.id),
                    reverse=True)  # the most recent first: the ones people remember  # fmt: skip
    d.caught = [CaughtPair(p.a.external_id, p.a.platform, p.b.external_id, p.b.platform, p.kind, p.similarity,
                           p.adapted_later, quote(p.b.text, 80)) for p in caught]  # fmt: skip
    lap("copy-paste")
    d.timings = timings
    d.judged = finder.recomputed
    return d


# The counts -----------------------------------------------------------------------------------------------------------

def _platforms(kb, current: list[Item], before: list[Item]) -> list[PlatformStat]:
    stats: dict[str, PlatformStat] = {}

    def stat(pid: str) -> PlatformStat:
        if pid not in stats:
            stats[pid] = PlatformStat(pid, kb.platforms[pid].name if pid in kb.platforms else pid)
        return stats[pid]

    for items, attr in ((current, "fit"), (before, "previous")):
        fits: dict[str, list[int]] = {}
        for it in items:
            if attr == "fit":
                stat(it.platform).posts += 1
            fit = it.fit_for(it.platform)
            if fit is not None:
                fits.setdefault(it.platform, []).append(fit)
        for pid, values in fits.items():
            if attr == "fit" or pid in stats:  # last period's platforms that were not used now are left out
                setattr(stat(pid), attr, sum(values) / len(values))
    return sorted(stats.values(), key=lambda s: (-s.posts, s.id))


def _influence(kb, current: list[Item], lang: str) -> tuple[list[Count], list[Count]]:
    """Posts using each principle (all seven, most used first) and showing each anti-pattern (those seen)."""
    principles, anti = Counter(), Counter()
    for it in current:
        report = it.report
        principles.update({p.get("id") for p in report.get("principles") or () if isinstance(p, dict)})
        anti.update({str(f.get("rule", "")).split(".")[0] for f in report.get("antipatterns") or ()
                     if isinstance(f, dict)})  # fmt: skip
    p_counts = [Count(pid, pick(kb.principles[pid].name, lang) if pid in kb.principles else pid, principles[pid])
                for pid in PRINCIPLE_IDS]  # fmt: skip
    p_counts.sort(key=lambda c: -c.posts)  # stable: ties keep Cialdini's order
    a_counts = [Count(aid, pick(kb.antipatterns[aid].name, lang) if aid in kb.antipatterns else aid, n)
                for aid, n in anti.most_common() if aid]  # fmt: skip
    return p_counts, a_counts


def _best(kb, current: list[Item]) -> BestPost | None:
    """The post that fits its own platform best (published ones first on a tie, then the most recent)."""
    rated = [(fit, it.status == "published", it.created_at, it) for it in current
             if (fit := it.fit_for(it.platform)) is not None]  # fmt: skip
    if not rated:
        return None
    fit, _, _, it = max(rated, key=lambda r: r[:3])
    name = kb.platforms[it.platform].name if it.platform in kb.platforms else it.platform
    return BestPost(it.external_id, it.platform, name, fit, quote(it.text), it.status, it.permalink)


def _tip(kb, d: Digest, current: list[Item], lang: str) -> Tip | None:
    """For the weakest platform: the message of its most frequent finding, else one of its norms."""
    weakest = d.weakest
    if weakest is None or weakest.id not in kb.platforms:
        return None
    platform = kb.platforms[weakest.id]
    rules = {r.id: r for r in platform.rules}
    found = Counter()
    for it in current:
        if it.platform == weakest.id:
            entry = it.platform_entry(weakest.id) or {}
            found.update({f.get("rule") for f in entry.get("findings") or () if isinstance(f, dict)})
    for rule_id, _ in found.most_common():
        message = pick(rules[rule_id].message, lang) if rule_id in rules else ""
        if message and "%s" not in message:  # "%s" is filled with one post's words: not a general tip
            return Tip(weakest.id, platform.name, weakest.fit, message, rule_id)
    for topic in TIP_NORMS:
        norm = pick(platform.norms.get(topic), lang)
        if norm:
            return Tip(weakest.id, platform.name, weakest.fit, norm, f"norms.{topic}")
    return None


def _fit_rater(engine):
    """(text, platform) → the engine's fit, or None when there is no engine or it cannot read the text."""
    if engine is None:
        return None

    def fit_of(text: str, platform: str) -> int | None:
        try:
            found = engine.analyzer.analyse(text, targets=[platform]).platform(platform)
        except Exception as exc:  # a post the engine cannot read: decide without its fit
            log.warning("cannot rate a post's fit for %s: %s", platform, exc)
            return None
        return found.fit if found else None

    return fit_of


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A post's opening, on one line, cut at a word near `limit` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] if " " in flat[: limit - 1] else flat[: limit - 1]
    return cut.rstrip(",.;:!?-–—") + "…"
