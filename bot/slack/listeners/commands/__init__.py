"""Slash commands: acknowledged at once, answered by a lazy listener through the command's response_url."""

from slack_bolt import App

from bot.slack import ids
from bot.slack.listeners.commands.creator_check import creator_check_callback
from bot.slack.listeners.commands.crowdculture import crowdculture_ack, crowdculture_callback
from bot.slack.listeners.commands.draft_check import draft_check_callback
from bot.slack.listeners.commands.draft_rewrite import draft_rewrite_callback
from bot.slack.listeners.common import ack_now


def register(app: App) -> None:
    app.command(ids.CMD_DRAFT_CHECK)(ack=ack_now, lazy=[draft_check_callback])
    app.command(ids.CMD_DRAFT_REWRITE)(ack=ack_now, lazy=[draft_rewrite_callback])
    app.command(ids.CMD_CROWDCULTURE)(ack=crowdculture_ack, lazy=[crowdculture_callback])
    app.command(ids.CMD_CREATOR_CHECK)(creator_check_callback)
