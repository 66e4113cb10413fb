"""Crowdculture: a colleague in Slack who knows each platform's culture and the seven influence principles."""

__version__ = "0.1.0"
