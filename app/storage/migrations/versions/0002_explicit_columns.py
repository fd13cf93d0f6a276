"""Explicit columns instead of strings hidden in other columns.

- ``datasets.notes`` carried ``unavailable:CITY: …`` → ``datasets.status`` and ``city_code``;
- ``datasets.notes`` carried ``file:PATH`` for walking networks → the ``networks`` table;
- ``resources.hazards`` carried ``|flood|earthquake|`` → one boolean column per hazard;
- declared catchments were coded ``resource:ID`` → ``areas.resource_id``.

Every row is kept and converted; the downgrade writes the old strings back.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0002_explicit_columns"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None

# Frozen here: the hazard vocabulary of this revision (the domain's may grow later).
HAZARDS = ("flood", "landslide", "storm_surge", "earthquake", "tsunami", "large_fire", "inland_flood",
           "volcano")


def _hazard_column(key: str) -> str:
    return f"hazard_{key}"


def upgrade() -> None:
    """Add the columns and the table, convert the strings, drop ``resources.hazards``."""
    conn = op.get_bind()
    op.add_column("datasets", sa.Column("status", sa.String(20), nullable=False, server_default="loaded"))
    op.add_column("datasets", sa.Column("city_code", sa.String(5), nullable=False, server_default=""))
    op.add_column("areas", sa.Column("resource_id", sa.Integer, nullable=True))
    for key in HAZARDS:
        op.add_column("resources", sa.Column(_hazard_column(key), sa.Boolean, nullable=False,
                                             server_default=sa.false()))
    op.create_table(
        "networks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("crs", sa.String(100), nullable=False),
        sa.Column("nodes", sa.Integer, nullable=False),
        sa.Column("edges", sa.Integer, nullable=False),
    )
    _datasets_up(conn)
    _hazards_up(conn)
    for area_id, code in conn.execute(sa.text("SELECT id, code FROM areas WHERE code LIKE 'resource:%'")):
        tail = code.split(":", 1)[1]
        if tail.isdigit():
            conn.execute(sa.text("UPDATE areas SET resource_id = :r WHERE id = :i"),
                         {"r": int(tail), "i": area_id})
    op.drop_column("resources", "hazards")


def _datasets_up(conn) -> None:
    rows = conn.execute(sa.text("SELECT id, key, notes FROM datasets WHERE notes LIKE 'unavailable:%' "
                                "OR notes LIKE 'file:%'")).all()
    for dataset_id, key, notes in rows:
        if notes.startswith("unavailable:"):
            city = notes.split(":")[1].strip()
            conn.execute(sa.text("UPDATE datasets SET status = 'unavailable', city_code = :c, "
                                 "notes = :n WHERE id = :i"),
                         {"c": city[:5], "n": notes.split(":", 2)[2].strip(), "i": dataset_id})
            continue
        path = notes[5:]
        crs, nodes, edges = _network_shape(Path(path))
        conn.execute(sa.text("INSERT INTO networks (dataset_id, name, path, crs, nodes, edges) "
                             "VALUES (:d, :name, :p, :crs, :nodes, :edges)"),
                     {"d": dataset_id, "name": key.split(":", 1)[1], "p": path, "crs": crs, "nodes": nodes,
                      "edges": edges})
        conn.execute(sa.text("UPDATE datasets SET notes = '' WHERE id = :i"), {"i": dataset_id})


def _network_shape(path: Path) -> tuple[str, int, int]:
    """CRS, node and edge counts of a stored network file (unknown when the file is gone)."""
    if not path.exists():
        return "", 0, 0
    import numpy as np  # deferred: only databases holding a walking network need it here

    with np.load(path) as data:
        return str(data["crs"]), len(data["xy"]), int(len(data["data"]) // 2)


def _hazards_up(conn) -> None:
    rows = conn.execute(sa.text("SELECT id, hazards FROM resources WHERE hazards <> ''")).all()
    for resource_id, stored in rows:
        keys = [k for k in stored.split("|") if k]
        unknown = [k for k in keys if k not in HAZARDS]
        if unknown:
            raise RuntimeError(f"resource {resource_id}: unknown hazard {unknown[0]!r} in {stored!r}; "
                               "nothing was changed")
        sets = ", ".join(f"{_hazard_column(k)} = :t" for k in keys)
        conn.execute(sa.text(f"UPDATE resources SET {sets} WHERE id = :i"), {"t": True, "i": resource_id})


def downgrade() -> None:
    """Write the old strings back, then drop the new columns and table."""
    conn = op.get_bind()
    op.add_column("resources", sa.Column("hazards", sa.String(300), nullable=False, server_default=""))
    flags = ", ".join(_hazard_column(k) for k in HAZARDS)
    for row in conn.execute(sa.text(f"SELECT id, {flags} FROM resources")).all():
        keys = [k for k, flag in zip(HAZARDS, row[1:], strict=True) if flag]
        if keys:
            conn.execute(sa.text("UPDATE resources SET hazards = :h WHERE id = :i"),
                         {"h": f"|{'|'.join(sorted(keys))}|", "i": row[0]})
    for dataset_id, city, notes in conn.execute(sa.text(
            "SELECT id, city_code, notes FROM datasets WHERE status = 'unavailable'")).all():
        conn.execute(sa.text("UPDATE datasets SET notes = :n WHERE id = :i"),
                     {"n": f"unavailable:{city}: {notes}", "i": dataset_id})
    for dataset_id, path in conn.execute(sa.text("SELECT dataset_id, path FROM networks")).all():
        conn.execute(sa.text("UPDATE datasets SET notes = :n WHERE id = :i"),
                     {"n": f"file:{path}", "i": dataset_id})
    op.drop_table("networks")
    for key in HAZARDS:
        op.drop_column("resources", _hazard_column(key))
    op.drop_column("areas", "resource_id")
    op.drop_column("datasets", "city_code")
    op.drop_column("datasets", "status")

