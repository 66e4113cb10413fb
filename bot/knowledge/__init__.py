"""The knowledge base: platform subcultures, influence principles, anti-patterns (YAML → typed objects)."""

from bot.knowledge.loader import load_from_settings, load_knowledge
from bot.knowledge.model import (
    LANGS,
    PRINCIPLE_IDS,
    Antipattern,
    KnowledgeBase,
    Platform,
    Principle,
    Rule,
    pick,
)

__all__ = [
    "LANGS", "PRINCIPLE_IDS", "Antipattern", "KnowledgeBase", "Platform", "Principle", "Rule",
    "load_from_settings", "load_knowledge", "pick",
]  # fmt: skip
