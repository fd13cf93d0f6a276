"""Restoring a backup: never dropping what is stored before the backup has loaded whole.

SpatiaLite loads the backup into a file of its own and copies it over in one step (SQLite's
backup API); PostgreSQL drops and loads in one transaction (its DDL is transactional). A backup
that fails to load leaves the database as it was, and the error names the table and the line,
never a value (a password hash, a sealed record). The schema is then upgraded to this release.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import shapely
from geoalchemy2 import Geometry
from geoalchemy2.shape import from_shape
from sqlalchemy import JSON, DateTime, Engine, insert, text
from sqlalchemy.exc import DBAPIError

from app.storage import migrate
from app.storage.backup import BackupError, is_empty, kind_of, libpq_uri, sqlite_copy
from app.storage.schema import SRID, metadata


def restore(engine: Engine, source: Path, force: bool = False) -> str:
    """Restore ``source`` into the database, then upgrade its schema to this release.

    Refuses a database that holds any row unless ``force``. Nothing stored is dropped before the
    backup has loaded whole: SpatiaLite loads it into a file of its own and copies it over in one
    step (SQLite's backup API); PostgreSQL drops and loads in one transaction. A backup that fails
    to load leaves the database as it was, and the error names the table and row, never a value
    (a password hash, a sealed record). Returns what was done.
    """
    source = Path(source)
    if not source.exists():
        raise BackupError(f"{source}: file not found")
    kind = kind_of(source)
    if not force and not is_empty(engine):
        raise BackupError("the database is not empty; restore into an empty one, or pass --force to "
                          "replace everything in it")
    if kind == "pg_dump" and engine.dialect.name != "postgresql":
        raise BackupError("a pg_dump file restores into PostgreSQL only; make a bundle for SpatiaLite "
                          "with `fureai db backup FILE --format bundle`")
    if kind == "sqlite" and engine.dialect.name != "sqlite":
        raise BackupError("a SQLite backup restores into SpatiaLite only; make a bundle for PostGIS with "
                          "`fureai db backup FILE --format bundle`")
    tables = read_bundle(source) if kind == "bundle" else None  # every row read and typed first
    if engine.dialect.name == "sqlite":
        _staged_sqlite(engine, source, tables)
    elif kind == "pg_dump":
        _pg_dump_in_one_transaction(engine, source)
    else:
        _bundle_in_one_transaction(engine, tables)
    engine.dispose()
    return f"restored {kind} {source.name}; {migrate.upgrade(engine)}"


def _staged_sqlite(engine: Engine, source: Path, tables: dict | None) -> None:
    """Load the backup into a file beside the database, check it, then copy it over in one step."""
    from app.storage.engine import make_engine  # deferred: the staging file needs its own engine

    staging = Path(f"{engine.url.database}.restoring")
    staging.unlink(missing_ok=True)
    try:
        if tables is None:
            shutil.copyfile(source, staging)
        else:
            staged = make_engine(f"sqlite:///{staging}")
            try:
                _bundle_in_one_transaction(staged, tables)
            finally:
                staged.dispose()
        engine.dispose()
        sqlite_copy(engine, staging, into_engine=True)  # all pages or none: the backup API's own step
    finally:
        for path in (staging, Path(f"{staging}-wal"), Path(f"{staging}-shm")):
            path.unlink(missing_ok=True)


def _pg_dump_in_one_transaction(engine: Engine, source: Path) -> None:
    """Our tables dropped and the dump loaded by psql in one transaction: all of it, or nothing.

    Our own tables go first: a dump of an older release names fewer tables than this release
    made, and pg_restore --clean would only drop the ones it knows.
    """
    script = subprocess.run(["pg_restore", "--no-owner", "--file=-", str(source)], capture_output=True,
                            check=False)
    if script.returncode != 0:
        raise BackupError(f"pg_restore could not read {source.name}: {script.stderr.decode()[:300]}")
    drops = "".join(f'DROP TABLE IF EXISTS "{t.name}" CASCADE;\n' for t in reversed(metadata.sorted_tables))
    env = {**os.environ, "PGPASSWORD": engine.url.password or ""}
    done = subprocess.run(["psql", "--single-transaction", "--quiet", "-v", "ON_ERROR_STOP=1",
                           "--file=-", libpq_uri(engine)], input=drops.encode() + b"DROP TABLE IF EXISTS "
                          b"alembic_version;\n" + script.stdout, capture_output=True, env=env, check=False)
    if done.returncode != 0:
        # psql names the statement that failed; the rows it carried stay out of the message.
        first = next((line for line in done.stderr.decode().splitlines() if "ERROR" in line), "an error")
        raise BackupError(f"the dump did not load, and nothing was changed: {first[:200]}")


def read_bundle(source: Path) -> dict:
    """A bundle's revision and its rows, each typed for its table; ``BackupError`` naming a bad one.

    Read whole before anything is changed, so a bundle with one bad row changes nothing.
    """
    try:
        with zipfile.ZipFile(source) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            raw = {name: archive.read(f"{name}.jsonl").decode("utf-8").splitlines()
                   for name in manifest["tables"]}
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise BackupError(f"{Path(source).name}: not a readable bundle ({type(exc).__name__})") from None
    tables = {}
    for table in metadata.sorted_tables:
        rows = []
        for number, line in enumerate(raw.get(table.name, []), start=1):
            try:
                rows.append(_typed(table, json.loads(line, object_hook=_unbytes)))
            except (ValueError, TypeError, KeyError, shapely.errors.GEOSException):
                raise BackupError(f"{Path(source).name}: {table.name}.jsonl line {number} cannot be read "
                                  "(a value of the wrong type, or a column this release does not have); "
                                  "nothing was changed") from None
        tables[table.name] = rows
    return {"revision": manifest.get("revision"), "rows": tables}


def _bundle_in_one_transaction(engine: Engine, bundle: dict) -> None:
    """Drop our tables, make the bundle's schema and insert its rows, in one transaction."""
    with engine.begin() as conn:
        try:
            migrate.rebuild_at(conn, bundle["revision"] or migrate.BASELINE)
            for table in metadata.sorted_tables:
                rows = bundle["rows"].get(table.name) or []
                if rows:
                    conn.execute(insert(table), rows)
        except DBAPIError as exc:
            raise BackupError(f"the bundle did not load, and nothing was changed: {_without_values(exc)}") \
                from None
        if engine.dialect.name == "postgresql":
            for table in (t for t in metadata.sorted_tables if "id" in t.c):  # link tables have none
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                  f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"))


def _without_values(exc: DBAPIError) -> str:
    """The database's complaint without the statement or its parameters (they may hold secrets)."""
    text_of = str(exc.orig).splitlines()[0] if exc.orig is not None else type(exc).__name__
    return re.sub(r"\(.*?\)=\(.*?\)", "(…)", text_of)[:200]


def _unbytes(value):
    return base64.b64decode(value["$b64"]) if set(value) == {"$b64"} else value


def _typed(table, row: dict) -> dict:
    out = {}
    for key, value in row.items():
        column = table.c[key]
        if value is not None and isinstance(column.type, Geometry):
            value = from_shape(shapely.from_wkb(bytes.fromhex(value)), srid=SRID)
        elif value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif isinstance(column.type, JSON) and isinstance(value, str):
            value = json.loads(value)
        out[key] = value
    return out
