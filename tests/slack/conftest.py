"""The Slack app tests' fixtures live in tests/support/slack_fixtures.py (shared with tests/reliability and
tests/security); the helpers in tests/support/slack_harness.py, the stand-in Slack in tests/support/fake_slack.py."""

from support.slack_fixtures import *  # noqa: F403
