"""Typed objects of the knowledge base. The YAML schema is documented in knowledge/README.md."""

from __future__ import annotations

from dataclasses import dataclass, field

LANGS = ("en", "fr")
LEVELS = ("error", "warning", "suggestion")
PRINCIPLE_IDS = ("reciprocity", "commitment", "social_proof", "authority", "liking", "scarcity", "unity")
CHECK_KINDS = (
    "max_chars", "min_chars", "max_hashtags", "min_hashtags", "max_mentions", "max_links", "max_emoji",
    "min_emoji", "first_line_max_chars", "max_paragraph_chars", "max_caps_ratio", "max_exclamations",
    "pattern", "tokens",
)  # fmt: skip
LAYOUTS = ("paragraphs", "caption", "thread", "title_description", "conversational", "short")
HASHTAG_STYLES = ("camel", "lower", "none")
HASHTAG_PLACEMENTS = ("end", "block", "inline", "none")
LINK_POLICIES = ("inline", "bio", "first_comment", "description", "none")
EMOJI_POLICIES = ("none", "sparse", "moderate", "rich")
HOOK_STRATEGIES = ("first", "insight", "question", "number", "scene")
REGISTERS = ("written", "conversational", "spoken")
OVERFLOWS = ("keep", "thread", "voiceover", "reply", "slides")

Text = dict  # {"en": str, "fr": str}


def pick(text: Text | str | None, lang: str) -> str:
    """The text in `lang`, falling back to English."""
    if isinstance(text, dict):
        return text.get(lang) or text.get("en") or ""
    return text or ""


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    message: Text
    kind: str  # one of CHECK_KINDS
    value: object  # the limit, the regex (str or {lang: str}) or the token lists
    expect: str = "absent"  # for patterns: "absent" → finding on match; "present" → finding when missing
    flags: str = "i"
    link: str = ""
    source: str = ""  # file:line, for people reading a finding


@dataclass(frozen=True)
class RewriteStyle:
    target_chars: int
    hook_max_chars: int
    layout: str
    hashtag_count: int
    hashtag_style: str
    hashtag_placement: str
    links: str
    emoji: str
    cta: Text
    disclosure: Text
    hook: str = "first"  # which sentence leads: one of HOOK_STRATEGIES
    register: str = "written"  # written | conversational (contractions) | spoken (as said out loud)
    paragraph_sentences: int = 3  # most sentences per paragraph in the paragraphs layout
    openers: dict = field(default_factory=dict)  # {en: [..], fr: [..]} framing phrases put before the hook
    question_openers: dict = field(default_factory=dict)  # the same before a hook that is the draft's own question
    after_question: Text = field(default_factory=dict)  # closes a post ending on the draft's question (else the cta)
    overflow: str = "keep"  # facts past the target: keep in the text, thread, voiceover, reply, slides
    chapters: bool = False  # video chapter lines ("03:12 Month 1") kept: only where they become chapter links


@dataclass(frozen=True)
class EngagementTier:
    max_followers: int | None
    low: float
    high: float


@dataclass(frozen=True)
class Engagement:
    has_views: bool
    source: str
    tiers: tuple[EngagementTier, ...]
    views_floor: float = 0.03  # average views under this share of followers is a red flag
    has_comments: bool = True  # False where the platform has no comments (e.g. WhatsApp Channels)

    def tier_for(self, followers: int) -> EngagementTier:
        for tier in self.tiers:
            if tier.max_followers is None or followers <= tier.max_followers:
                return tier
        return self.tiers[-1]


@dataclass
class Platform:
    id: str
    name: str
    subculture: Text
    limits: dict
    norms: dict
    rewrite: RewriteStyle
    engagement: Engagement
    rules: list[Rule]
    fit: dict[str, list[str]]
    clash: dict[str, list[str]]
    path: str = ""

    @property
    def max_chars(self) -> int | None:
        return self.limits.get("max_chars")


@dataclass
class Principle:
    id: str
    name: Text
    definition: Text
    how_it_shows: Text
    cues: dict[str, list[str]]
    exemplars: dict[str, list[str]]
    near_misses: dict[str, list[str]]
    ethics: Text
    by_platform: dict[str, Text]
    patterns: dict[str, list[str]] = field(default_factory=dict)  # optional regexes, e.g. countdown timers
    # Principles whose language this one's cue phrases share: a lone cue phrase does not count when one of these is
    # found with a higher score (bot.analysis.principles.yield_lone_cues).
    cues_yield_to: list[str] = field(default_factory=list)
    path: str = ""


@dataclass
class Antipattern:
    id: str
    name: Text
    description: Text
    advice: Text
    rules: list[Rule]
    exemplars: dict[str, list[str]]
    extra: dict = field(default_factory=dict)  # e.g. the outreach cue lists of transactional_influence
    path: str = ""


@dataclass
class KnowledgeBase:
    platforms: dict[str, Platform]
    principles: dict[str, Principle]
    antipatterns: dict[str, Antipattern]
    content_hash: str
    reject_words: list[str] = field(default_factory=list)
    accept_words: list[str] = field(default_factory=list)

    def platform(self, pid: str) -> Platform:
        return self.platforms[pid]

    def all_rules(self) -> list[Rule]:
        rules = [r for p in self.platforms.values() for r in p.rules]
        return rules + [r for a in self.antipatterns.values() for r in a.rules]
