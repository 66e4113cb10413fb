from logging import Logger

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.checks import Where, answering, channel_is_private, check_draft, permalink, slack_to_plain
from bot.slack.deps import deps_of
from bot.slack.listeners.common import dm, ephemeral, team_of


def check_message_callback(body: dict, respond: Respond, client: WebClient, context: BoltContext, logger: Logger):
    """Message shortcut "Check this draft": the report of any message, shown only to the person who asked."""
    deps = deps_of(context)
    user = body["user"]["id"]
    send = ephemeral(respond) if body.get("response_url") else dm(client, user)
    with answering(send, logger, deps.kb, "message shortcut"):
        message, channel = body.get("message") or {}, (body.get("channel") or {}).get("id")
        text = deps.service.validate_text(slack_to_plain(message.get("text")), "message")
        where = Where(team_of(context), channel, channel_is_private(deps, client, channel),
                      message.get("user") or user, permalink(client, channel, message.get("ts")))  # fmt: skip
        outcome = check_draft(deps, text, where)
        send(blocks.message(blocks.report_text(outcome.report), blocks.report_blocks(
            outcome.report, deps.kb, ref=outcome.ref(where), notes=tuple(outcome.notes))))  # fmt: skip
