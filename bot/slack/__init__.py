"""The Slack app: a thin layer that turns Slack requests into engine calls and reports into Block Kit."""
