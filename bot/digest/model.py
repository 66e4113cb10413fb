"""The digest as plain data: what `build_digest` computed, and its three readings (JSON, Block Kit, text).

Everything here is already counted and named; rendering (render.py) and the chart (chart.py) only format it, so
the Slack app's `/crowdculture digest` preview, the CLI and the scheduled post all show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.digest.period import week_of


@dataclass
class PlatformStat:
    id: str
    name: str
    posts: int = 0
    fit: float | None = None  # average fit of this period's posts that have one
    previous: float | None = None  # the same over the previous period

    @property
    def change(self) -> float | None:
        return None if self.fit is None or self.previous is None else self.fit - self.previous

    def to_dict(self) -> dict:
        r = _round
        return {"posts": self.posts, "avg": r(self.fit), "previous": r(self.previous), "change": r(self.change)}


@dataclass
class CaughtPair:
    """A cross-platform copy or light edit: `b` (in the period) reuses `a` (earlier)."""

    a: str
    a_platform: str
    b: str
    b_platform: str
    kind: str
    similarity: float
    adapted_later: bool
    quote: str

    def to_dict(self) -> dict:
        return {"a": self.a, "a_platform": self.a_platform, "b": self.b, "b_platform": self.b_platform,
                "kind": self.kind, "similarity": round(self.similarity, 3),
                "adapted_later": self.adapted_later}  # fmt: skip


@dataclass
class Count:
    id: str
    name: str
    posts: int

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "posts": self.posts}


@dataclass
class BestPost:
    id: str
    platform: str
    platform_name: str
    fit: int
    quote: str
    status: str
    permalink: str | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "platform": self.platform, "fit": self.fit, "quote": self.quote,
                "status": self.status, "permalink": self.permalink}  # fmt: skip


@dataclass
class Tip:
    """One thing to do next week on the weakest platform, from the knowledge base (a rule's message or a norm)."""

    platform: str
    platform_name: str
    fit: float
    text: str
    source: str  # the rule id, or "norms.<topic>"

    def to_dict(self) -> dict:
        return {"platform": self.platform, "fit": _round(self.fit), "text": self.text, "source": self.source}


@dataclass
class Digest:
    since: datetime
    until: datetime
    channel: str | None = None
    workspace: str | None = None
    lang: str = "en"
    tz: str = "UTC"
    posts: int = 0
    drafts: int = 0
    published: int = 0
    analysed: int = 0  # posts with a stored analysis report (principles and anti-patterns come from those)
    platforms: list[PlatformStat] = field(default_factory=list)  # most posts first
    caught: list[CaughtPair] = field(default_factory=list)
    principles: list[Count] = field(default_factory=list)  # all seven, most used first
    antipatterns: list[Count] = field(default_factory=list)  # those seen, most frequent first
    best: BestPost | None = None
    tip: Tip | None = None
    timings: dict[str, float] = field(default_factory=dict, repr=False, compare=False)  # seconds per stage
    judged: int = field(default=0, repr=False, compare=False)  # pairs judged at digest time (no stored verdict)

    # Derived figures ----------------------------------------------------------------------------------------------
    @property
    def empty(self) -> bool:
        return self.posts == 0

    @property
    def by_platform(self) -> dict[str, int]:
        return {p.id: p.posts for p in self.platforms if p.posts}

    @property
    def copy_paste(self) -> int:
        return len(self.caught)

    @property
    def copy_paste_adapted(self) -> int:
        return sum(p.adapted_later for p in self.caught)

    @property
    def week_start(self) -> date:
        return week_of(self.since, self.until, self.tz)

    @property
    def most_used(self) -> list[Count]:
        return [c for c in self.principles if c.posts][:3]

    @property
    def least_used(self) -> list[Count]:
        most = {c.id for c in self.most_used}
        return [c for c in reversed(self.principles) if c.id not in most][:3] if self.analysed else []

    @property
    def weakest(self) -> PlatformStat | None:
        rated = [p for p in self.platforms if p.fit is not None and p.posts]
        return min(rated, key=lambda p: (p.fit, p.id)) if rated else None

    # Readings -------------------------------------------------------------------------------------------------------
    def stats(self) -> dict:
        weakest = self.weakest
        return {
            "posts": self.posts,
            "drafts": self.drafts,
            "published": self.published,
            "by_platform": self.by_platform,
            "copy_paste": self.copy_paste,
            "copy_paste_adapted": self.copy_paste_adapted,
            "copy_paste_pairs": [p.to_dict() for p in self.caught[:MAX_LISTED_PAIRS]],
            "fit": {p.id: p.to_dict() for p in self.platforms if p.fit is not None or p.previous is not None},
            "analysed": self.analysed,
            "principles": {"most": [c.to_dict() for c in self.most_used],
                           "least": [c.to_dict() for c in self.least_used]},  # fmt: skip
            "antipatterns": [c.to_dict() for c in self.antipatterns],
            "best_post": self.best.to_dict() if self.best else None,
            "weakest_platform": weakest.id if weakest else None,
            "tip": self.tip.to_dict() if self.tip else None,
        }

    def to_dict(self) -> dict:
        """DESIGN.md's digest JSON: schema, since, until, channel, stats, blocks (plus week_start and the text)."""
        return {"schema": 1, "since": self.since.isoformat(), "until": self.until.isoformat(),
                "channel": self.channel, "workspace": self.workspace, "timezone": self.tz,
                "week_start": self.week_start.isoformat(), "stats": self.stats(), "blocks": self.blocks(),
                "text": self.fallback_text()}  # fmt: skip

    def blocks(self, chart_note: bool = True) -> list[dict]:
        """Block Kit as posted; a preview that uploads no chart passes chart_note=False."""
        from bot.digest.render import blocks

        return blocks(self, chart_note)

    def text(self) -> str:
        from bot.digest.render import text

        return text(self)

    def fallback_text(self) -> str:
        """The one line Slack shows in notifications and where blocks cannot be displayed."""
        from bot.digest.render import summary

        return summary(self)

    def chart_alt(self) -> str:
        from bot.digest.render import chart_alt

        return chart_alt(self)

    def chart_png(self) -> bytes | None:
        from bot.digest.chart import fit_chart

        return fit_chart(self)


MAX_LISTED_PAIRS = 100  # pairs listed in the JSON (all are counted)


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 1)
