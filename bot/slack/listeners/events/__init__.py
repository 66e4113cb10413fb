"""Events: mentions, messages in watched channels, the App Home tab. Acked at once, answered lazily."""

from slack_bolt import App

from bot.slack.listeners.common import ack_now
from bot.slack.listeners.events.app_home_opened import app_home_opened_callback
from bot.slack.listeners.events.app_mention import app_mention_callback
from bot.slack.listeners.events.watched_message import watched_message_callback


def register(app: App) -> None:
    app.event("app_mention")(ack=ack_now, lazy=[app_mention_callback])
    # Every message event is acknowledged (an unhandled one would make Slack retry); only some are answered.
    app.event("message")(ack=ack_now, lazy=[watched_message_callback])
    app.event("app_home_opened")(ack=ack_now, lazy=[app_home_opened_callback])
