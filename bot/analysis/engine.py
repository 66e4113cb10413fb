"""The analysis engine: draft text → Report (principles, platform fit, anti-patterns). No Slack, no storage.

Models (spaCy per language, the sentence-transformers model, the learned detectors) load lazily, once per
process, and only for what is used; batch analysis embeds every draft and sentence in one call.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import numpy as np

from bot.analysis.antipatterns import antipattern_findings
from bot.analysis.platforms import PlatformModel, rank_platforms
from bot.analysis.principles import PrincipleModel, Unit
from bot.analysis.report import Report
from bot.config import Settings
from bot.embeddings import Embedder
from bot.knowledge import KnowledgeBase, load_from_settings
from bot.text import Draft, detect_language

log = logging.getLogger(__name__)
MAX_UNITS = 120  # sentences scored per draft; a 20,000-character draft has far fewer meaningful ones


@dataclass
class Prepared:
    """A draft after language detection and spaCy, before embedding."""

    draft_id: str | None
    text: str
    lang: str
    units: list[Unit]
    cues: list
    targets: list[str]


class Analyzer:
    def __init__(self, settings: Settings, kb: KnowledgeBase | None = None, embedder: Embedder | None = None):
        self.settings = settings
        self._kb = kb
        self.embedder = embedder or Embedder(settings.models.embedding, settings.models.device,
                                             settings.cache_path / "embeddings")  # fmt: skip
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
    def platform_model(self) -> PlatformModel:
        if self._platform_model is None:
            with self._lock:
                if self._platform_model is None:
                    self._platform_model = PlatformModel(self.kb, self._embed_cached)
        return self._platform_model

    @property
    def principle_model(self) -> PrincipleModel:
        if self._principle_model is None:
            with self._lock:
                if self._principle_model is None:
                    self._principle_model = PrincipleModel(self.kb, self._embed_cached)
        return self._principle_model

    def nlp(self, lang: str):
        from bot.nlp import pipeline

        name = self.settings.models.spacy_fr if lang == "fr" else self.settings.models.spacy_en
        return pipeline(lang, name)

    def matcher(self, lang: str):
        if lang not in self._matchers:
            with self._lock:
                if lang not in self._matchers:
                    from bot.nlp import CueMatcher

                    cues = {pid: p.cues[lang] for pid, p in self.kb.principles.items()}
                    self._matchers[lang] = CueMatcher(self.nlp(lang), cues)
        return self._matchers[lang]

    def warm_up(self, langs=("en", "fr")) -> None:
        """Load everything a first request would (for servers: pay the start-up cost before traffic)."""
        _ = self.platform_model, self.principle_model
        for lang in langs:
            self.matcher(lang)

    # Analysis -------------------------------------------------------------------------------------------------
    def prepare(self, text: str, draft_id: str | None = None, lang: str = "auto", targets=()) -> Prepared:
        lang = detect_language(text) if lang in ("auto", "", None) else lang
        doc = self.nlp(lang)(text)
        units = [Unit(0, len(text))]
        sents = [(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]
        if len(sents) > 1:
            for start, end in sents[:MAX_UNITS]:
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end > start:
                    units.append(Unit(start, end))
        cues = self.matcher(lang).find(doc)
        return Prepared(draft_id, text, lang, units, cues, list(targets))

    def platform_fit(self, text: str, lang: str, pid: str) -> tuple[int, bool]:
        """Fit of `text` for one platform and whether it has an error finding (rewrite checks: no spaCy)."""
        emb = self.embedder.encode([text])
        culture = self.platform_model.culture([text], emb)[0]
        fits = rank_platforms(self.kb, Draft(text), lang, culture, self.platform_model.ids)
        fit = next(f for f in fits if f.id == pid)
        return fit.fit, any(f.severity == "error" for f in fit.findings)

    def analyse(self, text: str, draft_id: str | None = None, lang: str = "auto", targets=()) -> Report:
        return self.analyse_many([self.prepare(text, draft_id, lang, targets)])[0]

    def analyse_many(self, prepared: list[Prepared]) -> list[Report]:
        """Analyse several prepared drafts with one embedding batch."""
        all_units = [p.text[u.start : u.end] for p in prepared for u in p.units]
        emb = self.embedder.encode(all_units)
        reports, offset = [], 0
        pm, prm = self.platform_model, self.principle_model
        whole_rows = []
        for p in prepared:
            whole_rows.append(offset)
            offset += len(p.units)
        culture = pm.culture([p.text for p in prepared], emb[whole_rows])
        offset = 0
        for i, p in enumerate(prepared):
            unit_emb = emb[offset : offset + len(p.units)]
            offset += len(p.units)
            draft = Draft(p.text)
            platforms = rank_platforms(self.kb, draft, p.lang, culture[i], pm.ids)
            principles = prm.detect(p.text, p.lang, p.units, unit_emb, p.cues)
            antipatterns = antipattern_findings(self.kb, draft, p.lang)
            reports.append(Report(p.draft_id, p.text, p.lang, platforms, principles, antipatterns,
                                  targets=p.targets, embedding=unit_emb[0]))  # fmt: skip
        return reports
