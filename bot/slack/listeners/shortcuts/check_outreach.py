from logging import Logger

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.checks import answering, slack_to_plain
from bot.slack.deps import deps_of
from bot.slack.listeners.common import dm, ephemeral

FINE = "Reads like the start of a relationship, not a purchase order. Nothing to add."


def check_outreach_callback(body: dict, respond: Respond, client: WebClient, context: BoltContext, logger: Logger):
    """Message shortcut "Check this outreach": a brief or first message to a creator, read as the creator would."""
    deps = deps_of(context)
    send = ephemeral(respond) if body.get("response_url") else dm(client, body["user"]["id"])
    with answering(send, logger, deps.kb, "outreach shortcut"):
        text = deps.service.validate_text(slack_to_plain((body.get("message") or {}).get("text")), "message")
        with deps.engine_slots:
            findings = deps.outreach.check(text)
        send(blocks.findings_message("Outreach check", text, findings, FINE))
