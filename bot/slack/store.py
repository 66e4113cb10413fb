"""The post store as the Slack layer uses it (bot.history.store.PostStore), each call failing softly.

Reads that only refine an answer (default platforms, watched channels) fall back to "nothing stored" when the
database is down; writes the person asked for raise StorageError so the listener can say it was not saved.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.errors import StorageError
from bot.slack.blocks import COPY_KINDS

log = logging.getLogger(__name__)


def open_store(settings):
    """The configured store, or None (with a warning) when the database cannot be opened: checks still work."""
    from bot.history.store import PostStore

    try:
        return PostStore(settings.db_url)
    except StorageError as exc:
        log.warning("post history unavailable, checks will not be recorded: %s", exc)
        return None


def user_platforms(deps, team: str, user: str | None) -> list[str]:
    if deps.store is None or not user:
        return []
    try:
        return [p for p in deps.store.get_user_platforms(team, user) if p in deps.kb.platforms]
    except StorageError as exc:
        log.warning("default platforms unavailable: %s", exc)
        return []


def watched_channels(deps, team: str) -> set[str]:
    """config.yaml's slack.watched_channels plus those an admin chose in App Home for this workspace."""
    channels = set(deps.settings.slack.watched_channels)
    if deps.store is not None:
        try:
            channels.update(deps.store.get_watched_channels(team))
        except StorageError as exc:
            log.warning("watched channels from the store unavailable: %s", exc)
    return channels


def stored_watched_channels(deps, team: str) -> list[str]:
    if deps.store is None:
        return []
    try:
        return deps.store.get_watched_channels(team)
    except StorageError:
        return []


def draft_text(deps, ref: dict) -> str | None:
    """The text a button refers to: carried in the button when it fits, else read back from the store."""
    if ref.get("text"):
        return ref["text"]
    if deps.store is None or ref.get("id") is None:
        return None
    post = deps.store.get_posts([ref["id"]]).get(int(ref["id"]))
    return post.text if post else None


def record_published(deps, ref: dict, platform: str, team: str, user: str) -> None:
    """Mark the checked draft as published on `platform`; a draft published on another platform than the one
    it was checked for (or never recorded) is stored as a post of its own, so reuse detection sees both."""
    if deps.store is None:
        raise StorageError("the post history is not configured")
    same = ref.get("post") and ref.get("platform") == platform
    if same and deps.store.mark_published(team, ref["post"], permalink=ref.get("permalink")):
        return
    text = draft_text(deps, ref)
    if not text:
        raise StorageError("the draft is no longer in the history")
    with deps.engine_slots:
        report = deps.service.check(text, None, "auto", [platform])
    external = f"{ref['post']}@{platform}" if ref.get("post") else None
    deps.store.add_checked(report, workspace=team, channel=ref.get("channel"), platform=platform, author=user,
                           status="published", channel_private=ref.get("private", True),
                           permalink=ref.get("permalink"), external_id=external)  # fmt: skip


# App Home figures --------------------------------------------------------------------------------------------------

def _stats(posts) -> dict:
    checked = [p for p in posts if p.report is not None]
    fits: dict[str, list[int]] = {}
    for p in checked:
        if p.fit is not None:
            fits.setdefault(p.platform, []).append(p.fit)
    caught = sum(1 for p in checked if any(r.get("kind") in COPY_KINDS for r in p.report.get("reuse") or []))
    return {"drafts": len(checked), "copy_paste": caught, "fit": {k: sum(v) / len(v) for k, v in fits.items()}}


def week_stats(deps, team: str, user: str, days: int = 7) -> tuple[dict, dict]:
    """(the person's figures, the team's figures) over the last `days` days: drafts checked in Slack, average
    fit per platform, copy-paste caught. Raises StorageError when the database is down.

    The team's figures count public-channel posts (and the person's own), as the workspace digest does: what
    happens in a private channel is not shown to everyone in the workspace, not even as a number."""
    from bot.history.schema import utcnow

    posts = deps.store.list_posts(workspace=team, since=utcnow() - timedelta(days=days))
    mine = [p for p in posts if p.author == user]
    return _stats(mine), _stats([p for p in posts if not p.channel_private or p.author == user])
