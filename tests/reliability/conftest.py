"""Reliability tests: property-based tests of the engine and text helpers, and faults (database, process kill,
missing model, Slack Web API errors). The engine is the session's `service` (tests/conftest.py), loaded once;
the Slack app fixtures come from tests/support/slack_fixtures.py."""

from support.slack_fixtures import *  # noqa: F403
