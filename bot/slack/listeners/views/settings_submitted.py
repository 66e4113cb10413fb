from logging import Logger

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.errors import StorageError
from bot.slack import ids, modals
from bot.slack.deps import deps_of
from bot.slack.home import publish_home
from bot.slack.listeners.common import team_of

UNAVAILABLE = "Couldn't save: the history database is unavailable. Please try again later."


def settings_ack(ack: Ack, body: dict, view: dict, context: BoltContext, logger: Logger):
    """Default platforms saved in the store: a quick write, so done before the ack, and a failure stays visible
    on the field instead of the modal closing as if all went well."""
    deps = deps_of(context)
    team, user = team_of(context), body["user"]["id"]
    platforms = modals.selected_platforms(view["state"]["values"])
    if deps.store is None:
        ack(response_action="errors", errors={ids.BLK_PLATFORMS: UNAVAILABLE})
        return
    try:
        deps.store.set_user_platforms(team, user, platforms)
    except StorageError as exc:
        logger.warning("settings not saved: %s", exc)
        ack(response_action="errors", errors={ids.BLK_PLATFORMS: UNAVAILABLE})
        return
    ack()


def settings_saved(body: dict, client: WebClient, context: BoltContext, logger: Logger):
    """The Home tab shows the new defaults."""
    publish_home(deps_of(context), client, team_of(context), body["user"]["id"], logger)
