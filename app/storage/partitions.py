"""Tables partitioned by prefecture on PostgreSQL (declarative LIST partitions); plain on SQLite.

A national database holds 1,741 municipalities, and an analysis reads one city: with the
prefecture as a column of its own (the first two digits of the city's JIS code, or '' when the
row has no valid one), PostgreSQL reads that prefecture's partition alone, pruned from the plan.
The partition key is an ordinary column rather than an expression because a partitioned table's
primary key must contain it; SQLite has no partitions and keeps the same columns.
"""

from __future__ import annotations

from sqlalchemy import DDL, PrimaryKeyConstraint, Table, event
from sqlalchemy.ext.compiler import compiles

# JIS X 0401: 01 北海道 … 47 沖縄県. Anything else goes to the DEFAULT partition.
PREFECTURES = tuple(f"{number:02d}" for number in range(1, 48))


def prefecture_of(city_code: str | None) -> str:
    """The prefecture part of a five-digit city code ('13' for '13203'), '' when it has none.

    Returns
    -------
    str
        Two digits of ``PREFECTURES``, or ''.
    """
    code = city_code or ""
    return code[:2] if len(code) == 5 and code[:2] in PREFECTURES else ""


def prefecture_sql(column: str) -> str:
    """``prefecture_of`` as SQL both backends run (for filling the column of existing rows)."""
    listed = ", ".join(f"'{p}'" for p in PREFECTURES)
    return (f"CASE WHEN length({column}) = 5 AND substr({column}, 1, 2) IN ({listed}) "
            f"THEN substr({column}, 1, 2) ELSE '' END")


def prefecture_default(source: str):
    """A column default: the prefecture of the row's ``source`` city column (inserts and COPY)."""
    def default(context) -> str:
        return prefecture_of(context.get_current_parameters().get(source))
    return default


def partition_statements(table: str) -> list[str]:
    """The partitions of ``table``: one per prefecture and a DEFAULT one."""
    parts = [f"CREATE TABLE {table}_p{p} PARTITION OF {table} FOR VALUES IN ('{p}')" for p in PREFECTURES]
    return [*parts, f"CREATE TABLE {table}_pnone PARTITION OF {table} DEFAULT"]


def by_prefecture(table: Table, key: str) -> Table:
    """Make ``table`` (declared with ``postgresql_partition_by``) get its partitions when created."""
    if table.dialect_options["postgresql"]["partition_by"] != f"LIST ({key})":
        raise ValueError(f"{table.name} must be declared with postgresql_partition_by='LIST ({key})'")
    table.info["partition_key"] = key
    for statement in partition_statements(table.name):
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))
    if "id" in table.c:  # others refer to a row by (id, key); SQLite wants that pair unique
        unique = DDL(referable_index(table.name, key)).execute_if(dialect="sqlite")
        event.listen(table, "after_create", unique)
    return table


def referable_index(table: str, key: str) -> str:
    """SQLite's unique index on (id, key), which a foreign key to the pair needs there."""
    return f"CREATE UNIQUE INDEX uq_{table}_id_{key} ON {table} (id, {key})"


@compiles(PrimaryKeyConstraint, "postgresql")
def _primary_key_with_partition_key(constraint, compiler, **kw):
    """PostgreSQL wants the partition key in a partitioned table's primary key: (id, pref_code).

    The id alone stays the primary key SQLAlchemy knows, so inserts still return it on both
    backends; the id sequence keeps it unique by itself.
    """
    key = constraint.table.info.get("partition_key") if constraint.table is not None else None
    text = compiler.visit_primary_key_constraint(constraint, **kw)
    if key and text:
        text = text.replace(")", f", {compiler.preparer.quote(key)})", 1)
    return text
