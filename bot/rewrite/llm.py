"""Optional generative rewrites through an OpenAI-compatible chat endpoint (a local Ollama or vLLM server).

Off by default. Its output must pass the same checks as the deterministic engine — every fact kept, fit ≥ 75 and
no error finding on the target platform — or the deterministic rewrite is used instead; so are timeouts and
server errors. The API key, if any, is read from the environment variable named in the settings.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request

from bot.analysis.report import Report, Rewrite
from bot.knowledge.model import pick
from bot.rewrite.deterministic import DeterministicRewriter
from bot.rewrite.facts import lost_facts

log = logging.getLogger(__name__)
MIN_FIT = 75


def _prompt(report: Report, platform, lang: str) -> list[dict]:
    style = platform.rewrite
    norms = "\n".join(f"- {k}: {pick(v, lang)}" for k, v in platform.norms.items())
    system = (
        "You adapt social-media posts to one platform's culture. Keep every fact exactly: numbers, prices, dates, "
        "names, URLs and @mentions. Never invent facts, testimonials or urgency. Answer with the post only, in the "
        f"same language as the draft ({'French' if lang == 'fr' else 'English'})."
    )
    user = (
        f"Platform: {platform.name}\nCulture: {pick(platform.subculture, lang)}\nNorms:\n{norms}\n"
        f"Target length: about {style.target_chars} characters (hard limit {platform.max_chars}).\n"
        f"Hashtags: {style.hashtag_count}, style {style.hashtag_style}. Links: {style.links}. "
        f"Call to action idiom: {pick(style.cta, lang) or 'none, the post itself invites replies'}\n"
        f"Register: {style.register}; open with: {style.hook} hook.\n\nDraft:\n{report.text}"
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


class LLMRewriter:
    def __init__(self, settings, analyzer):
        self.cfg = settings.rewrite.llm
        self.analyzer = analyzer
        self.fallback = DeterministicRewriter(analyzer)

    def _complete(self, messages: list[dict]) -> str:
        url = self.cfg.base_url.rstrip("/") + "/chat/completions"
        body = json.dumps({"model": self.cfg.model, "messages": messages, "temperature": 0.3}).encode()
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(self.cfg.api_key_env, "")
        if key:
            headers["Authorization"] = f"Bearer {key}"
        req = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - configured URL
        with urllib.request.urlopen(req, timeout=self.cfg.timeout_s) as resp:  # noqa: S310
            data = json.loads(resp.read().decode("utf-8"))
        return data["choices"][0]["message"]["content"].strip()

    def rewrite_many(self, report: Report, pids: list[str]) -> dict[str, Rewrite]:
        return {pid: self.rewrite(report, pid) for pid in pids}  # one request per platform: each has its prompt

    def rewrite(self, report: Report, pid: str) -> Rewrite:
        platform = self.analyzer.kb.platforms[pid]
        lang = report.language
        try:
            text = self._complete(_prompt(report, platform, lang))
        except (urllib.error.URLError, TimeoutError, OSError, KeyError, IndexError, ValueError) as exc:
            log.warning("LLM rewrite failed (%s); using the deterministic engine", type(exc).__name__)
            return self.fallback.rewrite(report, pid)
        lost = lost_facts(report.text, text)
        fit, errors = self.analyzer.platform_fit(text, lang, pid) if text else (0, True)
        if lost or errors or fit < MIN_FIT:
            log.info("LLM rewrite rejected (lost=%s fit=%s errors=%s); deterministic instead", lost, fit, errors)
            return self.fallback.rewrite(report, pid)
        change = ("Rewritten by the configured language model, checked: every fact kept, fit "
                  f"{fit}/100 on {platform.name}.") if lang == "en" else (
                  f"Réécrit par le modèle de langue configuré, vérifié : tous les faits gardés, adéquation "
                  f"{fit}/100 sur {platform.name}.")  # fmt: skip
        return Rewrite(pid, text, [change], fit, backend="llm")
