"""Alembic environment: runs on the connection ``storage.migrate`` hands over.

There is no ``alembic.ini``: the command line is ``fureai db …``, which builds the engine
(SpatiaLite loaded, or PostGIS checked) exactly as the application does.
"""

from __future__ import annotations

from alembic import context

from app.storage.schema import metadata

connection = context.config.attributes["connection"]
# No batch mode: SQLite (3.35+) adds and drops plain columns in place, while batch mode's
# copy-and-rename would unregister SpatiaLite's geometry columns and their R*Tree indexes.
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
