"""``fureai db check``: is the database sound? Integrity, spatial indexes, orphans, geometries."""

from __future__ import annotations

from dataclasses import dataclass, field

from geoalchemy2 import Geometry
from sqlalchemy import Engine, func, select, text

from app.storage.schema import area_sets, areas, audit_log, datasets, metadata, resources


@dataclass
class CheckReport:
    """Problems found (each one sentence) and what was checked."""

    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No problem found."""
        return not self.problems


def check(engine: Engine) -> CheckReport:
    """Run every check that applies to the backend; nothing is changed.

    Returns
    -------
    CheckReport
        ``problems`` empty when the database is sound.
    """
    report = CheckReport()
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            _sqlite(conn, report)
        else:
            _gist(conn, report)
        _orphans(conn, report)
        _geometries(conn, report)
    return report


def _sqlite(conn, report: CheckReport) -> None:
    result = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
    report.checked.append("SQLite integrity_check")
    if result != ["ok"]:
        report.problems += [f"integrity: {line}" for line in result[:20]]
    broken = conn.execute(text("PRAGMA foreign_key_check")).all()
    report.checked.append("foreign keys")
    report.problems += [f"foreign key: {r[0]} row {r[1]} points to a missing {r[2]}" for r in broken[:20]]
    for table in metadata.sorted_tables:
        for column in (c.name for c in table.columns if isinstance(c.type, Geometry)):
            ok = conn.execute(text(f"SELECT CheckSpatialIndex('{table.name}', '{column}')")).scalar()
            report.checked.append(f"spatial index {table.name}.{column}")
            if ok != 1:
                report.problems.append(f"spatial index of {table.name}.{column} is inconsistent "
                                       f"(CheckSpatialIndex gave {ok}); rebuild it with "
                                       f"SELECT RecoverSpatialIndex('{table.name}', '{column}')")


def _gist(conn, report: CheckReport) -> None:
    """Every geometry column has its GiST index: without it each map request reads the whole table."""
    present = set(conn.execute(text("SELECT tablename || '.' || indexdef FROM pg_indexes "
                                    "WHERE indexdef ILIKE '%USING gist%'")).scalars())
    for table in metadata.sorted_tables:
        for column in (c.name for c in table.columns if isinstance(c.type, Geometry)):
            report.checked.append(f"GiST index {table.name}.{column}")
            if not any(p.startswith(f"{table.name}.") and f"({column})" in p for p in present):
                create = f"CREATE INDEX idx_{table.name}_{column} ON {table.name} USING gist ({column})"
                report.problems.append(f"{table.name}.{column} has no GiST index; create it with {create}")


def _orphans(conn, report: CheckReport) -> None:
    checks = (
        ("resources without their dataset", resources, resources.c.dataset_id, datasets.c.id),
        ("areas without their dataset", areas, areas.c.dataset_id, datasets.c.id),
        ("areas without their area set", areas, areas.c.area_set_id, area_sets.c.id),
    )
    for label, table, column, target in checks:
        count = conn.execute(select(func.count()).select_from(table).where(
            column.not_in(select(target)))).scalar_one()
        report.checked.append(label)
        if count:
            report.problems.append(f"{count} {label}")
    gone = audit_log.c.resource_id.not_in(select(resources.c.id))
    stale = conn.execute(select(func.count()).select_from(audit_log).where(
        audit_log.c.resource_id.is_not(None), gone)).scalar_one()
    report.checked.append("audit records of resources")
    if stale:
        # Not a fault: re-importing a list replaces its rows, and their history stays.
        report.checked.append(f"note: {stale} audit records name resources replaced since by a re-import")


def _geometries(conn, report: CheckReport) -> None:
    for table in metadata.sorted_tables:
        for column in (table.c[c.name] for c in table.columns if isinstance(c.type, Geometry)):
            valid = func.ST_IsValid(column)
            condition = (valid == 0) if conn.dialect.name == "sqlite" else valid.is_(False)
            count = conn.execute(select(func.count()).select_from(table).where(
                column.is_not(None), condition)).scalar_one()
            report.checked.append(f"valid geometries {table.name}.{column.name}")
            if count:
                report.problems.append(f"{count} invalid geometries in {table.name}.{column.name}; "
                                       "re-import the source with --repair")
