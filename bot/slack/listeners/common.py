"""Small pieces every listener uses: acknowledging at once, reading who and where, answering privately."""

from __future__ import annotations

from slack_bolt import Ack, BoltContext
from slack_sdk.errors import SlackApiError


def ack_now(ack: Ack) -> None:
    """Slack wants an answer within 3 seconds: acknowledge first, the lazy listener does the work."""
    ack()


def open_modal(client, trigger_id: str, view: dict, logger) -> None:
    """views.open, done in the ack step: a trigger_id is only valid for 3 seconds, and a queued lazy listener
    could miss it. An expired trigger is logged; there is no message to answer."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        logger.warning("could not open the %s modal: %s", view.get("callback_id"), exc.response.get("error"))


def team_of(context: BoltContext) -> str:
    return context.team_id or context.enterprise_id or "unknown"


def dm(client, user: str):
    """A sender that posts to the person's DM with the app (chat.postMessage to a user id)."""
    return lambda msg: client.chat_postMessage(channel=user, **msg)


def ephemeral(respond):
    """A sender for a response_url: only the person who asked sees it."""
    return lambda msg: respond(response_type="ephemeral", replace_original=False, **msg)


def in_thread(client, channel: str, thread_ts: str):
    return lambda msg: client.chat_postMessage(channel=channel, thread_ts=thread_ts, **msg)


def command_where(deps, client, context: BoltContext, body: dict):
    """Where a slash command's draft comes from (its workspace, channel and privacy, the caller): it scopes reuse
    detection and is recorded with the post."""
    from bot.slack.checks import Where, channel_is_private

    channel = body.get("channel_id")
    private = channel_is_private(deps, client, channel, body.get("channel_name"))
    return Where(team_of(context), channel, private, body.get("user_id"))
