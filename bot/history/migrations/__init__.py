"""Alembic migrations of the post store, run by `bot.history.store.migrate` when a store opens."""
