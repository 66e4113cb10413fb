from logging import Logger

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.errors import UsageError
from bot.influencers import creator_check
from bot.slack import blocks, ids, modals
from bot.slack.checks import answering
from bot.slack.deps import deps_of
from bot.slack.listeners.common import dm

# creator_check speaks in CLI options ("--avg-likes …"): the field each names, and its label on the form.
_FIELDS = {"--followers": (ids.BLK_FOLLOWERS, "followers"), "--avg-likes": (ids.BLK_LIKES, "average likes"),
           "--avg-comments": (ids.BLK_COMMENTS, "average comments"), "--avg-views": (ids.BLK_VIEWS, "average views"),
           "platform": (ids.BLK_PLATFORM, "platform")}  # fmt: skip


def _check(deps, view: dict):
    v = view["state"]["values"]
    platform = (modals.selected_platforms(v, ids.BLK_PLATFORM, ids.IN_PLATFORM) or [""])[0]
    return creator_check(deps.kb, platform, modals.text_value(v, ids.BLK_FOLLOWERS, ids.IN_FOLLOWERS),
                         modals.text_value(v, ids.BLK_LIKES, ids.IN_LIKES),
                         modals.text_value(v, ids.BLK_COMMENTS, ids.IN_COMMENTS),
                         modals.text_value(v, ids.BLK_VIEWS, ids.IN_VIEWS))  # fmt: skip


def creator_ack(ack: Ack, view: dict, context: BoltContext):
    """Numbers that make no sense are flagged on their field, in the words of the CLI minus the option names."""
    try:
        _check(deps_of(context), view)
    except UsageError as exc:
        message = str(exc)
        block = next((b for key, (b, _) in _FIELDS.items() if message.startswith(key)), ids.BLK_FOLLOWERS)
        for key, (_, label) in _FIELDS.items():
            message = message.replace(key, label)
        ack(response_action="errors", errors={block: (message[:1].upper() + message[1:])[:150]})
        return
    ack()


def creator_submitted(body: dict, view: dict, client: WebClient, context: BoltContext, logger: Logger):
    """The creator check result, as a direct message (modals have no channel to answer in)."""
    deps = deps_of(context)
    send = dm(client, body["user"]["id"])
    with answering(send, logger, deps.kb, "creator modal"):
        try:
            result = _check(deps, view)
        except UsageError:
            return  # creator_ack already showed it on the form
        send(blocks.creator_message(result, deps.kb))
