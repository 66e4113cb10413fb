"""Buttons and selects: on reports (rewrite, mark as published, share) and in the App Home tab."""

import re

from slack_bolt import App

from bot.slack import ids
from bot.slack.listeners.actions.mark_published import mark_published_callback
from bot.slack.listeners.actions.open_settings import open_settings_callback
from bot.slack.listeners.actions.rewrite import rewrite_callback
from bot.slack.listeners.actions.share import share_callback
from bot.slack.listeners.actions.watched_channels import watched_channels_callback
from bot.slack.listeners.common import ack_now


def _per_platform(prefix: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(prefix)}:")


def register(app: App) -> None:
    app.action(_per_platform(ids.ACT_REWRITE))(ack=ack_now, lazy=[rewrite_callback])
    app.action(_per_platform(ids.ACT_PUBLISH))(ack=ack_now, lazy=[mark_published_callback])
    app.action(ids.ACT_SHARE)(ack=ack_now, lazy=[share_callback])
    app.action(ids.ACT_OPEN_SETTINGS)(open_settings_callback)
    app.action(ids.ACT_WATCHED_CHANNELS)(ack=ack_now, lazy=[watched_channels_callback])
