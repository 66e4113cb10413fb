from logging import Logger

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.slack import modals
from bot.slack.deps import deps_of
from bot.slack.listeners.common import open_modal, team_of
from bot.slack.store import user_platforms


def open_settings_callback(ack: Ack, body: dict, client: WebClient, context: BoltContext, logger: Logger):
    """"Change" next to the settings in App Home: the settings modal, opened while the trigger is fresh."""
    ack()
    deps = deps_of(context)
    current = user_platforms(deps, team_of(context), body["user"]["id"])
    open_modal(client, body["trigger_id"], modals.settings_modal(deps.kb, current), logger)
