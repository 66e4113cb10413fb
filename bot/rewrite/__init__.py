"""Per-platform rewrites: adapt one message to each platform's culture, explain every change, never invent facts."""

from __future__ import annotations


def build_rewriter(settings, analyzer):
    """The configured rewrite backend: deterministic (default) or an LLM endpoint with deterministic fallback."""
    if settings.rewrite.backend == "llm":
        from bot.rewrite.llm import LLMRewriter

        return LLMRewriter(settings, analyzer)
    from bot.rewrite.deterministic import DeterministicRewriter

    return DeterministicRewriter(analyzer)
