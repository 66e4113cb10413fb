"""Security tests: request verification, secrets kept out of logs, history scoping, safe file loading. The Slack
app fixtures come from tests/support/slack_fixtures.py; the engine is the session's `service`."""

from support.slack_fixtures import *  # noqa: F403
