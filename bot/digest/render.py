"""The digest in words: Block Kit for Slack, plain text for the terminal, and the chart's alt text.

Both renderings come from the same list of sections, so the terminal shows exactly what Slack would. Block Kit
limits are kept by construction: about a dozen blocks (≤ 50), a header under 150 characters, every section
under 3,000 characters (long lists are cut with "…and N more"). Posts are quoted short and escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.digest.model import Digest

MAX_BLOCKS = 50
SECTION_CHARS = 3000
HEADER_CHARS = 150
LISTED_PAIRS = 5

MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
}
LABELS = {
    "en": {
        "title": "Weekly digest", "title_other": "Digest", "week": "week", "period": "period", "colon": ": ",
        "quotes": ("“", "”"), "thousands": ",",
        "activity": "Activity", "posts": ("{n} post", "{n} posts"),
        "drafts": ("{n} draft checked", "{n} drafts checked"), "published": ("{n} published", "{n} published"),
        "fit": "Platform fit", "fit_sub": "(average 0–100, vs the previous {unit})", "new": "new this {unit}",
        "no_fit": "not analysed",
        "copy_none": "No copy-paste across platforms: every platform got its own text.",
        "copy_sum": "{pairs} ({copies}, {edits}); {adapted} then adapted.",
        "pairs": ("{n} cross-platform pair", "{n} cross-platform pairs"), "copies": ("{n} copy", "{n} copies"),
        "edits": ("{n} light edit", "{n} light edits"), "adapted": ("{n}", "{n}"),
        "copy": "copy", "light_edit": "light edit", "more": "…and {n} more",
        "copy_title": "Copy-paste caught",
        "principles": "Influence principles", "most": "Most used", "least": "Least used",
        "anti": "Anti-patterns seen", "anti_none": "None seen.",
        "best": "Best-adapted post", "fit_of": "fit {fit} on {platform}",
        "tip": "Tip for next week", "tip_why": "{platform} had the lowest average fit: {fit}",
        "empty": "Quiet {unit}: no posts were checked or published {where} between {start} and {end}. Check a "
                 "draft in Slack (`/draft-check`) and the next digest will have something to show.",
        "in_channel": "in this channel", "in_public": "in public channels",
        "scope_channel": "{channel} only", "scope_public": "public channels only",
        "chart_note": "chart in the thread", "alt": "Average platform fit (0–100), this {unit} vs the previous "
                                                   "one: {items}.",
        "alt_item": "{name} {fit} (before: {prev})", "none": "none",
        "summary": "{title}, {dates}: {posts}, {pairs}.",
        "caught": ("{n} copy-paste pair caught", "{n} copy-paste pairs caught"),
    },
    "fr": {
        "title": "Bilan de la semaine", "title_other": "Bilan", "week": "semaine", "period": "période", "colon": " : ",
        "quotes": ("« ", " »"), "thousands": "\u202f",
        "activity": "Activité", "posts": ("{n} post", "{n} posts"),
        "drafts": ("{n} brouillon vérifié", "{n} brouillons vérifiés"), "published": ("{n} publié", "{n} publiés"),
        "fit": "Adéquation aux plateformes", "fit_sub": "(moyenne sur 100, par rapport à la {unit} précédente)",
        "new": "nouveau", "no_fit": "non analysé",
        "copy_none": "Aucun copier-coller d'une plateforme à l'autre : chaque plateforme a eu son texte.",
        "copy_sum": "{pairs} ({copies}, {edits}) ; {adapted} ensuite.",
        "pairs": ("{n} paire entre plateformes", "{n} paires entre plateformes"), "copies": ("{n} copie", "{n} copies"),
        "edits": ("{n} retouche légère", "{n} retouches légères"), "adapted": ("{n} adaptée", "{n} adaptées"),
        "copy": "copie", "light_edit": "retouche légère", "more": "…et {n} de plus",
        "copy_title": "Copier-coller repérés",
        "principles": "Principes d'influence", "most": "Les plus utilisés", "least": "Les moins utilisés",
        "anti": "Anti-modèles repérés", "anti_none": "Aucun.",
        "best": "Le post le mieux adapté", "fit_of": "adéquation {fit} sur {platform}",
        "tip": "Conseil pour la semaine prochaine", "tip_why": "{platform} a la moyenne la plus basse : {fit}",
        "empty": "{unit} calme : aucun post vérifié ni publié {where} entre le {start} et le {end}. Vérifiez un "
                 "brouillon dans Slack (`/draft-check`) et le prochain bilan aura de quoi dire.",
        "in_channel": "dans ce canal", "in_public": "dans les canaux publics",
        "scope_channel": "{channel} uniquement", "scope_public": "canaux publics uniquement",
        "chart_note": "graphique dans le fil", "alt": "Adéquation moyenne par plateforme (sur 100), cette {unit} "
                                                     "et la précédente : {items}.",
        "alt_item": "{name} {fit} (avant : {prev})", "none": "aucune",
        "summary": "{title}, {dates} : {posts}, {pairs}.",
        "caught": ("{n} copier-coller repéré", "{n} copier-coller repérés"),
    },
}


@dataclass(frozen=True)
class Style:
    """How emphasis, quotes and channel names are written: Slack mrkdwn or plain text."""

    slack: bool

    def bold(self, s: str) -> str:
        return f"*{s}*" if self.slack else s

    def esc(self, s: str) -> str:
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") if self.slack else s

    def channel(self, c: str) -> str:
        return f"<#{c}>" if self.slack else f"#{c}"

    def link(self, url: str | None, label: str) -> str:
        return f"<{url}|{label}>" if self.slack and url else label


def _labels(d: Digest) -> dict:
    return LABELS.get(d.lang, LABELS["en"])


def _is_week(d: Digest) -> bool:
    return abs((d.until - d.since) - timedelta(days=7)) <= timedelta(hours=1)


def unit(d: Digest) -> str:
    return _labels(d)["week" if _is_week(d) else "period"]


def dates(d: Digest) -> str:
    """'3 – 9 June 2024' in the digest's time zone (the last day is the one holding the period's last moment)."""
    months = MONTHS.get(d.lang, MONTHS["en"])
    start = d.since.astimezone(ZoneInfo(d.tz)).date()
    end = (d.until - timedelta(microseconds=1)).astimezone(ZoneInfo(d.tz)).date()
    if start == end:
        return f"{end.day} {months[end.month - 1]} {end.year}"
    first = f"{start.day}" if start.month == end.month else f"{start.day} {months[start.month - 1]}"
    if start.year != end.year:
        first += f" {start.year}"
    return f"{first} – {end.day} {months[end.month - 1]} {end.year}"


def _title(d: Digest) -> str:
    lab = _labels(d)
    return f"{lab['title'] if _is_week(d) else lab['title_other']} · {dates(d)}"


def _count(d: Digest, key: str, n: int, bold=None) -> str:
    """'1 copy' / '3 copies' (French: singular for 0 and 1 too)."""
    one, many = _labels(d)[key]
    number = _int(d, n) if bold is None else bold(_int(d, n))
    return (one if n == 1 or (n == 0 and d.lang == "fr") else many).format(n=number)


def _int(d: Digest, n: int) -> str:
    return f"{n:,}".replace(",", _labels(d)["thousands"])


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.0f}"


def _change(x: float | None) -> str:
    if x is None:
        return ""
    if round(x) == 0:
        return "= 0"
    return f"▲ +{x:.0f}" if x > 0 else f"▼ −{-x:.0f}"


def sections(d: Digest, st: Style) -> list[tuple[str, str]]:
    """(heading, body) pairs, in reading order."""
    lab, per = _labels(d), unit(d)
    colon = lab["colon"]
    if d.empty:
        start, end = dates(d).split(" – ") if " – " in dates(d) else (dates(d), dates(d))
        where = lab["in_channel"] if d.channel else lab["in_public"]
        message = lab["empty"].format(unit=per, where=where, start=start, end=end)
        return [("", message[0].upper() + message[1:])]
    out = []
    counts = " · ".join(f"{p.name} {_int(d, p.posts)}" for p in d.platforms if p.posts)
    status = f"{_count(d, 'drafts', d.drafts)}, {_count(d, 'published', d.published)}"
    out.append((lab["activity"], f"{st.bold(_count(d, 'posts', d.posts))}{colon}{status}\n{counts}"))
    rows = []
    for p in d.platforms:
        if p.fit is None:
            rows.append(f"• {p.name}{colon}{lab['no_fit']}")
        elif p.previous is None:
            rows.append(f"• {p.name}{colon}{st.bold(_num(p.fit))} ({lab['new'].format(unit=per)})")
        else:
            rows.append(f"• {p.name}{colon}{st.bold(_num(p.fit))}  {_change(p.change)} (← {_num(p.previous)})")
    out.append((f"{lab['fit']} {lab['fit_sub'].format(unit=per)}", "\n".join(rows)))
    out.append((lab["copy_title"], _copy_paste(d, st, lab)))
    if d.analysed:
        def named(counts):
            return ", ".join(f"{c.name} ({_int(d, c.posts)})" for c in counts) or lab["none"]

        principles = f"{lab['most']}{colon}{named(d.most_used)}\n{lab['least']}{colon}{named(d.least_used)}"
        out.append((lab["principles"], principles))
        out.append((lab["anti"], " · ".join(f"{c.name} ({_int(d, c.posts)})" for c in d.antipatterns)
                    or lab["anti_none"]))  # fmt: skip
    if d.best:
        b = d.best
        where = st.link(b.permalink, lab["fit_of"].format(fit=b.fit, platform=b.platform_name))
        out.append((lab["best"], f"> {st.esc(b.quote)}\n— {where}"))
    if d.tip:
        t = d.tip
        why = lab["tip_why"].format(platform=t.platform_name, fit=_num(t.fit))
        out.append((f"{lab['tip']}{colon}{t.platform_name}", f"{st.esc(t.text)}\n_{why}_" if st.slack else
                    f"{t.text}\n({why})"))  # fmt: skip
    return out


def _copy_paste(d: Digest, st: Style, lab: dict) -> str:
    if not d.caught:
        return lab["copy_none"]
    copies = sum(p.kind == "copy" for p in d.caught)
    adapted = _count(d, "adapted", d.copy_paste_adapted)
    lines = [lab["copy_sum"].format(pairs=_count(d, "pairs", d.copy_paste, st.bold), copies=_count(d, "copies", copies),
                                    edits=_count(d, "edits", d.copy_paste - copies), adapted=adapted)]  # fmt: skip
    names = {p.id: p.name for p in d.platforms}
    opening, closing = lab["quotes"]
    for p in d.caught[:LISTED_PAIRS]:
        fixed = " ✓" if p.adapted_later else ""
        lines.append(f"• {names.get(p.a_platform, p.a_platform)} → {names.get(p.b_platform, p.b_platform)} "
                     f"({lab[p.kind]}{fixed}){lab['colon']}{opening}{st.esc(p.quote)}{closing}")  # fmt: skip
    if len(d.caught) > LISTED_PAIRS:
        lines.append(lab["more"].format(n=_int(d, len(d.caught) - LISTED_PAIRS)))
    return "\n".join(lines)


def _clip(s: str, limit: int) -> str:
    return s if len(s) <= limit else s[: limit - 1].rsplit("\n", 1)[0] + "\n…"


def _footer(d: Digest, st: Style, chart: bool) -> str:
    lab = _labels(d)
    scope = lab["scope_channel"].format(channel=st.channel(d.channel)) if d.channel else lab["scope_public"]
    parts = [dates(d), d.tz, scope]
    if chart:
        parts.append(lab["chart_note"])
    return " · ".join(parts)


def blocks(d: Digest, chart_note: bool = True) -> list[dict]:
    """The message as posted; `chart_note` says the chart follows in the thread (when there is one to draw)."""
    st = Style(slack=True)
    out: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": _title(d)[:HEADER_CHARS],
                                                   "emoji": True}}]  # fmt: skip
    for heading, body in sections(d, st):
        text = f"*{heading}*\n{body}" if heading else body
        out.append({"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, SECTION_CHARS)}})
    footer = _footer(d, st, chart_note and has_chart(d))
    out.append({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]})
    return out[:MAX_BLOCKS]


def text(d: Digest) -> str:
    st = Style(slack=False)
    parts = [_title(d), "=" * len(_title(d))]
    for heading, body in sections(d, st):
        parts.append(f"\n{heading}\n{body}" if heading else f"\n{body}")
    parts.append(f"\n{_footer(d, st, chart=False)}")
    return "\n".join(parts) + "\n"


def has_chart(d: Digest) -> bool:
    return any(p.fit is not None for p in d.platforms)


def chart_alt(d: Digest) -> str:
    """The chart's numbers in one sentence, for screen readers and for anyone the image does not reach."""
    lab = _labels(d)
    items = [lab["alt_item"].format(name=p.name, fit=_num(p.fit), prev=_num(p.previous))
             for p in d.platforms if p.fit is not None]  # fmt: skip
    return lab["alt"].format(unit=unit(d), items="; ".join(items) or lab["none"])[:1000]


def summary(d: Digest) -> str:
    lab = _labels(d)
    title = lab["title"] if _is_week(d) else lab["title_other"]
    return lab["summary"].format(title=title, dates=dates(d), posts=_count(d, "posts", d.posts),
                                 pairs=_count(d, "caught", d.copy_paste))  # fmt: skip
