from logging import Logger

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.slack import blocks, ids
from bot.slack.checks import answering, recheck
from bot.slack.deps import deps_of
from bot.slack.listeners.common import dm, ephemeral, team_of


def rewrite_callback(body: dict, action: dict, respond: Respond, client: WebClient, context: BoltContext,
                     logger: Logger):  # fmt: skip
    """"Rewrite for <platform>" under a report: the rewrite, privately, with its own Share button."""
    deps = deps_of(context)
    send = ephemeral(respond) if body.get("response_url") else dm(client, body["user"]["id"])
    with answering(send, logger, deps.kb, "rewrite button"):
        pid = ids.platform_of(action["action_id"])
        ref = blocks.read_ref(action.get("value"))
        outcome = recheck(deps, ref, team_of(context), rewrite=[pid])
        send(blocks.rewrite_message(outcome.report, deps.kb, pid, action.get("value"), tuple(outcome.notes)))
