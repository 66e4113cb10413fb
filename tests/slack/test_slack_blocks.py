"""Block Kit within Slack's limits, and callbacks that are plain functions testable without a running app."""

import json
import logging
from unittest.mock import Mock

from slack_bolt import BoltContext

from bot.analysis.report import Evidence, Finding, PlatformFit, PrincipleHit, Report, ReuseMatch
from bot.slack import blocks, ids
from bot.slack.deps import DEPS_KEY, Deps
from bot.slack.listeners.commands.draft_check import draft_check_callback


def huge_report(kb) -> Report:
    text = "word " * 4000
    findings = [Finding(f"rule.{i}", ("error", "warning", "suggestion")[i % 3], "A long explanation. " * 40, 0, 4)
                for i in range(60)]  # fmt: skip
    platforms = [PlatformFit(pid, p.name, 90 - i, list(findings), strengths=["Works well " * 30] * 5)
                 for i, (pid, p) in enumerate(kb.platforms.items())]  # fmt: skip
    principles = [PrincipleHit(pid, pid.title(), 0.9, [Evidence("word " * 100, 0, 500)] * 5)
                  for pid in ("scarcity", "unity", "liking")]  # fmt: skip
    reuse = [ReuseMatch(f"p{i}", "facebook", 0.97, "copy", permalink=f"https://x.slack.com/p{i}") for i in range(40)]
    return Report(None, text, "en", platforms, principles, findings, reuse, targets=list(kb.platforms)[:3])


def test_a_huge_report_stays_within_slack_limits_and_keeps_its_buttons(kb):
    report = huge_report(kb)
    ref = blocks.draft_ref(report.text, post="check-1", id=1)
    out = blocks.report_blocks(report, kb, ref=ref)
    assert len(out) <= blocks.MAX_BLOCKS
    assert out[-1]["type"] == "actions" and len(json.loads(out[-1]["elements"][0]["value"])) > 0
    for b in out:
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= 3000
        for e in b.get("elements", []):
            assert len(e.get("value", "")) <= 2000
    assert any(b["type"] == "section" and b["text"]["text"].endswith("…") for b in out)
    assert json.loads(out[-1]["elements"][0]["value"])["text"] is None  # too long for a button: read from store


def test_best_platform_first_fit_bars_quoted_evidence_and_severity_groups(service, kb):
    report = service.check("Only 50 seats left for our free workshop on Thursday! Comment YES to get the link "
                           "#a #b #c #d #e #f #g #h #i #j #k #l", targets=["linkedin"])  # fmt: skip
    out = blocks.report_blocks(report, kb, ref="{}")
    assert out[0]["type"] == "header" and report.platforms[0].name in out[0]["text"]["text"]
    text = json.dumps(out, ensure_ascii=False)
    assert "▰" in text and "> " in text and ":warning: *Warnings*" in text


def test_escaping_user_text():
    assert blocks.esc("<@U1> & <!here>") == "&lt;@U1&gt; &amp; &lt;!here&gt;"


def test_callbacks_are_plain_functions(service, settings):
    respond, client = Mock(), Mock()
    client.conversations_info.return_value = {"channel": {"is_private": False}}
    context = BoltContext({"team_id": "T1", DEPS_KEY: Deps(settings, service, store=None)})
    body = {"text": "linkedin Our new bags are here: made from old sails, 12 numbered pieces.", "channel_id": "C1",
            "channel_name": "general", "user_id": "U1"}
    draft_check_callback(body=body, respond=respond, client=client, context=context, logger=logging.getLogger())
    (call,) = respond.call_args_list
    assert call.kwargs["response_type"] == "ephemeral" and "Best fit" in json.dumps(call.kwargs["blocks"])
    assert ids.ACT_SHARE in json.dumps(call.kwargs["blocks"])
