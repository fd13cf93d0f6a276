"""The schema's version: Alembic revisions under ``migrations/``, applied to our engines.

States a database can be in (``status``):

- ``empty``: no tables; ``upgrade`` creates the current schema and stamps it (the Alembic
  cookbook's "create_all, then stamp head", so a new install does not replay history);
- ``unversioned``: tables made by the release before migrations, no version; ``upgrade``
  adopts it as the baseline revision, then applies the later ones;
- ``outdated``: an older revision; ``upgrade`` applies the missing revisions;
- ``current``: at the head; ``ahead``: a revision this code does not know (a newer release).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from geoalchemy2 import Geometry
from sqlalchemy import Engine, inspect, text

from app.storage.schema import metadata

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001_baseline"


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database stands against this code's migrations."""

    state: str
    current: str | None
    head: str

    @property
    def ready(self) -> bool:
        """True when the application may use the database as it is."""
        return self.state == "current"

    def advice(self) -> str:
        """One sentence for a person: what the state means and the command to run."""
        if self.state == "current":
            return f"database schema is current ({self.head})"
        if self.state == "ahead":
            return (f"database schema {self.current} is newer than this release knows ({self.head}); "
                    "run the newer release, or restore a backup made for this one")
        if self.state == "empty":
            return "database is empty; run `fureai db upgrade` (or `make serve`) to create it"
        return (f"database schema is {self.current or 'from before migrations'}, this release needs "
                f"{self.head}; back it up, then run `fureai db upgrade`")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    """The newest revision this code knows."""
    return _scripts().get_current_head()


def status(engine: Engine) -> SchemaStatus:
    """Inspect the database without changing it.

    Returns
    -------
    SchemaStatus
        ``state`` is one of empty, unversioned, outdated, current, ahead.
    """
    latest = head()
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        current = MigrationContext.configure(conn).get_current_revision()
    if current is None:
        return SchemaStatus("unversioned" if "datasets" in tables else "empty", None, latest)
    if current == latest:
        return SchemaStatus("current", current, latest)
    known = {s.revision for s in _scripts().walk_revisions()}
    return SchemaStatus("outdated" if current in known else "ahead", current, latest)


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Bring the database to ``revision`` (default: head), keeping every row.

    Returns
    -------
    str
        What was done, in one line.
    """
    before = status(engine)
    if before.state == "ahead":
        raise RuntimeError(before.advice())
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        if before.state == "empty" and revision == "head":
            metadata.create_all(conn)
            ensure_spatial_indexes(conn)
            command.stamp(config, "head")
            return f"created the schema at {before.head}"
        if before.state == "unversioned":
            _adopt_baseline(conn)
            command.stamp(config, BASELINE)
        command.upgrade(config, revision)
        ensure_spatial_indexes(conn)
    after = status(engine)
    if after.current == before.current:
        return f"schema already at {after.current}"
    return f"upgraded the schema from {before.current or 'the release before migrations'} to {after.current}"


def ensure_spatial_indexes(conn) -> None:
    """On PostgreSQL, a GiST index for every geometry column, whatever the shared tables went through.

    GeoAlchemy2's SQLite hooks take the spatial ``Index`` objects off the shared ``Table`` objects
    when a SpatiaLite schema is made, so a PostgreSQL schema made later in the same process (a test
    run, a benchmark, a backup moved between backends) would otherwise get none; ``IF NOT EXISTS``
    also repairs a database made that way.
    """
    if conn.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, Geometry) and column.type.spatial_index:
                conn.execute(text(f'CREATE INDEX IF NOT EXISTS "idx_{table.name}_{column.name}" '
                                  f'ON "{table.name}" USING gist ("{column.name}")'))


def downgrade(engine: Engine, revision: str) -> str:
    """Step the schema back to ``revision``, keeping the rows each revision's downgrade can."""
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
    return f"downgraded the schema to {status(engine).current}"


def _adopt_baseline(conn) -> None:
    """Bring an unversioned database to exactly the baseline, as that release's init-db did.

    Releases before the baseline created the tables with ``create_all`` and patched two
    things in place afterwards: the ``deleted_at`` column and the site-key index.
    """
    columns = {c["name"] for c in inspect(conn).get_columns("resources")}
    if "deleted_at" not in columns:
        conn.execute(text("ALTER TABLE resources ADD COLUMN deleted_at TIMESTAMP"))
    indexes = {i["name"] for i in inspect(conn).get_indexes("resources")}
    if "ix_resources_site_key" not in indexes:
        conn.execute(text("CREATE INDEX ix_resources_site_key ON resources (site_key)"))


def rebuild_at(conn, revision: str) -> None:
    """On ``conn``'s transaction: every table of ours dropped and made again at ``revision``, empty.

    A restore runs it with its inserts in one transaction, so that a failed load rolls the drop
    back too (PostgreSQL's DDL is transactional; SpatiaLite restores into a file of its own).
    """
    metadata.drop_all(conn)
    conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    config = _config()
    config.attributes["connection"] = conn
    if revision == head():
        metadata.create_all(conn)
        command.stamp(config, "head")
    else:
        command.upgrade(config, revision)
    ensure_spatial_indexes(conn)


def drop_all(engine: Engine) -> None:
    """Drop every table of the schema and the version table: a benchmark's clean slate.

    Destroys all data; nothing in the application calls it.
    """
    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
