"""The report as text for a terminal: best platform first, what works, what clashes and why; colour on a TTY."""

from __future__ import annotations

import os
import sys
import textwrap

from bot.analysis.report import Report
from bot.knowledge.model import KnowledgeBase, pick

_COLOURS = {"error": "31", "warning": "33", "suggestion": "36", "good": "32", "dim": "2", "bold": "1"}
_LABELS = {
    "en": {"error": "error", "warning": "warning", "suggestion": "suggestion", "best": "Best fit",
           "fit": "Platform fit", "principles": "Influence principles", "none": "none detected",
           "anti": "Practitioners' warnings", "reuse": "Copy-paste check", "rewrite": "Rewrite for",
           "original": "Original", "changes": "What changed", "works": "works", "target": "Meant for",
           "copy": "copy of", "light_edit": "lightly edited copy of", "adapted": "adapted from",
           "repost": "repost of", "lang": "Language"},
    "fr": {"error": "erreur", "warning": "attention", "suggestion": "suggestion", "best": "Meilleure plateforme",
           "fit": "Adéquation par plateforme", "principles": "Principes d'influence", "none": "aucun détecté",
           "anti": "Mises en garde", "reuse": "Contrôle du copier-coller", "rewrite": "Réécriture pour",
           "original": "Original", "changes": "Ce qui a changé", "works": "atout", "target": "Destiné à",
           "copy": "copie de", "light_edit": "copie à peine retouchée de", "adapted": "adaptation de",
           "repost": "republication de", "lang": "Langue"},
}  # fmt: skip


def use_colour(stream=None) -> bool:
    stream = stream or sys.stdout  # looked up at call time: tests and pipes replace sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


class _Paint:
    def __init__(self, on: bool):
        self.on = on

    def __call__(self, text: str, style: str) -> str:
        return f"\x1b[{_COLOURS[style]}m{text}\x1b[0m" if self.on else text


def bar(fit: int, width: int = 10) -> str:
    full = round(fit / 100 * width)
    return "█" * full + "░" * (width - full)


def render_report(report: Report, kb: KnowledgeBase, colour: bool = False, all_platforms: bool = False) -> str:
    p = _Paint(colour)
    lang = report.language
    L = _LABELS[lang]
    out: list[str] = []
    head = f"{L['best']}: {report.platforms[0].name} ({report.platforms[0].fit}/100)" if report.platforms else ""
    title = f"{report.id} — " if report.id else ""
    out.append(p(f"{title}{head}", "bold") + p(f"   {L['lang']}: {lang}", "dim"))
    if report.targets:
        out.append(f"{L['target']}: " + ", ".join(
            f"{t.name} {t.fit}/100" for t in (report.platform(x) for x in report.targets) if t))  # fmt: skip
    out.append("")
    out.append(p(L["fit"], "bold"))
    shown = [x for x in report.platforms if all_platforms or x.id in report.targets or x.fit >= 50][:8]
    shown += [report.platform(t) for t in report.targets if report.platform(t) not in shown]
    for fit in shown:
        style = "good" if fit.fit >= 75 else "warning" if fit.fit >= 50 else "error"
        out.append(f"  {fit.name:<18} {p(bar(fit.fit), style)} {fit.fit:>3}")
        if fit.id in report.targets or fit is report.platforms[0]:
            for s in fit.strengths:
                out.append("      " + p("✓ ", "good") + s)
            for f in fit.findings:
                out.append(_finding_line(f, L, p))
    rest = len(report.platforms) - len(shown)
    if rest > 0:
        out.append(p(f"  … {rest} more under 50", "dim"))
    out.append("")
    out.append(p(L["principles"], "bold"))
    if not report.principles:
        out.append("  " + L["none"])
    for h in report.principles:
        quotes = ", ".join(f"“{e.text.strip()[:80]}”" for e in h.evidence)
        out.append(f"  {h.name:<18} {h.score:.2f}  {quotes}")
    if report.antipatterns:
        out.append("")
        out.append(p(L["anti"], "bold"))
        for f in report.antipatterns:
            out.append(_finding_line(f, L, p, indent="  ", text=report.text))
    if report.reuse:
        out.append("")
        out.append(p(L["reuse"], "bold"))
        for r in report.reuse:
            kind = "repost" if r.same_platform and r.kind != "adapted" else r.kind
            style = "good" if r.kind == "adapted" else "warning"
            where = kb.platforms[r.platform].name if r.platform in kb.platforms else r.platform
            out.append(f"  {p('●', style)} {L[kind]} {r.post_id} ({where}, {r.similarity:.2f})")
    for pid, rw in report.rewrites.items():
        out.append("")
        name = kb.platforms[pid].name
        fit = f" — {rw.fit}/100" if rw.fit is not None else ""
        out.append(p(f"{L['rewrite']} {name}{fit}", "bold"))
        out.extend(_side_by_side(report.text, rw.text, L["original"], name))
        out.append(p(f"  {L['changes']}:", "dim"))
        for c in rw.changes:
            out.append("   • " + c)
    return "\n".join(out)


def _finding_line(f, L, p, indent="      ", text=None) -> str:
    sev = p(f"{L[f.severity]}", f.severity)
    quote = ""
    if text is not None and f.start is not None and f.end is not None and f.end - f.start <= 60:
        quote = f" “{text[f.start:f.end]}”"
    return f"{indent}{sev}{quote}: {f.message}"


def _side_by_side(left: str, right: str, lt: str, rt: str, width: int = 38) -> list[str]:
    def wrap(s: str) -> list[str]:
        lines = []
        for para in s.split("\n"):
            lines += textwrap.wrap(para, width) or [""]
        return lines

    a, b = wrap(left), wrap(right)
    n = max(len(a), len(b))
    a += [""] * (n - len(a))
    b += [""] * (n - len(b))
    rows = [f"  {lt:<{width}} │ {rt}", f"  {'─' * width}─┼─{'─' * width}"]
    rows += [f"  {x:<{width}} │ {y}" for x, y in zip(a, b)]
    return rows


def render_kb_entry(kb: KnowledgeBase, entry_id: str, lang: str = "en") -> str:
    if entry_id in kb.platforms:
        pl = kb.platforms[entry_id]
        lines = [f"{pl.name} ({pl.id}) — {pl.path}", "", pick(pl.subculture, lang), "", "Limits:"]
        lines += [f"  {k}: {v}" for k, v in pl.limits.items()]
        lines += ["", "Norms:"] + [f"  {k}: {pick(v, lang)}" for k, v in pl.norms.items()]
        lines += ["", "Rules:"] + [f"  [{r.level}] {r.id}: {pick(r.message, lang)}" for r in pl.rules]
        lines += ["", f"Exemplars: {len(pl.fit['en'])} en / {len(pl.fit['fr'])} fr that fit, "
                  f"{len(pl.clash['en'])} en / {len(pl.clash['fr'])} fr that clash"]  # fmt: skip
        lines += [f"  e.g. {pl.fit[lang][0]!r}"]
        return "\n".join(lines)
    if entry_id in kb.principles:
        pr = kb.principles[entry_id]
        lines = [f"{pick(pr.name, lang)} ({pr.id}) — {pr.path}", "", pick(pr.definition, lang), "",
                 pick(pr.how_it_shows, lang), "", "Cues: " + "; ".join(pr.cues[lang][:15]), "",
                 "Ethics: " + pick(pr.ethics, lang), ""]  # fmt: skip
        lines += [f"  {k}: {pick(v, lang)}" for k, v in pr.by_platform.items()]
        lines += ["", f"Exemplars: {len(pr.exemplars['en'])} en / {len(pr.exemplars['fr'])} fr; "
                  f"near-misses: {len(pr.near_misses['en'])} en / {len(pr.near_misses['fr'])} fr"]  # fmt: skip
        return "\n".join(lines)
    if entry_id in kb.antipatterns:
        ap = kb.antipatterns[entry_id]
        lines = [f"{pick(ap.name, lang)} ({ap.id}) — {ap.path}", "", pick(ap.description, lang), "",
                 "Advice: " + pick(ap.advice, lang), "", "Rules:"]  # fmt: skip
        lines += [f"  [{r.level}] {r.id}: {pick(r.message, lang)}" for r in ap.rules]
        return "\n".join(lines)
    raise KeyError(entry_id)
