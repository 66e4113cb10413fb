"""Reports and answers as Block Kit: best platform first, fit as a small bar, principles as quoted evidence,
findings grouped by severity. Everything stays inside Slack's limits (50 blocks, 3,000 characters a section,
2,000 a button value), shortening with "…" rather than being refused by the API.
"""

from __future__ import annotations

import json

from bot.analysis.report import Finding, Report, sort_findings
from bot.knowledge.model import KnowledgeBase, pick
from bot.slack import ids

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_BUTTON_VALUE = 2000
MAX_BUTTONS = 3  # "Rewrite for …" candidates
COPY_KINDS = ("copy", "light_edit")

_L = {
    "en": {"best": "Best fit", "target": "Meant for", "fit": "Platform fit", "more": "more under 50",
           "principles": "Influence principles", "none": "No influence principle detected.",
           "error": "Errors", "warning": "Warnings", "suggestion": "Suggestions", "works": "What already works",
           "copy": "Copy of a post already used", "light_edit": "Lightly edited copy of a post already used",
           "adapted": "Adapted from an earlier post (fine)", "repost": "Repost of", "original": "see the original",
           "rewrite": "Rewrite for", "changes": "What changed", "clean": "Nothing to fix for {p}."},
    "fr": {"best": "Meilleure plateforme", "target": "Destiné à", "fit": "Adéquation", "more": "autres sous 50",
           "principles": "Principes d'influence", "none": "Aucun principe d'influence détecté.",
           "error": "Erreurs", "warning": "Mises en garde", "suggestion": "Suggestions", "works": "Ce qui marche déjà",
           "copy": "Copie d'un post déjà publié", "light_edit": "Copie à peine retouchée d'un post déjà publié",
           "adapted": "Adaptation d'un post précédent (c'est bien)", "repost": "Republication de",
           "original": "voir l'original", "rewrite": "Réécriture pour", "changes": "Ce qui a changé",
           "clean": "Rien à corriger pour {p}."},
}  # fmt: skip
_ICON = {"error": ":red_circle:", "warning": ":warning:", "suggestion": ":bulb:"}


# Small builders -------------------------------------------------------------------------------------------------

def esc(text: str) -> str:
    """User text inside mrkdwn: only &, < and > are special."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def section(text: str, **extra) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(text, MAX_SECTION)}, **extra}


def context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": cut(text, MAX_SECTION)}]}


def header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": cut(text, 150), "emoji": True}}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> dict:
    b = {"type": "button", "text": {"type": "plain_text", "text": cut(text, 75), "emoji": True},
         "action_id": action_id, "value": value[:MAX_BUTTON_VALUE]}  # fmt: skip
    if style:
        b["style"] = style
    return b


def bar(fit: int, width: int = 10) -> str:
    full = round(fit / 100 * width)
    return "▰" * full + "▱" * (width - full)


def fit_blocks(blocks: list[dict]) -> list[dict]:
    """At most MAX_BLOCKS, keeping the last (actions) block: a long report loses detail, never its buttons."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    tail = blocks[-1:] if blocks[-1]["type"] == "actions" else []
    keep = MAX_BLOCKS - 1 - len(tail)
    return blocks[:keep] + [context("… shortened to fit in Slack; `crowdculture check` shows everything.")] + tail


def message(text: str, blocks: list[dict] | None = None) -> dict:
    """Keyword arguments for respond / chat.postMessage: `text` is the notification fallback."""
    return {"text": cut(text, 3000), "blocks": fit_blocks(blocks) if blocks else [section(text)]}


# The button payload --------------------------------------------------------------------------------------------

def draft_ref(text: str, **fields) -> str:
    """What a button needs to act on the draft later (the stored post, where it was checked), and the text itself
    when it fits in a button value."""
    ref = {**fields, "text": text}
    value = json.dumps(ref, ensure_ascii=False, separators=(",", ":"))
    if len(value) > MAX_BUTTON_VALUE:
        ref["text"] = None
        value = json.dumps(ref, ensure_ascii=False, separators=(",", ":"))
    return value


def read_ref(value: str) -> dict:
    try:
        ref = json.loads(value or "{}")
    except ValueError:
        ref = {}
    return ref if isinstance(ref, dict) else {}


# Reports -------------------------------------------------------------------------------------------------------

def copy_paste(report: Report) -> list:
    return [r for r in report.reuse if r.kind in COPY_KINDS]


def shown_platforms(report: Report) -> list:
    """The platforms whose findings matter: those the draft is meant for, else the best one."""
    chosen = [report.platform(t) for t in report.targets] if report.targets else report.platforms[:1]
    return [p for p in chosen if p is not None]


def needs_attention(report: Report) -> bool:
    """A warning or error where it matters, or copy-paste: what a watched channel speaks up for."""
    findings = [f for p in shown_platforms(report) for f in p.findings] + list(report.antipatterns)
    return bool(copy_paste(report)) or any(f.severity in ("error", "warning") for f in findings)


def rewrite_candidates(report: Report) -> list[str]:
    """The platforms worth a rewrite button: the targets first, then the best fits."""
    out = [t for t in report.targets if report.platform(t)]
    out += [p.id for p in report.platforms if p.id not in out]
    return out[:MAX_BUTTONS]


def report_blocks(report: Report, kb: KnowledgeBase, ref: str | None = None, share: bool = True,
                  notes: tuple[str, ...] = (), intro: str | None = None) -> list[dict]:  # fmt: skip
    L = _L.get(report.language, _L["en"])
    name = {pid: p.name for pid, p in kb.platforms.items()}
    blocks: list[dict] = []
    if intro:
        blocks.append(context(intro))
    best = report.platforms[0] if report.platforms else None
    if best:
        blocks.append(header(f"{L['best']}: {best.name} {best.fit}/100"))
    if report.targets:
        shown = ", ".join(f"{p.name} {p.fit}/100" for p in shown_platforms(report))
        blocks.append(context(f"{L['target']}: {shown}"))
    blocks += _reuse_blocks(report, L, name)
    blocks.append(section(_fit_lines(report, L)))
    blocks += _finding_blocks(report, L)
    blocks += _principle_blocks(report, L)
    for pid, rw in report.rewrites.items():
        blocks += rewrite_blocks(pid, rw, name.get(pid, pid), L)
    for note in notes:
        blocks.append(context(f":information_source: {note}"))
    if ref is not None:
        blocks.append(report_actions(report, name, ref, share, L))
    return fit_blocks(blocks)


def report_text(report: Report) -> str:
    """Notification fallback: one line."""
    best = report.platforms[0] if report.platforms else None
    warn = " — copy-paste detected" if copy_paste(report) else ""
    return f"Draft check: best fit {best.name} {best.fit}/100{warn}" if best else "Draft check"


def _fit_lines(report: Report, L: dict) -> str:
    chosen = [p for p in report.platforms if p.id in report.targets or p.fit >= 50][:8] or report.platforms[:3]
    chosen += [p for p in shown_platforms(report) if p not in chosen]
    lines = [f"*{L['fit']}*"]
    lines += [f"`{bar(p.fit)}` {p.fit:>3}  {p.name}" for p in chosen]
    rest = len(report.platforms) - len(chosen)
    if rest > 0:
        lines.append(f"_… {rest} {L['more']}_")
    return "\n".join(lines)


def _quote(text: str, f: Finding) -> str:
    if f.start is None or f.end is None or not 0 < f.end - f.start <= 80:
        return ""
    return f" “{esc(text[f.start:f.end].strip())}”"


def _finding_blocks(report: Report, L: dict) -> list[dict]:
    """Findings of the platforms that matter plus practitioners' warnings, one section per severity."""
    shown = shown_platforms(report)
    items = [(p.name, f) for p in shown for f in p.findings]
    items += [("", f) for f in report.antipatterns]
    blocks = []
    for p in shown:
        if p.strengths:
            blocks.append(section(f"*{L['works']} — {p.name}*\n" + "\n".join(f"✓ {esc(s)}" for s in p.strengths)))
    for severity in ("error", "warning", "suggestion"):
        group = [(n, f) for n, f in items if f.severity == severity]
        if not group:
            continue
        ordered = sort_findings([f for _, f in group])
        label = {id(f): n for n, f in group}
        lines = [f"{_ICON[severity]} *{L[severity]}*"]
        for f in ordered:
            where = f"*{label[id(f)]}*: " if label[id(f)] else ""
            lines.append(f"• {where}{esc(f.message)}{_quote(report.text, f)}")
        blocks.append(section("\n".join(lines)))
    if not items and shown:
        blocks.append(section(":white_check_mark: " + L["clean"].format(p=", ".join(p.name for p in shown))))
    return blocks


def _principle_blocks(report: Report, L: dict) -> list[dict]:
    if not report.principles:
        return [context(L["none"])]
    lines = [f"*{L['principles']}*"]
    for h in report.principles:
        lines.append(f"*{h.name}* {h.score:.2f}")
        lines += [f"> {esc(e.text.strip()[:200])}" for e in h.evidence[:3]]
    return [section("\n".join(lines))]


def _reuse_blocks(report: Report, L: dict, name: dict) -> list[dict]:
    blocks = []
    for r in report.reuse:
        where = name.get(r.platform, r.platform)
        if r.same_platform and r.kind != "adapted":
            label = f"{L['repost']} {where}"
        else:
            label = f"{L[r.kind]} — {where}"
        link = f" <{r.permalink}|{L['original']}>" if r.permalink else f" (post {esc(str(r.post_id))})"
        icon = ":white_check_mark:" if r.kind == "adapted" else ":rotating_light:"
        blocks.append(section(f"{icon} *{label}*, {r.similarity:.0%} similar.{link}"))
    return blocks


def rewrite_blocks(pid: str, rw, platform_name: str, L: dict | None = None) -> list[dict]:
    L = L or _L["en"]
    fit = f" — {rw.fit}/100" if rw.fit is not None else ""
    body = "\n".join("> " + esc(line) if line else ">" for line in rw.text.split("\n"))
    blocks = [section(f"*{L['rewrite']} {platform_name}{fit}*\n{body}")]
    if rw.changes:
        blocks.append(context(f"{L['changes']}: " + "; ".join(esc(c) for c in rw.changes)))
    return blocks


def report_actions(report: Report, name: dict, ref: str, share: bool, L: dict) -> dict:
    elements = [button(f"{L['rewrite']} {name.get(pid, pid)}", ids.with_platform(ids.ACT_REWRITE, pid), ref)
                for pid in rewrite_candidates(report) if pid not in report.rewrites]  # fmt: skip
    published = report.targets[:MAX_BUTTONS] or [report.best_platform]
    elements += [button(f"Mark as published on {name.get(pid, pid)}", ids.with_platform(ids.ACT_PUBLISH, pid), ref)
                 for pid in published if pid]  # fmt: skip
    if share:
        elements.append(button("Share in channel", ids.ACT_SHARE, ref, style="primary"))
    return {"type": "actions", "block_id": "report_actions", "elements": elements}


# Other answers ---------------------------------------------------------------------------------------------------

def usage(problem: str, kb: KnowledgeBase | None = None) -> dict:
    """A UsageError as a helpful message: what went wrong, then how to ask."""
    lines = [f":thinking_face: {esc(problem[:1].upper() + problem[1:])}.", "", *HELP_LINES]
    if kb is not None:
        lines += ["", "Platforms: " + ", ".join(f"`{pid}`" for pid in kb.platforms)]
    return message(problem, [section("\n".join(lines))])


HELP_LINES = [
    "*How to ask*",
    f"• `{ids.CMD_DRAFT_CHECK} [platform…] your draft` — fit per platform, influence principles, copy-paste check",
    f"• `{ids.CMD_DRAFT_REWRITE} platform your draft` — a rewrite in that platform's language",
    f"• `{ids.CMD_CROWDCULTURE} help | settings | digest` — this help, your default platforms, the weekly digest",
    f"• `{ids.CMD_CREATOR_CHECK}` — a creator's engagement before a partnership",
    "• Mention me with a draft, or use the message shortcuts *Check this draft* and *Check this outreach*.",
]


def help_message(kb: KnowledgeBase) -> dict:
    text = "\n".join(HELP_LINES) + "\n\nPlatforms: " + ", ".join(f"`{pid}`" for pid in kb.platforms)
    return message("How to use Crowdculture", [section(text)])


def apology() -> dict:
    return message("Sorry, something went wrong on my side while checking this. It has been logged; "
                   "please try again in a minute.")  # fmt: skip


def rewrite_message(report: Report, kb: KnowledgeBase, pid: str, ref: str | None = None,
                    notes: tuple[str, ...] = ()) -> dict:  # fmt: skip
    L = _L.get(report.language, _L["en"])
    name = kb.platforms[pid].name
    rw = report.rewrites[pid]
    blocks = rewrite_blocks(pid, rw, name, L)
    before = report.platform(pid)
    if before is not None and rw.fit is not None:
        blocks.insert(0, context(f"{name} fit: {before.fit}/100 → {rw.fit}/100"))
    blocks += [context(f":information_source: {n}") for n in notes]
    if ref is not None:
        blocks.append({"type": "actions", "block_id": "rewrite_actions",
                       "elements": [button("Share in channel", ids.ACT_SHARE, ref, style="primary")]})  # fmt: skip
    return message(f"Rewrite for {name}", blocks)


def findings_message(title: str, text: str, findings: list[Finding], fine: str) -> dict:
    """Outreach and creator checks: findings grouped by severity, or one reassuring line."""
    blocks = [header(title)]
    for severity in ("error", "warning", "suggestion"):
        group = [f for f in findings if f.severity == severity]
        if group:
            lines = [f"{_ICON[severity]} *{_L['en'][severity]}*"]
            lines += [f"• {esc(f.message)}{_quote(text, f) if text else ''}" for f in group]
            blocks.append(section("\n".join(lines)))
    if not findings:
        blocks.append(section(f":white_check_mark: {fine}"))
    return message(title, blocks)


def creator_message(result, kb: KnowledgeBase) -> dict:
    name = kb.platforms[result.platform].name
    low, high = result.usual_range
    title = f"{name} creator, {result.followers:,} followers"
    out = findings_message(title, "", result.flags, "No red flags.")
    out["blocks"].insert(1, section(f"Engagement *{result.engagement_rate:.2%}* ({result.band.replace('_', ' ')}; "
                                    f"usual range {low:.1%}–{high:.1%})"))  # fmt: skip
    out["blocks"] += [context(esc(n)) for n in result.notes] + ([context(esc(result.source))] if result.source else [])
    return out


def principle_guide(kb: KnowledgeBase, lang: str = "en") -> str:
    return "\n".join(f"• *{pick(p.name, lang)}* — {esc(cut(pick(p.definition, lang), 160))}"
                     for p in kb.principles.values())  # fmt: skip


def platform_guide(kb: KnowledgeBase, lang: str = "en") -> str:
    return "\n".join(f"• *{p.name}* — {esc(cut(pick(p.subculture, lang), 110))}" for p in kb.platforms.values())
