"""Alembic environment: runs on the connection that `bot.history.store.migrate` passes in (never an ini file)."""

from alembic import context

from bot.history.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  transaction_per_migration=True)  # fmt: skip
with context.begin_transaction():
    context.run_migrations()
