"""The one path every Slack surface takes to check a draft: parse, scope, check, record, answer kindly.

Listeners stay small: they read where the draft came from, call `check_draft`, and send `blocks.report_blocks`.
The post store is optional at every step: when it is down the check still answers, with a note saying so.
"""

from __future__ import annotations

import difflib
import html
import logging
import re
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from slack_sdk.errors import SlackApiError

from bot.errors import StorageError, UsageError
from bot.slack import blocks
from bot.slack.deps import Deps
from bot.slack.store import draft_text, user_platforms

log = logging.getLogger(__name__)

HISTORY_DOWN_REUSE = "Copy-paste check skipped: the post history is unavailable right now."
HISTORY_DOWN_SAVE = ("Couldn't save this check: the post history is unavailable, so it won't count in the digest "
                     "or in future copy-paste checks.")  # fmt: skip
PRIVACY_TTL = 600.0  # seconds a channel's privacy learned from Slack is trusted
ALIASES = {"twitter": "x", "ig": "instagram", "fb": "facebook", "yt": "youtube", "whatsapp_channels": "whatsapp"}


@dataclass
class Where:
    """Where a draft was checked: scopes reuse detection and is recorded with the post."""

    team: str
    channel: str | None = None
    private: bool = True
    user: str | None = None
    permalink: str | None = None


@dataclass
class Outcome:
    report: object  # bot.analysis.report.Report
    post: object = None  # bot.history.store.StoredPost once recorded
    notes: list[str] = field(default_factory=list)

    def ref(self, where: Where) -> str:
        """The button payload for this report: enough to rewrite, share or publish it later."""
        post = self.post
        return blocks.draft_ref(self.report.text, post=post.external_id if post else None, id=post.id if post else None,
                                platform=post.platform if post else None, targets=self.report.targets,
                                channel=where.channel, private=where.private, permalink=where.permalink)  # fmt: skip


# Text from Slack ----------------------------------------------------------------------------------------------------

_ENTITY = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


def slack_to_plain(text: str | None) -> str:
    """Slack's wire format back to what the person typed: <url|label> → label, <@U1> → @U1, &amp; → &."""

    def repl(m: re.Match) -> str:
        target, label = m.group(1), m.group(2)
        if target.startswith(("@", "#")):
            return (target[0] + label) if label else target
        if target.startswith("!"):
            return "@" + (label or target[1:].split("^")[0])
        return label or target

    return html.unescape(_ENTITY.sub(repl, text or "")).strip()


def strip_mention(text: str, bot_user_id: str | None = None) -> str:
    """An app_mention's text without the leading mention(s) of the bot."""
    who = re.escape(bot_user_id) if bot_user_id else "[A-Z0-9]+"
    return re.sub(rf"^\s*(<@{who}(\|[^>]*)?>\s*)+", "", text or "")


def platform_id(kb, word: str) -> str | None:
    w = word.strip().strip(",;:").lower()
    w = ALIASES.get(w, w)
    if w in kb.platforms:
        return w
    return next((pid for pid, p in kb.platforms.items() if p.name.lower() == w), None)


def split_targets(kb, text: str) -> tuple[list[str], str]:
    """`linkedin, instagram Our draft…` → (["linkedin", "instagram"], "Our draft…").

    Leading words that name platforms are targets. A lowercase first word that is *almost* a platform name
    ("instagramm") is a typo, not the start of a draft, and gets a usage message naming the known platforms.
    """
    targets: list[str] = []
    rest = text.strip()
    while rest:
        word, _, after = rest.partition(" ")
        parts = [p for p in word.split(",") if p]
        found = [platform_id(kb, p) for p in parts]
        if not parts or not all(found):
            break
        targets += [p for p in found if p not in targets]
        rest = after.strip()
    first = rest.split(maxsplit=1)[0] if rest else ""
    if first and first == first.lower() and len(rest.split()) > 1 and not targets:
        names = [*kb.platforms, *ALIASES]
        close = difflib.get_close_matches(first.strip(",;:"), names, n=1, cutoff=0.8)
        if close:
            raise UsageError(f"unknown platform {first!r} (did you mean {ALIASES.get(close[0], close[0])}?); "
                             f"known platforms: {', '.join(kb.platforms)}")  # fmt: skip
    return targets, rest


def split_platform(kb, text: str) -> tuple[str, str]:
    """`/draft-rewrite PLATFORM TEXT`: the first word must name a platform."""
    word, _, rest = text.strip().partition(" ")
    if not word:
        raise UsageError("give a platform and the draft, e.g. `/draft-rewrite instagram Our new bags are here`")
    pid = platform_id(kb, word)
    if pid is None:
        raise UsageError(f"unknown platform {word!r}; known platforms: {', '.join(kb.platforms)}")
    return pid, rest.strip()


# Where -------------------------------------------------------------------------------------------------------------

def channel_is_private(deps: Deps, client, channel: str | None, hint: str | None = None) -> bool:
    """Public channel or not, from the event's channel type, the id prefix, or conversations.info.

    When Slack cannot tell us, the answer is "private": a post wrongly kept inside its channel is harmless, a
    private post shown elsewhere is a leak.
    """
    if not channel:
        return True
    if hint in ("group", "mpim", "im", "privategroup", "directmessage") or (hint or "").startswith("mpdm-"):
        return True
    if hint == "channel":
        return False
    if channel[0] in "GD":
        return True
    known, at = deps.privacy.get(channel, (None, 0.0))
    if known is None or time.monotonic() - at > PRIVACY_TTL:  # channels can be made private: ask again now and then
        try:
            info = client.conversations_info(channel=channel)["channel"]
        except (SlackApiError, KeyError, TypeError) as exc:
            log.info("conversations.info failed for %s (%s): treating it as private", channel, exc)
            return True
        known = bool(info.get("is_private") or info.get("is_im") or info.get("is_mpim"))
        deps.privacy[channel] = (known, time.monotonic())
    return known


def permalink(client, channel: str | None, ts: str | None) -> str | None:
    if not (channel and ts):
        return None
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except SlackApiError as exc:
        log.info("chat.getPermalink failed: %s", exc.response.get("error"))
        return None


# The check ---------------------------------------------------------------------------------------------------------

class _SafeFinder:
    """Reuse detection that leaves out the draft's own record, and degrades to "no matches" (with a note) when
    the store fails mid-check."""

    def __init__(self, finder, notes: list[str], exclude=None):
        self.finder, self.notes, self.exclude = finder, notes, exclude

    def find(self, report):
        try:
            return [m for m in self.finder.find(report) if self.exclude is None or m.post_id != self.exclude]
        except StorageError as exc:
            log.warning("reuse detection skipped: %s", exc)
            self.notes.append(HISTORY_DOWN_REUSE)
            return []


def reuse_finder(deps: Deps, where: Where, notes: list[str], exclude=None):
    """Copy-paste detection that only sees what `where` may see: its workspace, and private posts of its own
    channel only."""
    if deps.history is None:
        return None
    from bot.history.store import Scope

    return _SafeFinder(deps.history.finder(deps.service, Scope(where.team, where.channel, where.private)), notes,
                       exclude)  # fmt: skip


def check_draft(deps: Deps, text: str, where: Where, targets=(), rewrite=(), record: bool = True,
                exclude=None) -> Outcome:  # fmt: skip
    """Check, with reuse scoped to `where`, then record the draft (status draft) for history and the digest."""
    notes: list[str] = []
    targets = list(targets) or user_platforms(deps, where.team, where.user)
    # No engine_slots here: concurrent checks are batched by the service (one embedding call for all of them).
    report = deps.service.check(text, None, "auto", targets, rewrite, reuse_finder(deps, where, notes, exclude))
    outcome = Outcome(report, notes=notes)
    if record and deps.store is not None:
        platform = (report.targets or [report.best_platform])[0]
        try:
            outcome.post = deps.store.add_checked(report, workspace=where.team, channel=where.channel,
                                                  platform=platform, author=where.user, status="draft",
                                                  channel_private=where.private, permalink=where.permalink)  # fmt: skip
        except StorageError as exc:
            log.warning("check not recorded: %s", exc)
            notes.append(HISTORY_DOWN_SAVE)
    return outcome


def recheck(deps: Deps, ref: dict, team: str, rewrite=()) -> Outcome:
    """The draft behind a button, checked again in its original scope (not recorded twice, not matched with
    its own record). The engine is deterministic, so this is the report the person saw."""
    try:
        text = draft_text(deps, ref)
    except StorageError:
        text = None
    if not text:
        raise UsageError("this draft is no longer available (the history is unreachable or it was purged); "
                         "check it again")  # fmt: skip
    where = Where(team, ref.get("channel"), bool(ref.get("private", True)), None, ref.get("permalink"))
    return check_draft(deps, text, where, ref.get("targets") or (), rewrite, record=False, exclude=ref.get("post"))


# Answering -----------------------------------------------------------------------------------------------------------

@contextmanager
def answering(send: Callable[[dict], object], logger: logging.Logger, kb=None, what: str = "request"):
    """Whatever happens inside, the person gets an answer: a usage hint for their mistakes, an apology for ours.

    `send` takes the keyword arguments of a message (`blocks.message`). Tracebacks go to the log, never to Slack.
    """
    try:
        yield
    except UsageError as exc:
        _send(send, blocks.usage(str(exc), kb), logger)
    except Exception:
        logger.exception("Slack %s failed", what)
        _send(send, blocks.apology(), logger)


def _send(send, msg: dict, logger) -> None:
    try:
        send(msg)
    except Exception:
        logger.exception("could not send the answer to Slack")
