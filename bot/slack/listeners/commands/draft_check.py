from logging import Logger

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.checks import answering, check_draft, slack_to_plain, split_targets
from bot.slack.deps import deps_of
from bot.slack.listeners.common import command_where, ephemeral


def draft_check_callback(body: dict, respond: Respond, client: WebClient, context: BoltContext, logger: Logger):
    """`/draft-check [platform…] TEXT`: the report, visible only to the caller until they share it."""
    deps = deps_of(context)
    send = ephemeral(respond)
    with answering(send, logger, deps.kb, "/draft-check"):
        targets, text = split_targets(deps.kb, slack_to_plain(body.get("text")))
        deps.service.validate_text(text)
        where = command_where(deps, client, context, body)
        outcome = check_draft(deps, text, where, targets)
        report = outcome.report
        send(blocks.message(blocks.report_text(report), blocks.report_blocks(
            report, deps.kb, ref=outcome.ref(where), notes=tuple(outcome.notes))))  # fmt: skip
