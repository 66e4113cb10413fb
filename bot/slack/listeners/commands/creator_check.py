from logging import Logger

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.slack import modals
from bot.slack.deps import deps_of
from bot.slack.listeners.common import open_modal


def creator_check_callback(ack: Ack, body: dict, client: WebClient, context: BoltContext, logger: Logger):
    """`/creator-check`: a form (platform, followers, averages), opened while the trigger is fresh."""
    ack()
    open_modal(client, body["trigger_id"], modals.creator_modal(deps_of(context).kb), logger)
