"""Backups of the whole database, and restoring one into an empty database.

Formats: SQLite's online backup API (a consistent copy while the app runs) for SpatiaLite;
``pg_dump`` custom format for PostGIS; and, where ``pg_dump`` is missing or asked for, a
portable bundle (a zip of JSON lines, one file per table, geometry as WKB) that restores
into either backend. A restore then upgrades the schema, so a backup of an older release
restores into this one.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import shapely
from geoalchemy2 import Geometry
from sqlalchemy import Engine, func, inspect, select

from app.storage import migrate
from app.storage.schema import metadata

BUNDLE_VERSION = 1
FORMATS = ("native", "bundle")


class BackupError(RuntimeError):
    """The backup or restore cannot be done; the message says what to do."""


def _geometry_columns(table) -> list[str]:
    return [c.name for c in table.columns if isinstance(c.type, Geometry)]


def table_rows(engine: Engine) -> dict[str, list[dict]]:
    """Every row of every table of the schema, plain values only (geometry as WKB hex), in key order.

    Returns
    -------
    dict
        Table name → rows; the same data on SpatiaLite and PostGIS compares equal.
    """
    out = {}
    with engine.connect() as conn:
        present = set(inspect(conn).get_table_names())
        for table in metadata.sorted_tables:
            if table.name not in present:
                continue
            geometry = _geometry_columns(table)
            columns = [table.c[c] for c in (c.name for c in table.columns) if c not in geometry]
            wkb = [func.ST_AsBinary(table.c[g]).label(g) for g in geometry]
            # Link tables (a person's areas) have no id: their whole row is their order.
            order = list(table.primary_key.columns) or columns
            rows = conn.execute(select(*columns, *wkb).order_by(*order)).mappings()
            out[table.name] = [_plain(dict(r), geometry) for r in rows]
    return out


def _plain(row: dict, geometry: list[str]) -> dict:
    for key, value in row.items():
        if key in geometry and value is not None:
            row[key] = shapely.from_wkb(bytes(value)).wkb_hex
        elif isinstance(value, datetime):
            row[key] = value.replace(tzinfo=None).isoformat(timespec="microseconds")
    return row


def is_empty(engine: Engine) -> bool:
    """True when no table of the schema holds a row (a new database)."""
    return not any(rows for rows in table_rows(engine).values())


def backup(engine: Engine, target: Path, fmt: str = "native") -> str:
    """Write a backup of the whole database to ``target``; returns what was written, and how.

    ``native`` falls back to the bundle when ``pg_dump`` is not installed, and says so.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A backup holds password hashes and sealed records: readable by its owner only, from its
    # first byte (the file is made empty with mode 0600 before anything is written into it).
    target.unlink(missing_ok=True)
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    if fmt == "native" and engine.dialect.name == "sqlite":
        sqlite_copy(engine, target, into_engine=False)
        how = "SQLite online backup"
    elif fmt == "native" and shutil.which("pg_dump"):
        _pg("pg_dump", engine, "--format=custom", "--no-owner", f"--file={target}")
        how = "pg_dump custom format"
    else:
        how = "portable bundle" + (" (pg_dump is not installed)" if fmt == "native" else "")
        _write_bundle(engine, target)
    os.chmod(target, 0o600)
    return f"{how} → {target}"


def _pg(program: str, engine: Engine, *arguments: str) -> None:
    # The password goes in the environment, not on a command line other users can list.
    env = {**os.environ, "PGPASSWORD": engine.url.password or ""}
    target = [] if program == "pg_restore" else [libpq_uri(engine)]
    done = subprocess.run([program, *arguments, *target], capture_output=True, text=True, env=env,
                          check=False)
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip()[:500]}")


def _write_bundle(engine: Engine, target: Path) -> None:
    rows = table_rows(engine)
    manifest = {"bundle": BUNDLE_VERSION, "revision": migrate.status(engine).current,
                "tables": {name: len(r) for name, r in rows.items()}}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        for name, table in rows.items():
            archive.writestr(f"{name}.jsonl", "".join(json.dumps(r, ensure_ascii=False, default=_bytes) + "\n"
                                                       for r in table))


def _bytes(value):
    if isinstance(value, bytes | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def kind_of(source: Path) -> str:
    """'sqlite', 'pg_dump' or 'bundle', from the file's first bytes."""
    head = Path(source).read_bytes()[:16]
    if head.startswith(b"SQLite format 3"):
        return "sqlite"
    if head.startswith(b"PGDMP"):
        return "pg_dump"
    if head.startswith(b"PK"):
        return "bundle"
    raise BackupError(f"{source}: not a backup of this product (a SQLite file, pg_dump custom format "
                      "or bundle)")


def libpq_uri(engine: Engine) -> str:
    """The database as a libpq URI without its password."""
    url = engine.url
    user = quote(url.username or "", safe="")
    host = f"{url.host or 'localhost'}:{url.port or 5432}"
    return f"postgresql://{user}@{host}/{quote(url.database or '', safe='')}"


def sqlite_copy(engine: Engine, other: Path, into_engine: bool) -> None:
    """SQLite's online backup between the engine's database and the file ``other``."""
    import pysqlite3.dbapi2 as sqlite_dbapi  # deferred: only SpatiaLite backups need it

    mine = engine.raw_connection()
    theirs = sqlite_dbapi.connect(str(other))
    try:
        if into_engine:
            theirs.backup(mine.driver_connection)
        else:
            mine.driver_connection.backup(theirs)
    finally:
        theirs.close()
        mine.close()
