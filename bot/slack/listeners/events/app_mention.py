from logging import Logger

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.checks import (
    Where,
    answering,
    channel_is_private,
    check_draft,
    permalink,
    slack_to_plain,
    split_targets,
    strip_mention,
)
from bot.slack.deps import deps_of
from bot.slack.listeners.common import in_thread, team_of


def app_mention_callback(event: dict, client: WebClient, context: BoltContext, logger: Logger):
    """`@Crowdculture [platform…] draft` in a channel: the report as a reply in the thread."""
    deps = deps_of(context)
    team, channel, ts = team_of(context), event["channel"], event["ts"]
    if not deps.seen.first(f"message:{team}:{channel}:{ts}"):
        return  # already answered (redelivery, or the watched-channel listener got there first)
    send = in_thread(client, channel, event.get("thread_ts") or ts)
    with answering(send, logger, deps.kb, "mention"):
        text = slack_to_plain(strip_mention(event.get("text", ""), context.bot_user_id))
        targets, text = split_targets(deps.kb, text)
        deps.service.validate_text(text)
        where = Where(team, channel, channel_is_private(deps, client, channel, event.get("channel_type")),
                      event.get("user"), permalink(client, channel, ts))  # fmt: skip
        outcome = check_draft(deps, text, where, targets)
        send(blocks.message(blocks.report_text(outcome.report), blocks.report_blocks(
            outcome.report, deps.kb, ref=outcome.ref(where), share=False, notes=tuple(outcome.notes))))  # fmt: skip
