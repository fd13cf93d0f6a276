"""One repository over both backends: writes here, reads in the two query mixins.

Dialect differences live in ``dialects``; the schema's version in ``migrate``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import geopandas as gpd
from shapely import Point
from sqlalchemy import Engine, and_, delete, func, insert, select, update

from app.domain.reimport import Carried
from app.storage import migrate, reimport_rows
from app.storage.area_queries import AreaQueries
from app.storage.dialects import dialect_for
from app.storage.fact_queries import FactQueries
from app.storage.resource_queries import RESOURCE_COLUMNS, ResourceQueries, hazard_values
from app.storage.schema import (
    DATASET_CHILD_TABLES,
    area_sets,
    areas,
    audit_log,
    city_statistics,
    context_features,
    datasets,
    population_units,
    programmes,
    resources,
    site_access,
    site_capacities,
)
from app.storage.tiles import TileQueries


@dataclass(frozen=True)
class DatasetMeta:
    """What is known of an imported source; ``status``/``city_code`` for a publisher's gap."""

    key: str
    layer: str
    title: str
    source_file: str
    attribution: str
    licence: str = ""
    source_date: str = ""
    notes: str = ""
    status: str = "loaded"
    city_code: str = ""


@dataclass(frozen=True)
class AreaSetMeta:
    """A named set of areas of one kind, with its provenance."""

    kind: str
    name: str
    provenance: str
    source: str = ""


# The tables a dataset's rows go to, in the order ``replace_dataset`` takes them.
LOADED = (areas, resources, population_units, context_features)


class Repository(ResourceQueries, AreaQueries, FactQueries, TileQueries):
    """Datasets and their rows on SpatiaLite or PostGIS.

    Parameters
    ----------
    engine : Engine
        From ``storage.engine.make_engine``.
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self.dialect = dialect_for(engine)
        self._statements: dict = {}
        # Reads need no transaction: autocommit spares a BEGIN and a ROLLBACK round trip each.
        self.reads = engine.execution_options(isolation_level="AUTOCOMMIT")

    def init_db(self) -> str:
        """Bring the schema to the current revision (creating it in an empty database).

        Returns
        -------
        str
            What was done, for the command line.
        """
        return migrate.upgrade(self.engine)

    def _statement(self, key, build):
        """One statement per filter shape, built once.

        Values travel as bind parameters, so building and compiling the SQL is not repeated
        on every request.
        """
        statement = self._statements.get(key)
        if statement is None:
            statement = self._statements[key] = build()
        return statement

    # -- writing ----------------------------------------------------------------
    def replace_dataset(self, meta: DatasetMeta, *, area_set: AreaSetMeta | None = None,
                        areas_rows=(), resource_rows=(), population_rows=(), context_rows=(),
                        supersede_approximate: bool = False, connection=None, statistics_rows=(),
                        capacity_rows=(), programme_rows=(), access_rows=(),
                        carried: Carried | None = None) -> int:
        """Store a dataset's rows in one transaction, replacing that dataset's earlier rows.

        Rows of other datasets are untouched, except that official school districts
        (``supersede_approximate``) delete approximate ones of the same kind and cities.
        ``connection``: an open transaction to join (its owner commits), else a new one.
        Places imported again keep coordinators' edits, deletions and pending corrections
        (``storage.reimport_rows``); ``carried`` is filled with what was kept and the conflicts.

        Returns
        -------
        int
            The new dataset's id.
        """
        # Tables without geometry take their rows as given, with the dataset's id added.
        plain = {city_statistics: list(statistics_rows), site_capacities: list(capacity_rows),
                 programmes: list(programme_rows), site_access: list(access_rows)}
        rows = (list(areas_rows), list(resource_rows), list(population_rows), list(context_rows), plain)
        carried = carried if carried is not None else Carried()
        if connection is not None:
            return self._replace(connection, meta, area_set, *rows, supersede_approximate, carried)
        with self.engine.begin() as conn:
            dataset_id = self._replace(conn, meta, area_set, *rows, supersede_approximate, carried)
        self.dialect.refresh_statistics(self.engine, [t for t, r in zip(LOADED, rows[:4], strict=True) if r])
        return dataset_id

    def _replace(self, conn, meta, area_set, area_rows, resource_rows, population_rows, context_rows,
                 plain, supersede_approximate, carried) -> int:
        rows = area_rows or resource_rows or population_rows or context_rows or next(
            (r for r in plain.values() if r), [])
        old = conn.execute(select(datasets.c.id).where(datasets.c.key == meta.key)).scalar()
        kept = None
        if old is not None and resource_rows:  # coordinators' edits of these places carry over
            kept = reimport_rows.before_replace(conn, old, resource_rows, carried)
        if old is not None:
            for table in DATASET_CHILD_TABLES:
                conn.execute(delete(table).where(table.c.dataset_id == old))
            conn.execute(delete(datasets).where(datasets.c.id == old))
        dataset_id = conn.execute(insert(datasets).values(
            **asdict(meta), imported_at=datetime.now(UTC), record_count=len(rows),
        )).inserted_primary_key[0]
        if area_set is not None:
            self._insert_areas(conn, dataset_id, area_set, area_rows, supersede_approximate)
        if resource_rows:
            self.dialect.bulk_insert(conn, resources, [resource_values(dataset_id, r) for r in resource_rows])
        if kept is not None:
            reimport_rows.after_replace(conn, dataset_id, kept, carried)
        for table, table_rows in plain.items():
            if table_rows:
                conn.execute(insert(table), [{**r, "dataset_id": dataset_id} for r in table_rows])
        for table, unit_rows in ((population_units, population_rows), (context_features, context_rows)):
            if unit_rows:
                self.dialect.bulk_insert(conn, table, [{**r, "dataset_id": dataset_id} for r in unit_rows])
        return dataset_id

    def _insert_areas(self, conn, dataset_id, area_set, rows, supersede_approximate):
        set_id = conn.execute(select(area_sets.c.id).where(
            and_(area_sets.c.kind == area_set.kind, area_sets.c.name == area_set.name))).scalar()
        if set_id is None:
            set_id = conn.execute(insert(area_sets).values(**asdict(area_set))).inserted_primary_key[0]
        else:
            conn.execute(update(area_sets).where(area_sets.c.id == set_id).values(
                provenance=area_set.provenance, source=area_set.source))
        if supersede_approximate:
            cities = {r["city_code"] for r in rows}
            approximate = select(area_sets.c.id).where(and_(
                area_sets.c.kind == area_set.kind, area_sets.c.provenance == "approximate"))
            conn.execute(delete(areas).where(and_(
                areas.c.area_set_id.in_(approximate), areas.c.city_code.in_(cities))))
        if rows:
            self.dialect.bulk_insert(conn, areas, [{
                "area_set_id": set_id, "dataset_id": dataset_id, "code": r["code"],
                "name": r["name"], "city_code": r["city_code"], "resource_id": r.get("resource_id"),
                "properties": r.get("properties", {}), "geom": r["geometry"],
            } for r in rows])

    # -- datasets -----------------------------------------------------------------
    def dataset_count(self) -> int:
        """How many datasets are stored."""
        with self.reads.connect() as conn:
            return conn.execute(select(func.count()).select_from(datasets)).scalar_one()

    def data_version(self) -> str:
        """A fingerprint of every dataset and when it was imported: a re-import makes a new one."""
        # Two columns, not the whole rows: tiles and kept answers ask this on every request.
        with self.reads.connect() as conn:
            stamp = sorted((key, str(at)) for key, at in conn.execute(
                select(datasets.c.key, datasets.c.imported_at)))
        return hashlib.sha256(json.dumps(stamp).encode()).hexdigest()

    def last_change(self) -> int:
        """The newest audit record's id: it moves with every edit, deletion and restore of a place."""
        with self.reads.connect() as conn:
            return conn.execute(select(func.max(audit_log.c.id))).scalar() or 0

    def datasets(self) -> list[dict]:
        """Every dataset record, ordered by layer and key."""
        with self.reads.connect() as conn:
            rows = conn.execute(select(datasets).order_by(datasets.c.layer, datasets.c.key))
            return [dict(r._mapping) for r in rows]

    def unavailable_lists(self) -> list[tuple[str, str]]:
        """(layer, city code) of every list a publisher says it does not have."""
        query = select(datasets.c.layer, datasets.c.city_code).where(datasets.c.status == "unavailable")
        with self.reads.connect() as conn:
            return [tuple(r) for r in conn.execute(query.order_by(datasets.c.layer, datasets.c.city_code))]

    def attributions(self) -> dict[str, list[str]]:
        """Layer → the distinct attribution lines of its datasets that hold rows."""
        out: dict[str, list[str]] = {}
        for d in self.datasets():
            lines = out.setdefault(d["layer"], [])
            if d["record_count"] and d["attribution"] not in lines:
                lines.append(d["attribution"])
        return out

    def layer_counts(self, city: str | None = None) -> dict:
        """Counts per resource kind (public: placed, and ``listed`` with the unplaced) and per area set."""
        res_query = select(resources.c.kind, func.count(resources.c.geom), func.count()).where(
            resources.c.restricted.is_(False), resources.c.deleted_at.is_(None))
        area_query = (select(area_sets.c.kind, area_sets.c.provenance, func.count(areas.c.id))
                      .join(areas, areas.c.area_set_id == area_sets.c.id))
        if city:
            res_query = res_query.where(resources.c.city_code == city)
            area_query = area_query.where(areas.c.city_code == city)
        with self.reads.connect() as conn:
            res = conn.execute(res_query.group_by(resources.c.kind)).all()
            ars = conn.execute(area_query.group_by(area_sets.c.kind, area_sets.c.provenance)).all()
            pop = conn.execute(select(population_units.c.unit_type, population_units.c.year,
                                      func.count(), func.sum(population_units.c.total))
                               .group_by(population_units.c.unit_type, population_units.c.year)).all()
        return {"resources": {kind: placed for kind, placed, _ in res if placed},
                "listed": {kind: listed for kind, _, listed in res}, "areas": [tuple(r) for r in ars],
                "population": [tuple(r) for r in pop]}

    def venue_candidates(self, kinds: tuple[str, ...], exclude_dataset: str | None = None,
                         visible_cities=()) -> gpd.GeoDataFrame:
        """Placed resources of ``kinds`` that a row may be placed at (its venue).

        ``exclude_dataset`` leaves out a dataset's own rows, so that re-importing a list does
        not place its rows at their previous positions. Restricted rows are candidates only
        for ``visible_cities`` (the importing user's own): a private place never lends its
        location, or its existence, to anyone else.

        Returns
        -------
        GeoDataFrame
            ``id``, ``kind``, ``name``, ``address``, ``city_code``, ``restricted`` and point geometry.
        """
        frame = self.resources_frame(kinds=list(kinds), placed_only=True,
                                     restricted_cities=tuple(visible_cities))
        if exclude_dataset:
            own = self._dataset_resource_ids(exclude_dataset)
            frame = frame[~frame["id"].isin(own)]
        columns = ["id", "kind", "name", "address", "city_code", "restricted", "geometry"]
        return frame[columns].reset_index(drop=True)

    def _dataset_resource_ids(self, key: str) -> set[int]:
        query = (select(resources.c.id).join(datasets, resources.c.dataset_id == datasets.c.id)
                 .where(datasets.c.key == key))
        with self.reads.connect() as conn:
            return {r.id for r in conn.execute(query)}


def resource_values(dataset_id: int, record: dict) -> dict:
    """Column values for one resource record from an importer (or the workspace).

    Returns
    -------
    dict
        Every column of ``resources`` but ``id`` and ``deleted_at``; ``geom`` a shapely point or
        None (unplaced), as ``Dialect.bulk_insert`` takes it.
    """
    values = {c: record.get(c) for c in (*RESOURCE_COLUMNS, "restricted")}
    values.update(dataset_id=dataset_id, site_key=record.get("site_key", ""),
                  external_id=record.get("external_id", ""),
                  welfare_shelter=bool(record.get("welfare_shelter")),
                  restricted=bool(record.get("restricted")), attributes=record.get("attributes", {}),
                  category=record.get("category", ""), targets=list(record.get("targets", [])),
                  **hazard_values(record.get("hazards", ())))
    lonlat = record.get("lonlat")
    values["geom"] = Point(*lonlat) if lonlat else None
    return values
