"""Modal submissions: validated in the ack (errors shown on the field), slow work in a lazy listener."""

from slack_bolt import App

from bot.slack import ids
from bot.slack.listeners.views.check_draft_submitted import check_draft_ack, check_draft_submitted
from bot.slack.listeners.views.creator_submitted import creator_ack, creator_submitted
from bot.slack.listeners.views.settings_submitted import settings_ack, settings_saved


def register(app: App) -> None:
    app.view(ids.VIEW_CHECK_DRAFT)(ack=check_draft_ack, lazy=[check_draft_submitted])
    app.view(ids.VIEW_CREATOR)(ack=creator_ack, lazy=[creator_submitted])
    app.view(ids.VIEW_SETTINGS)(ack=settings_ack, lazy=[settings_saved])
