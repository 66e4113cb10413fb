from logging import Logger

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient

from bot.errors import StorageError
from bot.slack import blocks, ids
from bot.slack.checks import answering
from bot.slack.deps import deps_of
from bot.slack.listeners.common import dm, ephemeral, team_of
from bot.slack.store import record_published


def mark_published_callback(body: dict, action: dict, respond: Respond, client: WebClient, context: BoltContext,
                            logger: Logger):  # fmt: skip
    """"Mark as published on <platform>": the post joins the history that copy-paste checks compare with."""
    deps = deps_of(context)
    send = ephemeral(respond) if body.get("response_url") else dm(client, body["user"]["id"])
    with answering(send, logger, deps.kb, "publish button"):
        pid = ids.platform_of(action["action_id"])
        name = deps.kb.platforms[pid].name if pid in deps.kb.platforms else pid
        try:
            record_published(deps, blocks.read_ref(action.get("value")), pid, team_of(context), body["user"]["id"])
        except StorageError as exc:
            logger.warning("publish not recorded: %s", exc)
            send(blocks.message(f":warning: Couldn't record it as published on {name}: the post history is "
                                "unavailable right now. Please try again later."))  # fmt: skip
            return
        send(blocks.message(f":white_check_mark: Recorded as published on {name}. If someone pastes it on another "
                            "platform, I'll point them to it."))  # fmt: skip
