"""Alembic's entry: migrations run on the connection `store.migrate` hands over (in its write
transaction, holding the writer's lock), never from an alembic.ini of their own."""
from alembic import context

from lakou_metrics.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
