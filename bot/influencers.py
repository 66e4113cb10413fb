"""Creator check and outreach check: quality over reach, relationships over transactions.

- `creator_check`: engagement rate against the platform's usual range for the audience size (ranges and their
  sources live in knowledge/platforms/*.yaml, `engagement`), and the red flags of inflated accounts.
- `outreach_check`: a brief or first message to a creator, read for purely transactional language, no sign of
  knowing the creator's work, no room for their voice, no long-term intent and no disclosure of a paid
  partnership (cue lists in knowledge/antipatterns/transactional_influence.yaml, `outreach`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.analysis.antipatterns import antipattern_findings
from bot.analysis.report import Finding, sort_findings
from bot.errors import UsageError
from bot.knowledge.model import KnowledgeBase
from bot.text import Draft, detect_language

COMMENT_FLOOR = 0.004  # below 4 comments per 1,000 likes, likes are likely bought or pod-driven
COMMENT_CEILING = 0.6  # more comments than ~60% of likes usually means comment pods or giveaways
FAR_BELOW = 0.5  # "far below": under half the low end of the usual range
IMPLAUSIBLE = 4.0  # over 4x the high end: giveaways, pods or bought engagement; worth a look

_M = {
    "far_below": {
        "en": "Engagement of {rate} is far below the usual {low}–{high} for {tier} accounts on {platform}: many "
              "followers are probably inactive, bought or bots. Reach on paper, little real influence.",
        "fr": "Un engagement de {rate} est très en dessous des {low}–{high} habituels pour un compte {tier} sur "
              "{platform} : beaucoup d'abonnés sont sans doute inactifs, achetés ou des robots. De la portée sur "
              "le papier, peu d'influence réelle.",
    },
    "below": {
        "en": "Engagement of {rate} is below the usual {low}–{high} for {tier} accounts on {platform}; ask for "
              "audience insights (reach, saves, audience location) before deciding.",
        "fr": "Un engagement de {rate} est sous les {low}–{high} habituels pour un compte {tier} sur {platform} ; "
              "demandez les statistiques d'audience (portée, enregistrements, pays) avant de décider.",
    },
    "implausible": {
        "en": "Engagement of {rate} is several times the usual {low}–{high}: check for giveaways, engagement pods "
              "or bought likes before trusting it.",
        "fr": "Un engagement de {rate} vaut plusieurs fois les {low}–{high} habituels : vérifiez concours, pods "
              "d'engagement ou likes achetés avant de vous y fier.",
    },
    "comments_low": {
        "en": "Only {ratio} comments per 1,000 likes: real audiences talk back. Likes without conversation are a "
              "classic sign of bought engagement.",
        "fr": "Seulement {ratio} commentaires pour 1 000 likes : une vraie communauté répond. Des likes sans "
              "conversation sont un signe classique d'engagement acheté.",
    },
    "comments_high": {
        "en": "Comments reach {pct} of likes, unusually high: look at them for one-word comments from the same "
              "accounts (engagement pods) or giveaway entries.",
        "fr": "Les commentaires atteignent {pct} des likes, c'est inhabituel : regardez s'il s'agit de mots isolés "
              "des mêmes comptes (pods d'engagement) ou de participations à un concours.",
    },
    "views_low": {
        "en": "Average views are {pct} of followers on {platform}: most of the audience never sees the content.",
        "fr": "Les vues moyennes représentent {pct} des abonnés sur {platform} : l'essentiel de l'audience ne voit "
              "jamais les contenus.",
    },
    "niche": {
        "en": "A niche creator with a strong engagement rate often moves their community more than a star with a "
              "big, passive audience: judge influence, not reach.",
        "fr": "Un créateur de niche avec un bon taux d'engagement fait souvent plus bouger sa communauté qu'une "
              "star à l'audience large et passive : jugez l'influence, pas la portée.",
    },
}  # fmt: skip
_TIERS = {"en": ("small", "mid-size", "large"), "fr": ("petit", "moyen", "grand")}


@dataclass
class CreatorResult:
    platform: str
    followers: int
    engagement_rate: float
    band: str  # far_below | below | typical | above | implausible
    usual_range: tuple[float, float]
    flags: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: str = ""

    def to_dict(self) -> dict:
        return {
            "schema": 1,
            "platform": self.platform,
            "followers": self.followers,
            "engagement_rate": round(self.engagement_rate, 5),
            "band": self.band,
            "usual_range": [self.usual_range[0], self.usual_range[1]],
            "flags": [{"rule": f.rule, "severity": f.severity, "message": f.message} for f in self.flags],
            "notes": self.notes,
            "source": self.source,
        }


def parse_count(name: str, value, allow_zero: bool = True) -> int:
    """A non-negative whole count from user input ("12000", "12k", "1.2M", "12 000")."""
    if value is None:
        raise UsageError(f"--{name} is required")
    text = str(value).strip().lower().replace(" ", "").replace("_", "").replace(",", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    if mult != 1:
        text = text[:-1]
    try:
        number = float(text) * mult
    except ValueError:
        raise UsageError(f"--{name}: {value!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise UsageError(f"--{name}: {value!r} is not a number")
    if number < 0:
        raise UsageError(f"--{name} cannot be negative (got {value})")
    if number == 0 and not allow_zero:
        raise UsageError(f"--{name} must be more than zero")
    return int(round(number))


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%" if x < 0.1 else f"{x * 100:.0f}%"


def creator_check(kb: KnowledgeBase, platform: str, followers, avg_likes, avg_comments, avg_views=None,
                  lang: str = "en") -> CreatorResult:  # fmt: skip
    if platform not in kb.platforms:
        raise UsageError(f"unknown platform {platform!r}; known platforms: {', '.join(kb.platforms)}")
    followers = parse_count("followers", followers, allow_zero=False)
    likes = parse_count("avg-likes", avg_likes)
    comments = parse_count("avg-comments", avg_comments)
    views = parse_count("avg-views", avg_views) if avg_views not in (None, "") else None
    if likes > 10 * followers:
        raise UsageError(f"--avg-likes ({likes:,}) is more than 10x --followers ({followers:,}); check the numbers")
    if comments > 10 * followers:
        raise UsageError(f"--avg-comments ({comments:,}) is more than 10x --followers ({followers:,})")
    p = kb.platforms[platform]
    eng = p.engagement
    tier = eng.tier_for(followers)
    rate = (likes + comments) / followers
    tier_idx = min(list(eng.tiers).index(tier), 2)
    fmt = {"rate": _pct(rate), "low": _pct(tier.low), "high": _pct(tier.high), "platform": p.name,
           "tier": _TIERS[lang][tier_idx]}  # fmt: skip
    flags: list[Finding] = []
    if rate < tier.low * FAR_BELOW:
        band = "far_below"
        flags.append(Finding("creator.engagement-far-below", "warning", _M["far_below"][lang].format(**fmt)))
    elif rate < tier.low:
        band = "below"
        flags.append(Finding("creator.engagement-below", "suggestion", _M["below"][lang].format(**fmt)))
    elif rate <= tier.high:
        band = "typical"
    elif rate <= tier.high * IMPLAUSIBLE:
        band = "above"
    else:
        band = "implausible"
        flags.append(Finding("creator.engagement-implausible", "warning", _M["implausible"][lang].format(**fmt)))
    if not eng.has_comments:
        pass  # no comments on this platform: the ratio says nothing
    elif likes >= 100 and comments / likes < COMMENT_FLOOR:
        ratio = f"{comments / likes * 1000:.1f}"
        flags.append(Finding("creator.comments-low", "warning", _M["comments_low"][lang].format(ratio=ratio)))
    elif likes >= 50 and comments / max(likes, 1) > COMMENT_CEILING:
        flags.append(Finding("creator.comments-high", "suggestion",
                             _M["comments_high"][lang].format(pct=_pct(comments / likes))))  # fmt: skip
    if views is not None and eng.has_views and views / followers < eng.views_floor:
        flags.append(Finding("creator.views-low", "warning",
                             _M["views_low"][lang].format(pct=_pct(views / followers), platform=p.name)))  # fmt: skip
    notes = []
    if band in ("typical", "above") and tier_idx == 0 or band in ("far_below", "below") and tier_idx == 2:
        notes.append(_M["niche"][lang])
    return CreatorResult(platform, followers, rate, band, (tier.low, tier.high), sort_findings(flags), notes,
                         eng.source)  # fmt: skip


# Outreach --------------------------------------------------------------------------------------------------------

_OUT = {
    "transactional": {
        "level": "warning",
        "en": "“%s” treats the creator as a bought service. Start from their work and what you could build "
              "together; talk fees once there is a shared idea.",
        "fr": "« %s » traite le créateur comme un prestataire. Partez de son travail et de ce que vous pourriez "
              "construire ensemble ; parlez rémunération une fois l'idée partagée.",
    },
    "knows_creator": {
        "level": "warning",
        "en": "Nothing shows you know this creator's work. Name a video or post of theirs you liked and why it "
              "fits your brand.",
        "fr": "Rien ne montre que vous connaissez le travail de ce créateur. Citez une vidéo ou un post que vous "
              "avez aimé et pourquoi il rejoint votre marque.",
    },
    "creative_freedom": {
        "level": "suggestion",
        "en": "Leave room for the creator's own voice: their audience follows them, not your script. Say they "
              "can tell it in their own words and format.",
        "fr": "Laissez de la place à la voix du créateur : sa communauté le suit, lui, pas votre script. Dites-lui "
              "qu'il peut raconter à sa façon, dans son format.",
    },
    "long_term": {
        "level": "suggestion",
        "en": "No sign of a lasting relationship. One-off posts read as ads; say you would like to build "
              "something over time if it works for both.",
        "fr": "Aucun signe de relation durable. Un post isolé se lit comme une pub ; dites que vous aimeriez "
              "construire dans la durée si cela convient aux deux.",
    },
    "disclosure": {
        "level": "warning",
        "en": "The paid partnership is not disclosed. Agree up front on #ad / “Paid partnership” and the "
              "platform's branded-content tool: it is the law in many countries and protects the creator's trust.",
        "fr": "Le partenariat rémunéré n'est pas mentionné. Convenez dès le départ de la mention « partenariat "
              "rémunéré » / #sponsorisé et de l'outil de contenu de marque de la plateforme : c'est la loi en "
              "France et cela protège la confiance de sa communauté.",
    },
}  # fmt: skip


class OutreachChecker:
    """Cue lists from the knowledge base compiled once per language (spaCy Matcher, like principle cues)."""

    def __init__(self, analyzer):
        self.analyzer = analyzer
        self._matchers: dict[str, object] = {}

    def _cues(self) -> dict:
        ap = self.analyzer.kb.antipatterns.get("transactional_influence")
        return (ap.extra.get("outreach") if ap else None) or {}

    def matcher(self, lang: str):
        if lang not in self._matchers:
            from bot.nlp import CueMatcher

            cues = {group: list((lists or {}).get(lang, [])) for group, lists in self._cues().items()}
            self._matchers[lang] = CueMatcher(self.analyzer.nlp(lang), cues)
        return self._matchers[lang]

    def check(self, text: str, lang: str = "auto") -> list[Finding]:
        lang = detect_language(text) if lang in ("auto", None, "") else lang
        doc = self.analyzer.nlp(lang)(text)
        matches = self.matcher(lang).find(doc)
        by_group: dict[str, list] = {}
        for m in matches:
            by_group.setdefault(m.key, []).append(m)
        findings = []
        for m in by_group.get("transactional", []):
            msg = _OUT["transactional"][lang].replace("%s", text[m.start : m.end])
            findings.append(Finding("outreach.transactional", "warning", msg, m.start, m.end))
        for group in ("knows_creator", "creative_freedom", "long_term", "disclosure"):
            if not by_group.get(group):
                level = _OUT[group]["level"]
                if group == "disclosure" and not by_group.get("transactional"):
                    level = "suggestion"  # no money talk yet: a reminder, not a warning
                findings.append(Finding(f"outreach.missing-{group.replace('_', '-')}", level, _OUT[group][lang]))
        kb = self.analyzer.kb
        findings += [f for f in antipattern_findings(kb, Draft(text), lang)
                     if f.rule.startswith("transactional_influence.")
                     and not any(f.start == g.start for g in findings if g.start is not None)]  # fmt: skip
        return sort_findings(findings)
