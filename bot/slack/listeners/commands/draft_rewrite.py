from logging import Logger

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.checks import answering, check_draft, slack_to_plain, split_platform
from bot.slack.deps import deps_of
from bot.slack.listeners.common import command_where, ephemeral


def draft_rewrite_callback(body: dict, respond: Respond, client: WebClient, context: BoltContext, logger: Logger):
    """`/draft-rewrite PLATFORM TEXT`: the draft rewritten in that platform's language, facts kept."""
    deps = deps_of(context)
    send = ephemeral(respond)
    with answering(send, logger, deps.kb, "/draft-rewrite"):
        pid, text = split_platform(deps.kb, slack_to_plain(body.get("text")))
        deps.service.validate_text(text)
        where = command_where(deps, client, context, body)
        outcome = check_draft(deps, text, where, [pid], rewrite=[pid])
        send(blocks.rewrite_message(outcome.report, deps.kb, pid, outcome.ref(where), tuple(outcome.notes)))
