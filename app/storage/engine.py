"""Database engines for the two supported backends: SpatiaLite (embedded) and PostGIS."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from geoalchemy2 import load_spatialite
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url


class StorageError(RuntimeError):
    """The database cannot be reached or prepared; the message says what to do."""


class StorageBusy(StorageError):
    """Another writer holds the database past the wait; the same request may succeed soon."""

    retry_after = 5


class StorageReadOnly(StorageError):
    """The database cannot be written (read-only, or its disk is full); reads still work."""


# SQLite writers wait this long for one another before giving up (its default is 5 s).
BUSY_TIMEOUT_S = 15
BUSY = ("database is locked", "database is busy", "lock timeout", "could not obtain lock",
        "deadlock detected")
READ_ONLY = ("readonly database", "read-only", "disk is full", "no space left", "disk i/o error")
# The server went away (a restart, a failover): the same request works again once it is back.
GONE = ("server closed the connection", "terminating connection", "connection refused",
        "could not connect", "the database system is shutting down", "the database system is starting up",
        "connection to server", "connection is closed", "ssl connection has been closed")


def _translated(context):
    """Raise busy and unwritable databases as ``StorageBusy`` / ``StorageReadOnly``.

    One place for every query: the web answers them with 503 and a message, never a 500.
    """
    if getattr(context, "is_pre_ping", False):
        return  # the pool's own check: it replaces a dead connection itself
    text = str(context.original_exception).lower()
    if context.is_disconnect or any(word in text for word in GONE):
        raise StorageBusy("the database is restarting or out of reach; try again in a few seconds") \
            from context.original_exception
    if any(word in text for word in BUSY):
        raise StorageBusy("the database is busy with another change; try again in a few seconds") \
            from context.original_exception
    if any(word in text for word in READ_ONLY):
        raise StorageReadOnly("the database cannot be written just now (read-only or full); reading "
                              "still works. Ask the administrator") from context.original_exception


def _load_spatialite(dbapi_conn, connection_record):
    # WGS84 mode only inserts the lon/lat reference systems: we store EPSG:4326 and
    # compute metric work in Python, so the full spatial_ref_sys table would be wasted time.
    load_spatialite(dbapi_conn, connection_record, init_mode="WGS84")


def make_engine(url: str) -> Engine:
    """Create an engine for a ``sqlite:///`` (SpatiaLite) or ``postgresql://`` (PostGIS) URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _spatialite_engine(url, parsed)
    if parsed.get_backend_name() == "postgresql":
        # Writers wait for one another as long as on SQLite, then get StorageBusy.
        engine = create_engine(url, pool_pre_ping=True,
                               connect_args={"options": f"-c lock_timeout={BUSY_TIMEOUT_S * 1000}"})
        event.listen(engine, "handle_error", _translated)
        _check_postgis(engine)
        return engine
    raise StorageError(f"DATABASE_URL {url!r}: use sqlite:///PATH or postgresql://USER@HOST/DB")


def _spatialite_engine(url, parsed) -> Engine:
    # GDAL (inside pyogrio) must be loaded before mod_spatialite pulls in the system SQLite and
    # PROJ libraries; the other order makes GDAL's GeoPackage driver crash the process. Only here:
    # a PostGIS process loads GDAL (about 45 MB) when it first reads or writes a file, not to serve.
    import pyogrio  # noqa: F401  (deferred: see above)

    # The interpreter's own sqlite3 may be built without extension loading, so pysqlite3's is used.
    import pysqlite3.dbapi2 as sqlite_dbapi  # deferred: only SpatiaLite needs it

    os.environ.setdefault("SPATIALITE_LIBRARY_PATH", "mod_spatialite")
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, module=sqlite_dbapi, connect_args={"timeout": BUSY_TIMEOUT_S})
    event.listen(engine, "handle_error", _translated)
    event.listen(engine, "connect", _load_spatialite)
    event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT spatialite_version()"))
    except Exception as exc:
        raise StorageError(
            f"cannot load SpatiaLite for {url}: {exc}. "
            "Install it with: apt-get install -y libsqlite3-mod-spatialite"
        ) from exc
    return engine


def _sqlite_pragmas(dbapi_conn, connection_record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten, not left in free pages: a withdrawn person's sealed record
    # leaves nothing behind in the file (PostgreSQL's VACUUM does the same for its pages).
    cur.execute("PRAGMA secure_delete=ON")
    # Write-ahead logging lets pages be read while an import writes: in the default rollback
    # journal a writer whose cache spills takes an exclusive lock, and every reader waits for the
    # whole import. The mode is kept in the file; one that cannot be written keeps its mode.
    import pysqlite3.dbapi2 as sqlite_dbapi  # deferred: loaded already, by the engine that connects

    with contextlib.suppress(sqlite_dbapi.OperationalError):
        cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def _check_postgis(engine: Engine) -> None:
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    except Exception as exc:
        raise StorageError(
            f"cannot use PostGIS at {engine.url.render_as_string(hide_password=True)}: {exc}. "
            "Start PostgreSQL and install postgresql-15-postgis-3."
        ) from exc
