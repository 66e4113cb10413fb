"""Every Slack surface, registered in one place. One package per kind of request, one callback per file."""

from slack_bolt import App

from bot.slack.listeners import actions, commands, events, shortcuts, views


def register_listeners(app: App) -> None:
    commands.register(app)
    shortcuts.register(app)
    events.register(app)
    actions.register(app)
    views.register(app)
