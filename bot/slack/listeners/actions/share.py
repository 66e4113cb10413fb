from logging import Logger

from slack_bolt import BoltContext, Respond

from bot.slack import blocks
from bot.slack.checks import answering, recheck
from bot.slack.deps import deps_of
from bot.slack.listeners.common import ephemeral, team_of


def share_callback(body: dict, action: dict, respond: Respond, context: BoltContext, logger: Logger):
    """"Share in channel": the private report (or rewrite) posted for everyone, saying who shared it."""
    deps = deps_of(context)
    with answering(ephemeral(respond), logger, deps.kb, "share button"):
        ref = blocks.read_ref(action.get("value"))
        outcome = recheck(deps, ref, team_of(context))
        intro = f"<@{body['user']['id']}> shared a draft check."
        report = outcome.report
        respond(response_type="in_channel", replace_original=False, **blocks.message(
            blocks.report_text(report), blocks.report_blocks(report, deps.kb, intro=intro)))  # fmt: skip
