"""Anti-pattern findings: the practitioners' mistakes (reach over quality, engagement bait, transactional
influence, empty jargon, copy-paste leftovers) and the team's own rejected words."""

from __future__ import annotations

from bot.analysis.report import Finding, sort_findings
from bot.analysis.rules import evaluate_all, token_regex
from bot.knowledge.model import KnowledgeBase
from bot.text import Draft

_REJECT_MESSAGE = {
    "en": "“%s” is on your team's list of words to avoid.",
    "fr": "« %s » fait partie des mots que votre équipe a choisi d'éviter.",
}


def antipattern_findings(kb: KnowledgeBase, draft: Draft, lang: str) -> list[Finding]:
    findings = []
    for ap in kb.antipatterns.values():
        findings += evaluate_all(ap.rules, draft, lang)
    accepted = {w.lower() for w in kb.accept_words}
    rx = token_regex([w for w in kb.reject_words if w.lower() not in accepted])
    if rx:
        for m in rx.finditer(draft.text):
            findings.append(Finding("vocabulary.reject", "warning", _REJECT_MESSAGE[lang].replace("%s", m.group(0)),
                                    m.start(), m.end()))  # fmt: skip
    # Words a team accepts never raise a finding, even when a shipped rule lists them.
    findings = [f for f in findings if f.start is None or draft.text[f.start : f.end].lower() not in accepted]
    return sort_findings(findings)
