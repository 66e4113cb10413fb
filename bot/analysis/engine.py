"""The analysis engine: draft text → Report (principles, platform fit, anti-patterns). No Slack, no storage.

Models (spaCy per language, the sentence-transformers model, the learned detectors) load lazily, once per
process, and only for what is used; batch analysis embeds every draft and sentence in one call.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass

import numpy as np

from bot.analysis.antipatterns import antipattern_findings
from bot.analysis.platforms import PlatformModel, fit_score, platform_findings, rank_platforms
from bot.analysis.principles import PrincipleModel, Unit
from bot.analysis.report import Report
from bot.config import Settings
from bot.embeddings import Embedder
from bot.knowledge import KnowledgeBase, load_from_settings
from bot.text import Draft, detect_language

log = logging.getLogger(__name__)
THREAD_POST_RE = re.compile(r"\s\d{1,2}/\d{1,2}$")
MAX_UNITS = 120  # sentences scored per draft; a 20,000-character draft has far fewer meaningful ones


def split_thread(text: str) -> list[str]:
    """The posts of a numbered thread (each block ending in "i/n"), or the text itself."""
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    if len(blocks) > 1 and all(THREAD_POST_RE.search(b) for b in blocks):
        return blocks
    return [text]


@dataclass
class Prepared:
    """A validated draft with its language; spaCy fills `units` and `cues` in batches, just before analysis."""

    draft_id: str | None
    text: str
    lang: str
    targets: list[str]
    units: list[Unit] | None = None
    cues: list | None = None


class Analyzer:
    def __init__(self, settings: Settings, kb: KnowledgeBase | None = None, embedder: Embedder | None = None):
        self.settings = settings
        self._kb = kb
        self.embedder = embedder or Embedder(settings.models.embedding, settings.models.device,
                                             settings.cache_path / "embeddings", settings.models.threads,
                                             settings.models.precision)  # fmt: skip
        self._lock = threading.RLock()
        self._platform_model: PlatformModel | None = None
        self._principle_model: PrincipleModel | None = None
        self._matchers: dict[str, object] = {}

    # Lazily built parts -------------------------------------------------------------------------------------
    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            with self._lock:
                if self._kb is None:
                    self._kb = load_from_settings(self.settings)
        return self._kb

    def _embed_cached(self, texts: list[str], label: str) -> np.ndarray:
        return self.embedder.encode_cached(texts, label)

    @property
    def _model_cache(self):
        return self.settings.cache_path / "models"

    @property
    def platform_model(self) -> PlatformModel:
        if self._platform_model is None:
            with self._lock:
                if self._platform_model is None:
                    self._platform_model = PlatformModel(self.kb, self._embed_cached, self._model_cache,
                                                         self.embedder.cache_name)  # fmt: skip
        return self._platform_model

    @property
    def principle_model(self) -> PrincipleModel:
        if self._principle_model is None:
            with self._lock:
                if self._principle_model is None:
                    self._principle_model = PrincipleModel(self.kb, self._embed_cached, self.count_cues,
                                                           self._model_cache, self.embedder.cache_name)
        return self._principle_model

    def nlp(self, lang: str, parser: bool = True):
        """The spaCy pipeline of `lang`; the analysis itself needs no dependency parser (see bot.nlp.pipeline)."""
        from bot.nlp import pipeline

        name = self.settings.models.spacy_fr if lang == "fr" else self.settings.models.spacy_en
        return pipeline(lang, name, parser)

    def matcher(self, lang: str):
        if lang not in self._matchers:
            with self._lock:
                if lang not in self._matchers:
                    from bot.nlp import CueMatcher

                    cues = {pid: p.cues[lang] for pid, p in self.kb.principles.items()}
                    self._matchers[lang] = CueMatcher(self.nlp(lang, parser=False), cues)
        return self._matchers[lang]

    def count_cues(self, texts: list[str], langs: list[str]) -> list[dict[str, int]]:
        """Cue-phrase and pattern matches per principle for each text (used to calibrate the detectors)."""
        from bot.analysis.principles import pattern_matches

        out = []
        for text, lang in zip(texts, langs):
            counts: dict[str, int] = {}
            for m in self.matcher(lang).find(self.nlp(lang, parser=False)(text.replace("’", "'"))):
                counts[m.key] = counts.get(m.key, 0) + 1
            for pid, principle in self.kb.principles.items():
                n = len(pattern_matches(principle, lang, text))
                if n:
                    counts[pid] = counts.get(pid, 0) + n
            out.append(counts)
        return out

    def warm_up(self, langs=("en", "fr")) -> None:
        """Load everything a first request would (for servers: pay the start-up cost before traffic)."""
        _ = self.platform_model, self.principle_model
        for lang in langs:
            self.matcher(lang)

    # Analysis -------------------------------------------------------------------------------------------------
    def prepare(self, text: str, draft_id: str | None = None, lang: str = "auto", targets=()) -> Prepared:
        lang = detect_language(text) if lang in ("auto", "", None) else lang
        return Prepared(draft_id, text, lang, list(targets))

    def _parse(self, prepared: list[Prepared]) -> None:
        """Sentences and cue phrases of each draft: spaCy runs once per language over the batch (nlp.pipe is about
        twice as fast as one call per draft with the French statistical pipeline)."""
        from bot.nlp import trim_span

        for lang in sorted({p.lang for p in prepared if p.units is None}):
            todo = [p for p in prepared if p.units is None and p.lang == lang]
            texts = (p.text.replace("’", "'") for p in todo)  # same length: offsets stay valid
            for p, doc in zip(todo, self.nlp(lang, parser=False).pipe(texts, batch_size=64)):
                units = [Unit(0, len(p.text))]
                sents = [(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]
                if len(sents) > 1:
                    for start, end in (trim_span(p.text, a, b) for a, b in sents[:MAX_UNITS]):
                        if end > start:
                            units.append(Unit(start, end))
                p.units, p.cues = units, self.matcher(lang).find(doc)

    def platform_fit(self, text: str, lang: str, pid: str) -> tuple[int, bool]:
        """Fit of `text` for one platform and whether it has an error finding (rewrite checks: no spaCy)."""
        return self.platform_fits([(text, pid)], lang)[0]

    def platform_fits(self, items: list[tuple[str, str]], lang: str) -> list[tuple[int, bool]]:
        """`platform_fit` of several (text, platform id) pairs, embedded in one call.

        A numbered thread ("… 1/3") is judged post by post, as the platform shows it."""
        threads = [split_thread(text) for text, _ in items]
        posts = [post for thread in threads for post in thread]
        culture = self.platform_model.culture(posts, self.embedder.encode(posts))
        out, row = [], 0
        for thread, (_, pid) in zip(threads, items):
            j = self.platform_model.ids.index(pid)
            platform = self.kb.platforms[pid]
            fits, errors = [], False
            for post in thread:
                findings = platform_findings(platform, Draft(post), lang)
                fits.append(fit_score(float(culture[row, j]), findings))
                errors = errors or any(f.severity == "error" for f in findings)
                row += 1
            out.append((int(round(sum(fits) / len(fits))), errors))
        return out

    def analyse(self, text: str, draft_id: str | None = None, lang: str = "auto", targets=()) -> Report:
        return self.analyse_many([self.prepare(text, draft_id, lang, targets)])[0]

    def analyse_many(self, prepared: list[Prepared]) -> list[Report]:
        """Analyse several prepared drafts with one embedding batch (whole drafts only: sentences are not embedded)."""
        if not prepared:
            return []
        pm, prm = self.platform_model, self.principle_model
        self._parse(prepared)
        emb = self.embedder.encode([p.text for p in prepared])
        culture = pm.culture([p.text for p in prepared], emb)
        found = prm.detect_many([p.text for p in prepared], [p.lang for p in prepared], emb, [p.cues for p in prepared])
        self._locate_evidence(prepared, found)
        reports = []
        for i, p in enumerate(prepared):
            draft = Draft(p.text)
            platforms = rank_platforms(self.kb, draft, p.lang, culture[i], pm.ids)
            principles = prm.hits(p.lang, found[i])
            antipatterns = antipattern_findings(self.kb, draft, p.lang)
            reports.append(Report(p.draft_id, p.text, p.lang, platforms, principles, antipatterns,
                                  targets=p.targets, embedding=emb[i]))  # fmt: skip
        return reports

    def _locate_evidence(self, prepared: list[Prepared], found: list[list]) -> None:
        for p, candidates in zip(prepared, found):
            units = p.units[1:] or p.units
            for c in candidates:
                if not c.evidence:
                    self.principle_model.locate(p.text, c, units)
