from logging import Logger

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.slack import modals
from bot.slack.deps import deps_of
from bot.slack.listeners.common import open_modal, team_of
from bot.slack.store import user_platforms


def check_draft_callback(ack: Ack, body: dict, client: WebClient, context: BoltContext, logger: Logger):
    """Global shortcut "Check a draft": a modal with the draft and its platforms (the person's defaults preset)."""
    ack()
    deps = deps_of(context)
    current = user_platforms(deps, team_of(context), body["user"]["id"])
    open_modal(client, body["trigger_id"], modals.check_draft_modal(deps.kb, current), logger)
