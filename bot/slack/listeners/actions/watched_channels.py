from logging import Logger

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.errors import StorageError
from bot.slack.deps import deps_of
from bot.slack.home import is_admin, publish_home
from bot.slack.listeners.common import team_of


def watched_channels_callback(body: dict, action: dict, client: WebClient, context: BoltContext, logger: Logger):
    """An admin changed the watched channels in App Home: saved for the workspace, checked again on Slack's side."""
    deps = deps_of(context)
    team, user = team_of(context), body["user"]["id"]
    if not is_admin(client, user):
        logger.warning("user %s is not a workspace admin: watched channels unchanged", user)
    elif deps.store is not None:
        try:
            deps.store.set_watched_channels(team, list(action.get("selected_conversations") or []))
        except StorageError as exc:
            logger.warning("watched channels not saved: %s", exc)
            publish_home(deps, client, team, user, logger, notes=["Couldn't save the watched channels: the "
                                                                  "history database is unavailable."])  # fmt: skip
            return
    publish_home(deps, client, team, user, logger)
