"""A model-free rewriter for the tests that compose rewrites without the fit check (no model, no spaCy)."""

from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.rewrite.deterministic import DeterministicRewriter

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


class _Analyzer:
    """What composition needs from the engine: the knowledge base (no spaCy: key phrases fall back to words)."""

    def __init__(self, kb):
        self.kb = kb

    def nlp(self, lang):
        raise RuntimeError("no pipeline in this test")


@pytest.fixture(scope="module")
def rewriter():
    """The knowledge base and a model-free rewriter over it."""
    kb = load_knowledge([KNOWLEDGE])
    return kb, DeterministicRewriter(_Analyzer(kb))
