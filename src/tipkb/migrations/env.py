"""Alembic's environment for tipkb: migrations run on the connection that `tipkb.db` hands over.

`tipkb.db.upgrade` opens the connection (and the transaction that serialises migrations) and puts it
in `config.attributes`; there is no alembic.ini. Offline (`--sql`) runs are not supported: the baseline
migration inspects the database it adopts.
"""

from alembic import context

from tipkb.db import DatabaseError

config = context.config
connection = config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise DatabaseError("tipkb migrations run on a connection: use tipkb.db.upgrade or `tipkb db upgrade`")

context.configure(
    connection=connection,
    target_metadata=config.attributes.get("target_metadata"),  # only autogenerate needs the models
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters a table by copying it
)
with context.begin_transaction():
    context.run_migrations()
