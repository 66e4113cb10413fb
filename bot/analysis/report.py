"""The report of one draft, and its JSON form (the fixed contract of DESIGN.md, schema 1)."""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITY_ORDER = {"error": 0, "warning": 1, "suggestion": 2}


@dataclass
class Finding:
    rule: str
    severity: str  # error | warning | suggestion
    message: str
    start: int | None = None
    end: int | None = None
    source: str | None = None  # the knowledge-base line behind it: "knowledge/platforms/x.yaml:42"

    def to_dict(self) -> dict:
        out = {"rule": self.rule, "severity": self.severity, "message": self.message,
               "start": self.start, "end": self.end}  # fmt: skip
        if self.source:
            out["source"] = self.source
        return out


@dataclass
class Evidence:
    text: str
    start: int
    end: int
    cue: str | None = None  # the cue as written in the knowledge base
    source: str | None = None  # "knowledge/principles/scarcity.yaml:42"

    def to_dict(self) -> dict:
        out = {"text": self.text, "start": self.start, "end": self.end}
        if self.cue:
            out["cue"] = self.cue
        if self.source:
            out["source"] = self.source
        return out


@dataclass
class PrincipleHit:
    id: str
    name: str
    score: float
    evidence: list[Evidence]

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "score": round(self.score, 3),
                "evidence": [e.to_dict() for e in self.evidence]}  # fmt: skip


@dataclass
class PlatformFit:
    id: str
    name: str
    fit: int  # 0-100
    findings: list[Finding]
    culture: float = 0.0  # 0-1: how much the text reads like this platform's own posts
    strengths: list[str] = field(default_factory=list)  # what already works here, for people

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "fit": self.fit, "culture": round(self.culture, 3),
                "findings": [f.to_dict() for f in self.findings]}  # fmt: skip


@dataclass
class ReuseMatch:
    post_id: str
    platform: str
    similarity: float
    kind: str  # copy | light_edit | adapted
    same_platform: bool = False
    permalink: str | None = None
    created_at: str | None = None

    def to_dict(self) -> dict:
        out = {"post_id": self.post_id, "platform": self.platform, "similarity": round(self.similarity, 3),
               "kind": self.kind}  # fmt: skip
        if self.permalink:
            out["permalink"] = self.permalink
        return out


PART_ROLES = ("thread", "slide", "on_screen", "first_comment")


@dataclass
class RewritePart:
    """A posted piece besides the main text: what a person posts is `Rewrite.text` plus its parts, in order."""

    role: str  # one of PART_ROLES
    text: str

    def to_dict(self) -> dict:
        return {"role": self.role, "text": self.text}


@dataclass
class Rewrite:
    platform: str
    text: str
    changes: list[str]
    fit: int | None = None
    backend: str = "deterministic"
    parts: list[RewritePart] = field(default_factory=list)

    @property
    def posted_texts(self) -> list[str]:
        """Everything a person would post, main text first."""
        return [self.text, *(p.text for p in self.parts)]

    def to_dict(self) -> dict:
        return {"text": self.text, "changes": list(self.changes), "fit": self.fit, "backend": self.backend,
                "parts": [p.to_dict() for p in self.parts]}  # fmt: skip


@dataclass
class Report:
    id: str | None
    text: str
    language: str
    platforms: list[PlatformFit]
    principles: list[PrincipleHit]
    antipatterns: list[Finding]
    reuse: list[ReuseMatch] = field(default_factory=list)
    rewrites: dict[str, Rewrite] = field(default_factory=dict)
    targets: list[str] = field(default_factory=list)  # the platforms the draft is meant for (--platform)
    embedding: object = field(default=None, repr=False, compare=False)  # whole-draft vector, for reuse search

    @property
    def best_platform(self) -> str | None:
        return self.platforms[0].id if self.platforms else None

    def platform(self, pid: str) -> PlatformFit | None:
        return next((p for p in self.platforms if p.id == pid), None)

    def to_dict(self) -> dict:
        return {
            "schema": 1,
            "id": self.id,
            "language": self.language,
            "best_platform": self.best_platform,
            "targets": list(self.targets),
            "platforms": [p.to_dict() for p in self.platforms],
            "principles": [p.to_dict() for p in self.principles],
            "antipatterns": [f.to_dict() for f in self.antipatterns],
            "reuse": [r.to_dict() for r in self.reuse],
            "rewrites": {pid: r.to_dict() for pid, r in self.rewrites.items()},
        }


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.start if f.start is not None else -1))
