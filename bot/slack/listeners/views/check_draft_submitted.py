from logging import Logger

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.errors import UsageError
from bot.slack import blocks, ids, modals
from bot.slack.checks import Where, answering, check_draft
from bot.slack.deps import deps_of
from bot.slack.listeners.common import dm, team_of


def _draft(view: dict) -> str:
    return modals.text_value(view["state"]["values"], ids.BLK_DRAFT, ids.IN_DRAFT) or ""


def check_draft_ack(ack: Ack, view: dict, context: BoltContext):
    """An empty or oversized draft is refused on the field itself; otherwise the modal closes at once."""
    try:
        deps_of(context).service.validate_text(_draft(view))
    except UsageError as exc:
        ack(response_action="errors", errors={ids.BLK_DRAFT: str(exc)[:150]})
        return
    ack()


def check_draft_submitted(body: dict, view: dict, client: WebClient, context: BoltContext, logger: Logger):
    """The report of a draft typed in the "Check a draft" modal, as a direct message.

    The draft belongs to no channel: it is recorded for the workspace and compared with the workspace's
    public posts (reuse scoping is the store's job).
    """
    deps = deps_of(context)
    user = body["user"]["id"]
    send = dm(client, user)
    try:
        deps.service.validate_text(_draft(view))
    except UsageError:
        return  # check_draft_ack already showed it on the form
    with answering(send, logger, deps.kb, "check-draft modal"):
        targets = modals.selected_platforms(view["state"]["values"])
        where = Where(team_of(context), None, False, user)
        outcome = check_draft(deps, _draft(view), where, targets)
        send(blocks.message(blocks.report_text(outcome.report), blocks.report_blocks(
            outcome.report, deps.kb, ref=outcome.ref(where), share=False, notes=tuple(outcome.notes))))  # fmt: skip
