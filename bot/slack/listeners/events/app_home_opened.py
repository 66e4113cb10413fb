from logging import Logger

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.deps import deps_of
from bot.slack.home import publish_home
from bot.slack.listeners.common import team_of


def app_home_opened_callback(event: dict, client: WebClient, context: BoltContext, logger: Logger):
    """The Home tab is rebuilt each time it is opened, so its figures are always this week's."""
    if event.get("tab", "home") != "home":
        return
    publish_home(deps_of(context), client, team_of(context), event["user"], logger)
