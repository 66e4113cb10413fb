from logging import Logger

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack import blocks
from bot.slack.checks import Where, answering, channel_is_private, check_draft, permalink, slack_to_plain
from bot.slack.deps import deps_of
from bot.slack.listeners.common import in_thread, team_of
from bot.slack.store import watched_channels


def is_new_human_post(event: dict, bot_user_id: str | None) -> bool:
    """A new top-level message by a person: no bot, no edit/join/file subtype, not a reply, not a mention of us
    (app_mention answers those)."""
    if event.get("subtype") or event.get("bot_id") or event.get("thread_ts") or not event.get("text"):
        return False
    return not (bot_user_id and f"<@{bot_user_id}" in event["text"])


def watched_message_callback(event: dict, client: WebClient, context: BoltContext, logger: Logger):
    """A new post in a watched channel: checked, recorded, and answered in thread unless all is fine."""
    deps = deps_of(context)
    team, channel = team_of(context), event.get("channel")
    if not is_new_human_post(event, context.bot_user_id) or channel not in watched_channels(deps, team):
        return
    if not deps.seen.first(f"message:{team}:{channel}:{event['ts']}"):
        return
    send = in_thread(client, channel, event["ts"])
    with answering(send, logger, deps.kb, "watched message"):
        text = deps.service.validate_text(slack_to_plain(event["text"]))
        where = Where(team, channel, channel_is_private(deps, client, channel, event.get("channel_type")),
                      event.get("user"), permalink(client, channel, event["ts"]))  # fmt: skip
        outcome = check_draft(deps, text, where)
        if deps.settings.slack.quiet_when_fine and not blocks.needs_attention(outcome.report):
            return
        send(blocks.message(blocks.report_text(outcome.report), blocks.report_blocks(
            outcome.report, deps.kb, ref=outcome.ref(where), share=False, notes=tuple(outcome.notes))))  # fmt: skip
