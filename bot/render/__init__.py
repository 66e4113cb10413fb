"""Renderers of a report: text for terminals (JSON is `Report.to_dict`, Block Kit lives in bot.slack)."""
