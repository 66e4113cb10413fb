"""The App Home tab: built from the store and the knowledge base, published with views.publish."""

from __future__ import annotations

from logging import Logger

from slack_sdk.errors import SlackApiError

from bot.errors import StorageError
from bot.slack import modals
from bot.slack.store import stored_watched_channels, user_platforms, week_stats


def is_admin(client, user: str) -> bool:
    """Workspace admins and owners may change the watched channels (asked of Slack every time, never cached)."""
    try:
        info = client.users_info(user=user)["user"]
    except (SlackApiError, KeyError, TypeError):
        return False
    return bool(info.get("is_admin") or info.get("is_owner") or info.get("is_primary_owner"))


def publish_home(deps, client, team: str, user: str, logger: Logger, notes=()) -> None:
    notes = list(notes)
    mine = everyone = None
    if deps.store is None:
        notes.append("History is not available, so there are no figures yet.")
    else:
        try:
            mine, everyone = week_stats(deps, team, user)
        except StorageError as exc:
            logger.warning("App Home figures unavailable: %s", exc)
            notes.append("History unavailable right now: figures will be back when the database is.")
    admin = is_admin(client, user)
    view = modals.home_view(deps.kb, mine, everyone, user_platforms(deps, team, user), admin,
                            stored_watched_channels(deps, team) if admin else (),
                            deps.settings.slack.watched_channels, notes)  # fmt: skip
    client.views_publish(user_id=user, view=view)
