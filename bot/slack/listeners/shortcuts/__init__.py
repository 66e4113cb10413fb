"""Shortcuts: on a message ("Check this draft", "Check this outreach") and global ("Check a draft")."""

from slack_bolt import App

from bot.slack import ids
from bot.slack.listeners.common import ack_now
from bot.slack.listeners.shortcuts.check_draft import check_draft_callback
from bot.slack.listeners.shortcuts.check_message import check_message_callback
from bot.slack.listeners.shortcuts.check_outreach import check_outreach_callback


def register(app: App) -> None:
    app.shortcut(ids.SC_CHECK_MESSAGE)(ack=ack_now, lazy=[check_message_callback])
    app.shortcut(ids.SC_CHECK_OUTREACH)(ack=ack_now, lazy=[check_outreach_callback])
    app.shortcut(ids.SC_CHECK_DRAFT)(check_draft_callback)
