"""Database engines for the two supported backends: SpatiaLite (embedded) and PostGIS."""

from __future__ import annotations

import os
from pathlib import Path

# GDAL (inside pyogrio) must be loaded before mod_spatialite pulls in the system SQLite and
# PROJ libraries; the other order makes GDAL's GeoPackage driver crash the process.
import pyogrio  # noqa: F401
from geoalchemy2 import load_spatialite
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url


class StorageError(RuntimeError):
    """The database cannot be reached or prepared; the message says what to do."""


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
        engine = create_engine(url, pool_pre_ping=True)
        _check_postgis(engine)
        return engine
    raise StorageError(f"DATABASE_URL {url!r}: use sqlite:///PATH or postgresql://USER@HOST/DB")


def _spatialite_engine(url, parsed) -> Engine:
    # The interpreter's own sqlite3 may be built without extension loading, so pysqlite3's is used.
    import pysqlite3.dbapi2 as sqlite_dbapi  # deferred: only SpatiaLite needs it

    os.environ.setdefault("SPATIALITE_LIBRARY_PATH", "mod_spatialite")
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, module=sqlite_dbapi)
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
