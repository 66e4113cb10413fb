"""Posting a digest to a Slack channel once per week, however many processes, replicas or restarts try.

The week is claimed in the database (`record_digest_run`: a unique key on workspace, channel and week) *before*
anything is posted; only the process whose claim succeeds posts. If chat.postMessage then fails (Slack down, bot
not in the channel), the claim is released so a retry, scheduled or by hand, can post it: a digest that was
never seen is worse than a retry. Once the message is out the claim stays, even if the chart upload fails (the
message is complete without it). The one gap is a process killed between claiming and posting: that week is
then skipped, never posted twice; `digest --channel C` after deleting the row of `digest_runs` repairs it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete

from bot.digest.aggregate import build_digest
from bot.errors import CrowdcultureError, UsageError
from bot.history.schema import DigestRun

log = logging.getLogger(__name__)
TOKEN_ENV = "SLACK_BOT_TOKEN"  # noqa: S105 - the name of the variable, not a secret


class SendError(CrowdcultureError):
    """Slack refused or could not be reached; nothing was posted and the week is free for a retry."""


@dataclass
class SendResult:
    status: str  # "sent" | "already_sent"
    channel: str
    week_start: date
    ts: str | None = None
    chart: bool = False

    @property
    def sent(self) -> bool:
        return self.status == "sent"

    def message(self) -> str:
        week = self.week_start.isoformat()
        if self.sent:
            return f"digest for the week of {week} sent to {self.channel}" + ("" if self.chart else " (no chart)")
        return f"the digest for the week of {week} was already sent to {self.channel}; nothing posted"

    def to_dict(self) -> dict:
        return {"status": self.status, "channel": self.channel, "week_start": self.week_start.isoformat(),
                "ts": self.ts, "chart": self.chart}  # fmt: skip


def web_client(settings, token: str | None = None):
    """A Slack Web API client with the bot token from the environment, at settings.slack_api_url."""
    from bot.slack.client import web_client as retrying_client

    token = token or os.environ.get(TOKEN_ENV)
    if not token:
        raise UsageError(f"{TOKEN_ENV} is not set: the digest needs the bot token (xoxb-…) to post; "
                         "use --dry-run to print it without sending")  # fmt: skip
    return retrying_client(settings.slack_api_url, token)


def send_digest(store, kb, client, channel: str, since: datetime, until: datetime, tz: str, lang: str = "en",
                workspace: str | None = None, engine=None) -> SendResult:
    """Build the channel's digest of [since, until) and post it, unless its week was already claimed.

    `workspace` keys the claim; by default the bot's own team (auth.test), the id the Slack app stores posts
    under. The digest counts the channel's posts only (channel ids are unique across workspaces)."""
    from slack_sdk.errors import SlackApiError, SlackClientError

    try:
        workspace = workspace or client.auth_test()["team_id"]
    except SlackApiError as exc:
        raise SendError(f"Slack refused the bot token ({_error(exc)}); check {TOKEN_ENV}") from None
    except (SlackClientError, OSError) as exc:
        raise SendError(f"cannot reach Slack at {client.base_url} ({exc})") from None
    digest = build_digest(store, kb, since, until, channel=channel, lang=lang, tz=tz, engine=engine)
    week = digest.week_start
    if not store.record_digest_run(workspace, channel, week):
        return SendResult("already_sent", channel, week)
    try:
        posted = client.chat_postMessage(channel=channel, text=digest.fallback_text(), blocks=digest.blocks(),
                                         unfurl_links=False, unfurl_media=False)  # fmt: skip
    except (SlackClientError, OSError) as exc:
        release_claim(store, workspace, channel, week)
        reason = _error(exc) if isinstance(exc, SlackApiError) else str(exc)
        hint = " (invite the bot to the channel)" if reason in ("not_in_channel", "channel_not_found") else ""
        raise SendError(f"the digest for {channel} was not posted: {reason}{hint}") from None
    except BaseException:
        release_claim(store, workspace, channel, week)
        raise
    result = SendResult("sent", channel, week, posted.get("ts"))
    chart = digest.chart_png()
    if chart is not None:
        try:
            client.files_upload_v2(channel=channel, thread_ts=result.ts, file=chart, filename=f"digest-{week}.png",
                                   title=digest.fallback_text(), alt_txt=digest.chart_alt())  # fmt: skip
            result.chart = True
        except Exception as exc:  # the message is out and complete; the chart is a bonus
            log.warning("digest for %s posted without its chart: %s", channel, exc)
    return result


def release_claim(store, workspace: str, channel: str, week_start: date) -> None:
    """Forget a claimed week whose message did not go out, so that a retry can post it.

    (PostStore has no "release" yet; this deletes the row record_digest_run added, in one transaction.)"""
    try:
        with store.engine.execution_options(write=True).begin() as conn:
            conn.execute(delete(DigestRun).where(DigestRun.workspace == workspace, DigestRun.channel == channel,
                                                 DigestRun.week_start == week_start))  # fmt: skip
    except Exception as exc:
        log.error("the digest week %s of %s stays claimed though nothing was posted (%s); delete its row in "
                  "digest_runs to post it", week_start, channel, exc)  # fmt: skip


def _error(exc) -> str:
    response = getattr(exc, "response", None)
    try:
        return str(response["error"])
    except (TypeError, KeyError):
        return str(exc)
