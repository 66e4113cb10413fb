"""The one entry point every surface (CLI, Slack, digest) calls: validate input, analyse, add reuse and rewrites.

Dependency direction: knowledge → analysis → advice (rewrite, history) → this service → surfaces.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from bot.analysis.batching import Batcher
from bot.analysis.engine import Analyzer, Prepared
from bot.analysis.report import Report
from bot.config import Settings
from bot.errors import UsageError

log = logging.getLogger(__name__)
LANG_CHOICES = ("auto", "en", "fr")
# Half of a UTF-16 pair: JSON ("\ud83d") lets one through, and the tokenizer cannot encode it.
LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")


class Crowdculture:
    def __init__(self, settings: Settings, analyzer: Analyzer | None = None):
        self.settings = settings
        self.analyzer = analyzer or Analyzer(settings)
        self._rewriter = None
        self._batcher = Batcher(self.analyzer.analyse_many)

    @property
    def kb(self):
        return self.analyzer.kb

    def warm_up(self, langs=("en", "fr")) -> None:
        """Load every model a first request needs, the embedding model included: the detectors may come from the
        on-disk cache without it, and a model that is missing must stop a server at start, not at its first check.
        Raises ModelError naming the setting (models.embedding, models.spacy_*)."""
        _ = self.analyzer.embedder.model
        self.analyzer.warm_up(langs)

    # Input validation: one clear sentence per problem --------------------------------------------------------
    def validate_text(self, text: str | None, where: str = "draft") -> str:
        if text is None or not text.strip():
            raise UsageError(f"the {where} is empty: give the text of a post to check")
        limit = self.settings.analysis.max_draft_chars
        if len(text) > limit:
            raise UsageError(
                f"the {where} has {len(text):,} characters; the limit is {limit:,} (analysis.max_draft_chars)"
            )
        if "\x00" in text:
            raise UsageError(f"the {where} contains a NUL character; is it a binary file?")
        bad = LONE_SURROGATE_RE.search(text)
        if bad:
            raise UsageError(f"the {where} is not valid Unicode: a lone surrogate U+{ord(bad.group()):04X} at "
                             f"character {bad.start()} (half of an emoji cut in two?)")
        return text

    def validate_platforms(self, ids: Iterable[str], allow_all: bool = False) -> list[str]:
        known = list(self.kb.platforms)
        out: list[str] = []
        for raw in ids:
            for pid in str(raw).lower().replace(",", " ").split():
                if allow_all and pid == "all":
                    return known
                if pid not in self.kb.platforms:
                    raise UsageError(f"unknown platform {pid!r}; known platforms: {', '.join(known)}")
                if pid not in out:
                    out.append(pid)
        return out

    def validate_lang(self, lang: str) -> str:
        if lang not in LANG_CHOICES:
            raise UsageError(f"unknown language {lang!r}; use auto, en or fr")
        return lang

    # Checks ---------------------------------------------------------------------------------------------------
    def prepare(self, text: str, draft_id=None, lang="auto", targets=()) -> Prepared:
        self.validate_text(text)
        targets = self.validate_platforms(targets or self.settings.analysis.default_platforms)
        return self.analyzer.prepare(text, draft_id, self.validate_lang(lang), targets)

    def check(self, text: str, draft_id=None, lang="auto", targets=(), rewrite=(), reuse=None) -> Report:
        """Analyse one draft; `reuse` (a bot.history ReuseFinder) adds copy-paste matches. Safe to call from many
        threads at once: concurrent drafts are analysed together in one batch (bot.analysis.batching)."""
        prepared = self.prepare(text, draft_id, lang, targets)
        rewrite = self.validate_platforms(rewrite, allow_all=True)
        return self._finish([self._batcher.run(prepared)], rewrite, reuse)[0]

    def check_many(self, prepared: list[Prepared], rewrite=(), reuse=None) -> list[Report]:
        rewrite = self.validate_platforms(rewrite, allow_all=True)
        return self._finish(self.analyzer.analyse_many(prepared), rewrite, reuse)

    def _finish(self, reports: list[Report], rewrite: list[str], reuse) -> list[Report]:
        if reuse is not None:
            for report in reports:
                report.reuse = reuse.find(report)
        if rewrite:
            for report in reports:
                report.rewrites.update(self.rewriter.rewrite_many(report, rewrite))
        return reports

    @property
    def rewriter(self):
        if self._rewriter is None:
            from bot.rewrite import build_rewriter

            self._rewriter = build_rewriter(self.settings, self.analyzer)
        return self._rewriter
