"""Editing resources with an audit trail: each change and its audit record in one transaction.

Every edit raises the row's ``version``; a write naming an older version is refused
(``StaleWrite``) instead of silently overwriting someone else's change.
"""

from __future__ import annotations

from datetime import UTC, datetime

from geoalchemy2.shape import from_shape
from shapely import Point
from sqlalchemy import func, insert, select, update

from app.storage.partitions import prefecture_of
from app.storage.resource_queries import hazard_values
from app.storage.schema import SRID, audit_log, datasets, resources

EDITABLE = ("kind", "name", "address", "city_code", "placement", "placement_detail", "restricted",
            "capacity", "welfare_shelter", "category", "targets", "attributes")


class StaleWrite(Exception):
    """The resource changed since the caller read it; ``current`` is what is stored now."""

    def __init__(self, current: dict):
        super().__init__(f"resource {current['id']} changed since (now version {current['version']})")
        self.current = current


class NoSuchResource(LookupError):
    """No resource with that id."""


def point(lonlat):
    """A stored point from (lon, lat), or None."""
    return from_shape(Point(*lonlat), srid=SRID) if lonlat else None


def snapshot(row: dict | None) -> dict | None:
    """The editable fields of a row (and lon/lat), as kept in audit records."""
    if row is None:
        return None
    out = {c: row.get(c) for c in EDITABLE}
    if row.get("lonlat"):
        out["lon"], out["lat"] = row["lonlat"]
    elif row.get("lon") is not None:
        out["lon"], out["lat"] = round(row["lon"], 6), round(row["lat"], 6)
    return out


class ResourceEdits:
    """Create, change, delete and restore resources (a mixin; expects ``self.engine``)."""

    def _workspace_dataset(self, conn, city: str) -> int:
        key = f"workspace:{city}"
        found = conn.execute(select(datasets.c.id).where(datasets.c.key == key)).scalar()
        if found is not None:
            return found
        return conn.execute(insert(datasets).values(
            key=key, layer="workspace", title=f"resources edited in the workspace ({city})",
            source_file="(workspace)",
            attribution="地域福祉コーディネーターによる登録 / entered by coordinators",
            licence="", source_date="", imported_at=datetime.now(UTC), record_count=0, notes="",
            status="loaded", city_code="",
        )).inserted_primary_key[0]

    def create(self, record: dict, actor: dict) -> int:
        """Add a resource and its audit record in one transaction; returns its id."""
        with self.engine.begin() as conn:
            values = {c: record.get(c) for c in EDITABLE}
            values.update(restricted=bool(record.get("restricted")),
                          welfare_shelter=bool(record.get("welfare_shelter")),
                          dataset_id=self._workspace_dataset(conn, record["city_code"]), external_id="",
                          site_key="", source_row=0, attributes=record.get("attributes", {}),
                          geom=point(record.get("lonlat")), version=1, category=record.get("category", ""),
                          targets=list(record.get("targets", [])), **hazard_values(()))
            new_id = conn.execute(insert(resources).values(**values)).inserted_primary_key[0]
            self._audit(conn, actor, "create", new_id, record["city_code"], None, snapshot(record))
        return new_id

    def current(self, conn, resource_id: int) -> dict | None:
        """The stored resource row with lon/lat, read inside ``conn``'s transaction."""
        row = conn.execute(select(resources, func.ST_X(resources.c.geom).label("lon"),
                                  func.ST_Y(resources.c.geom).label("lat"))
                           .where(resources.c.id == resource_id)).first()
        return dict(row._mapping) if row else None

    def _claim(self, conn, resource_id: int, expected_version: int | None, values: dict,
               live: bool = False) -> dict:
        """Write ``values`` if the row is still at ``expected_version``; return the row before.

        ``live``: the row must not be deleted either (an edit that lost a race with a delete).
        """
        before = self.current(conn, resource_id)
        if before is None or (live and before["deleted_at"] is not None):
            raise NoSuchResource(resource_id)
        guard = resources.c.id == resource_id
        if expected_version is not None:
            guard = guard & (resources.c.version == expected_version)
        done = conn.execute(update(resources).where(guard).values(**values, version=resources.c.version + 1))
        if done.rowcount == 0:
            raise StaleWrite(before)
        return before

    def update(self, resource_id: int, changes: dict, actor: dict,
               expected_version: int | None = None, connection=None) -> int:
        """Write only ``changes`` (columns; ``lonlat`` for a move), audited; returns the new version.

        ``connection``: a transaction to join (its owner commits), else a new one.

        Raises
        ------
        StaleWrite
            When ``expected_version`` is given and the row has moved on.
        """
        if connection is None:
            with self.engine.begin() as conn:
                return self.update(resource_id, changes, actor, expected_version, conn)
        values = {c: changes[c] for c in EDITABLE if c in changes}
        if "city_code" in values:  # the partition key follows (PostgreSQL moves the row)
            values["pref_code"] = prefecture_of(values["city_code"])
        if "lonlat" in changes:
            values["geom"] = point(changes["lonlat"])
        before = self._claim(connection, resource_id, expected_version, values, live=True)
        after = self.current(connection, resource_id)
        self._audit(connection, actor, "update", resource_id, after["city_code"], snapshot(before),
                    snapshot(after))
        return after["version"]

    def set_deleted(self, resource_id: int, deleted: bool, actor: dict,
                    expected_version: int | None = None) -> None:
        """Soft-delete (or restore) a resource, with its audit record."""
        stamp = datetime.now(UTC) if deleted else None
        with self.engine.begin() as conn:
            before = self._claim(conn, resource_id, expected_version, {"deleted_at": stamp})
            self._audit(conn, actor, "delete" if deleted else "restore", resource_id, before["city_code"],
                        snapshot(before), None if deleted else snapshot(before))

    def record_import(self, actor: dict, city: str, summary: str, connection=None) -> None:
        """Audit an import of a list for ``city`` (inside ``connection``'s transaction if given)."""
        if connection is not None:
            self._audit(connection, actor, "import", None, city, None, None, summary)
            return
        with self.engine.begin() as conn:
            self._audit(conn, actor, "import", None, city, None, None, summary)

    def _audit(self, conn, actor, action, resource_id, city, before, after, summary=""):
        conn.execute(insert(audit_log).values(
            at=datetime.now(UTC), user_id=actor.get("id"), username=actor["username"], action=action,
            resource_id=resource_id, city_code=city or "", before=before, after=after,
            summary=summary or (after or before or {}).get("name", "")))

    def history(self, *, resource_id: int | None = None, city: str | None = None) -> list[dict]:
        """Audit records of a resource or a city, newest first."""
        query = select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
        if resource_id is not None:
            query = query.where(audit_log.c.resource_id == resource_id)
        if city:
            query = query.where(audit_log.c.city_code == city)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query.limit(5000))]

    def resource(self, resource_id: int) -> dict | None:
        """The stored resource row with lon/lat, or None."""
        with self.engine.connect() as conn:
            return self.current(conn, resource_id)
