from datetime import datetime, timedelta, timezone
from logging import Logger

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.errors import UsageError
from bot.slack import blocks, modals
from bot.slack.checks import answering
from bot.slack.deps import deps_of
from bot.slack.listeners.common import ephemeral, open_modal, team_of
from bot.slack.store import user_platforms

SUBCOMMANDS = ("help", "settings", "digest")


def _sub(body: dict) -> str:
    words = (body.get("text") or "").split()
    return words[0].lower() if words else "help"


def crowdculture_ack(ack: Ack, body: dict, client: WebClient, context: BoltContext, logger: Logger):
    """`/crowdculture settings` opens its modal here, while the trigger is fresh; the rest is lazy."""
    ack()
    if _sub(body) == "settings":
        deps = deps_of(context)
        current = user_platforms(deps, team_of(context), body.get("user_id"))
        open_modal(client, body["trigger_id"], modals.settings_modal(deps.kb, current), logger)


def crowdculture_callback(body: dict, respond: Respond, context: BoltContext, logger: Logger):
    """`/crowdculture help|settings|digest`."""
    deps = deps_of(context)
    send = ephemeral(respond)
    sub = _sub(body)
    with answering(send, logger, deps.kb, "/crowdculture"):
        if sub == "help":
            send(blocks.help_message(deps.kb))
        elif sub == "digest":
            send(digest_preview(deps, team_of(context), body.get("channel_id")))
        elif sub != "settings":
            raise UsageError(f"unknown option {sub!r}; use one of: {', '.join(SUBCOMMANDS)}")


def digest_preview(deps, team: str, channel: str | None) -> dict:
    """The weekly digest of the last 7 days as it would be posted: this channel's own digest when it has one
    (digest.channels), else the workspace's public posts. Only the person who asked sees it."""
    try:
        try:
            from bot.digest import build_digest
        except ImportError:
            from bot.digest.aggregate import build_digest
        from bot.digest.render import blocks as digest_blocks
    except ImportError:
        return blocks.message("The digest preview is not available yet: the weekly digest is still being built.")
    if deps.store is None:
        return blocks.message("The digest preview needs the post history, which is unavailable right now.")
    until = datetime.now(timezone.utc)
    scope = channel if channel in deps.settings.digest.channels else None
    digest = build_digest(deps.store, deps.kb, until - timedelta(days=7), until, channel=scope, workspace=team,
                          tz=deps.settings.digest.timezone)  # fmt: skip
    return blocks.message("Digest preview (last 7 days)", [blocks.context("Preview of the last 7 days, only you "
                                                                          "can see it."), *digest_blocks(digest)])
