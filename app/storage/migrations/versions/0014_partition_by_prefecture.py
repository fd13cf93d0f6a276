"""Places and kept split pieces partitioned by prefecture on PostgreSQL (``storage.partitions``).

Both backends get the key columns (``resources.pref_code``, ``demand_split_pieces.area_pref``,
filled from the city codes) and corrections refer to a place by (id, prefecture), the key a
partitioned table can guarantee. On PostgreSQL each table is rebuilt as a LIST-partitioned one
with the same columns, defaults, indexes, foreign keys and id sequence, and its rows copied.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.storage.partitions import partition_statements, prefecture_sql, referable_index

revision = "0014_partition_by_prefecture"
down_revision = "0013_split_pieces_by_city"
branch_labels = None
depends_on = None

KEYS = {"resources": ("pref_code", "city_code"), "demand_split_pieces": ("area_pref", "area_city")}


def upgrade() -> None:
    """Add and fill the keys, tie corrections to (id, prefecture), partition on PostgreSQL."""
    for table, (key, city) in KEYS.items():
        op.add_column(table, sa.Column(key, sa.String(2), nullable=False, server_default=""))
        op.execute(f"UPDATE {table} SET {key} = {prefecture_sql(city)}")
    op.add_column("corrections", sa.Column("resource_pref", sa.String(2), nullable=False, server_default=""))
    op.execute("UPDATE corrections SET resource_pref = (SELECT pref_code FROM resources "
               "WHERE resources.id = corrections.resource_id)")
    if op.get_bind().dialect.name != "postgresql":
        op.execute(referable_index("resources", "pref_code"))
        _recreate_corrections(composite=True)
        return
    op.drop_constraint("corrections_resource_id_fkey", "corrections", type_="foreignkey")
    for table, (key, _city) in KEYS.items():
        _rebuild(table, key)
    _tie_corrections(composite=True)


def downgrade() -> None:
    """Plain tables again, corrections tied to the id alone; the key columns go."""
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_corrections_resource", "corrections", type_="foreignkey")
        for table in KEYS:
            _rebuild(table, None)
        _tie_corrections(composite=False)
        op.drop_column("corrections", "resource_pref")
    else:
        _recreate_corrections(composite=False)
        op.execute("DROP INDEX uq_resources_id_pref_code")
    for table, (key, _city) in KEYS.items():
        op.drop_column(table, key)


def _tie_corrections(composite: bool) -> None:
    if composite:
        op.create_foreign_key("fk_corrections_resource", "corrections", "resources",
                              ["resource_id", "resource_pref"], ["id", "pref_code"],
                              ondelete="CASCADE", onupdate="CASCADE")
    else:
        op.create_foreign_key("corrections_resource_id_fkey", "corrections", "resources",
                              ["resource_id"], ["id"], ondelete="CASCADE")


def _rebuild(table: str, key: str | None) -> None:
    """Copy ``table`` into a new one partitioned by ``key`` (or plain when None), keeping its parts."""
    bind = op.get_bind()
    oid = f"'{table}'::regclass"
    indexes = bind.execute(sa.text(
        "SELECT indexdef FROM pg_indexes i WHERE tablename = :t AND NOT EXISTS "
        f"(SELECT 1 FROM pg_constraint c WHERE c.conrelid = {oid} AND c.conname = i.indexname)"),
        {"t": table}).scalars().all()
    foreign = bind.execute(sa.text(
        f"SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = {oid} "
        "AND contype = 'f'")).all()
    primary = bind.execute(sa.text(
        f"SELECT a.attname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid "
        f"AND a.attnum = ANY (c.conkey) WHERE c.conrelid = {oid} AND c.contype = 'p'")).scalars().all()
    sequence = bind.execute(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}).scalar() \
        if "id" in primary else None
    op.execute(f"ALTER TABLE {table} RENAME TO {table}_old")
    if sequence:  # the sequence would go with the old table
        op.execute(f"ALTER SEQUENCE {sequence} OWNED BY NONE")
    partitioned = f" PARTITION BY LIST ({key})" if key else ""
    op.execute(f"CREATE TABLE {table} (LIKE {table}_old INCLUDING DEFAULTS){partitioned}")
    for statement in partition_statements(table) if key else ():
        op.execute(statement)
    op.execute(f"INSERT INTO {table} SELECT * FROM {table}_old")
    op.execute(f"DROP TABLE {table}_old")
    if primary:
        columns = ["id", key] if key else ["id"]
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY ({', '.join(columns)})")
    if sequence:
        op.execute(f"ALTER SEQUENCE {sequence} OWNED BY {table}.id")
    for name, definition in foreign:
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    for definition in indexes:
        op.execute(definition)


def _recreate_corrections(composite: bool) -> None:
    """SQLite cannot change a table's foreign keys: a new ``corrections``, rows copied, renamed.

    Its columns are read from the table as it stands (less ``resource_pref`` going down).
    """
    pair = (["resource_id", "resource_pref"], ["resources.id", "resources.pref_code"]) if composite else \
        (["resource_id"], ["resources.id"])
    stored = sa.Table("corrections", sa.MetaData(), autoload_with=op.get_bind())
    columns = [sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable,
                         server_default=c.server_default)
               for c in stored.columns if composite or c.name != "resource_pref"]
    op.create_table("corrections_new", *columns,
                    sa.ForeignKeyConstraint(*pair, name="fk_corrections_resource", ondelete="CASCADE",
                                            onupdate="CASCADE" if composite else None))
    names = ", ".join(c.name for c in columns)
    op.execute(f"INSERT INTO corrections_new ({names}) SELECT {names} FROM corrections")
    op.drop_index("ix_corrections_city_status", "corrections")
    op.drop_table("corrections")
    op.rename_table("corrections_new", "corrections")
    op.create_index("ix_corrections_city_status", "corrections", ["city_code", "status"])
