"""One repository over both backends; dialect differences live in ``dialects``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from geoalchemy2.shape import from_shape, to_shape
from shapely import Point
from sqlalchemy import Engine, Float, and_, bindparam, delete, func, insert, or_, select, update

from app.storage import dialects
from app.storage.area_queries import AreaQueries, decoded
from app.storage.schema import (
    DATASET_CHILD_TABLES,
    SRID,
    area_sets,
    areas,
    context_features,
    datasets,
    metadata,
    population_units,
    resources,
)

RESOURCE_COLUMNS = ("kind", "name", "address", "city_code", "external_id", "site_key",
                    "source_row", "placement", "placement_detail", "capacity",
                    "hazards", "welfare_shelter", "attributes")


@dataclass(frozen=True)
class DatasetMeta:
    key: str
    layer: str
    title: str
    source_file: str
    attribution: str
    licence: str = ""
    source_date: str = ""
    notes: str = ""


@dataclass(frozen=True)
class AreaSetMeta:
    kind: str
    name: str
    provenance: str
    source: str = ""


class Repository(AreaQueries):
    def __init__(self, engine: Engine):
        self.engine = engine
        self.dialect = engine.dialect.name
        self._statements: dict = {}
        # Reads need no transaction: autocommit spares a BEGIN and a ROLLBACK round trip each.
        self.reads = engine.execution_options(isolation_level="AUTOCOMMIT")

    # -- schema -----------------------------------------------------------------
    def init_db(self) -> None:
        """Create missing tables and columns; never drops anything."""
        metadata.create_all(self.engine)
        from sqlalchemy import inspect, text

        columns = {c["name"] for c in inspect(self.engine).get_columns("resources")}
        if "deleted_at" not in columns:  # databases made before soft deletion existed
            with self.engine.begin() as conn:
                conn.execute(text("ALTER TABLE resources ADD COLUMN deleted_at TIMESTAMP"))
        # create_all skips the indexes of tables that exist; add those added since.
        for index in resources.indexes:
            if index.name == "ix_resources_site_key":
                index.create(self.engine, checkfirst=True)

    # -- writing ----------------------------------------------------------------
    def replace_dataset(self, meta: DatasetMeta, *, area_set: AreaSetMeta | None = None,
                        areas_rows=(), resource_rows=(), population_rows=(), context_rows=(),
                        supersede_approximate: bool = False) -> int:
        """Store a dataset's rows in one transaction, replacing that dataset's earlier rows.

        Rows of other datasets are untouched, except that official school districts
        (``supersede_approximate``) delete approximate ones of the same kind and cities.
        """
        rows = list(areas_rows) or list(resource_rows) or list(population_rows) or list(context_rows)
        with self.engine.begin() as conn:
            old = conn.execute(select(datasets.c.id).where(datasets.c.key == meta.key)).scalar()
            if old is not None:
                for table in DATASET_CHILD_TABLES:
                    conn.execute(delete(table).where(table.c.dataset_id == old))
                conn.execute(delete(datasets).where(datasets.c.id == old))
            dataset_id = conn.execute(insert(datasets).values(
                **meta.__dict__, imported_at=datetime.now(UTC), record_count=len(rows),
            )).inserted_primary_key[0]
            if area_set is not None:
                self._insert_areas(conn, dataset_id, area_set, list(areas_rows),
                                   supersede_approximate)
            if resource_rows:
                conn.execute(insert(resources), [_resource_values(dataset_id, r) for r in resource_rows])
            if population_rows:
                conn.execute(insert(population_units), [
                    {**{k: v for k, v in r.items() if k != "geom"}, "dataset_id": dataset_id,
                     "geom": from_shape(r["geom"], srid=SRID)} for r in population_rows])
            if context_rows:
                conn.execute(insert(context_features), [
                    {**{k: v for k, v in r.items() if k != "geom"}, "dataset_id": dataset_id,
                     "geom": from_shape(r["geom"], srid=SRID)} for r in context_rows])
        return dataset_id

    def _insert_areas(self, conn, dataset_id, area_set, rows, supersede_approximate):
        set_id = conn.execute(select(area_sets.c.id).where(
            and_(area_sets.c.kind == area_set.kind, area_sets.c.name == area_set.name))).scalar()
        if set_id is None:
            set_id = conn.execute(insert(area_sets).values(**area_set.__dict__)).inserted_primary_key[0]
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
            conn.execute(insert(areas), [{
                "area_set_id": set_id, "dataset_id": dataset_id, "code": r["code"],
                "name": r["name"], "city_code": r["city_code"],
                "properties": r.get("properties", {}), "geom": from_shape(r["geometry"], srid=SRID),
            } for r in rows])

    # -- reading ----------------------------------------------------------------
    def dataset_count(self) -> int:
        with self.reads.connect() as conn:
            return conn.execute(select(func.count()).select_from(datasets)).scalar_one()

    def datasets(self) -> list[dict]:
        with self.reads.connect() as conn:
            rows = conn.execute(select(datasets).order_by(datasets.c.layer, datasets.c.key))
            return [dict(r._mapping) for r in rows]

    def cities(self) -> list[dict]:
        """City areas as {code, name, geom (shapely, lon/lat)}."""
        query = (select(areas.c.code, areas.c.name, areas.c.geom)
                 .join(area_sets, areas.c.area_set_id == area_sets.c.id)
                 .where(area_sets.c.kind == "city").order_by(areas.c.code))
        with self.reads.connect() as conn:
            return [{"code": r.code, "name": r.name, "geom": to_shape(r.geom)} for r in conn.execute(query)]

    def city_names(self) -> dict[str, str]:
        """Code → name of the stored cities, without loading their polygons."""
        query = (select(areas.c.code, areas.c.name).join(area_sets, areas.c.area_set_id == area_sets.c.id)
                 .where(area_sets.c.kind == "city").order_by(areas.c.code))
        with self.reads.connect() as conn:
            return {r.code: r.name for r in conn.execute(query)}

    def attributions(self) -> dict[str, list[str]]:
        """Layer → the distinct attribution lines of its datasets that hold rows."""
        out: dict[str, list[str]] = {}
        for d in self.datasets():
            lines = out.setdefault(d["layer"], [])
            if d["record_count"] and d["attribution"] not in lines:
                lines.append(d["attribution"])
        return out

    def placed_resources(self, kinds: tuple[str, ...], exclude_dataset: str | None = None) -> list[dict]:
        """Placed resources of ``kinds`` with lon/lat, for venue matching and analysis.

        ``exclude_dataset`` leaves out a dataset's own rows, so that re-importing a list
        does not place its rows at their previous positions.
        """
        query = (select(resources.c.id, resources.c.kind, resources.c.name, resources.c.city_code,
                        func.ST_X(resources.c.geom).label("lon"), func.ST_Y(resources.c.geom).label("lat"))
                 .where(resources.c.kind.in_(kinds), resources.c.geom.is_not(None),
                        resources.c.deleted_at.is_(None)))
        if exclude_dataset:
            own = select(datasets.c.id).where(datasets.c.key == exclude_dataset)
            query = query.where(resources.c.dataset_id.not_in(own))
        with self.reads.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def count_resources(self, **filters) -> int:
        shape, params = _filter_shape(**filters)
        query = self._statement(("count", shape), lambda: select(func.count()).select_from(resources)
                                .where(*self._filter_clauses(shape)))
        with self.reads.connect() as conn:
            return conn.execute(query, params).scalar_one()

    def find_resources(self, *, limit: int = 200, offset: int = 0, **filters) -> list[dict]:
        """Resources as dicts with a GeoJSON geometry, their source, and sites they share.

        ``linked`` lists the same site on the other GSI list (指定避難所 ↔ 指定緊急避難場所), found in
        the same query: the page of rows is a subquery joined to its twins by site key.
        """
        shape, params = _filter_shape(**filters)
        query = self._statement(("find", shape), lambda: self._find_statement(shape))
        rows: list[dict] = []
        with self.reads.connect() as conn:
            for record in conn.execute(query, {**params, "row_limit": limit, "row_offset": offset}):
                mapping = dict(record._mapping)
                twin = {k: mapping.pop(f"linked_{k}") for k in ("id", "kind", "name")}
                if not rows or rows[-1]["id"] != mapping["id"]:
                    rows.append({**decoded(mapping), "linked": []})
                if twin["id"] is not None:
                    rows[-1]["linked"].append(twin)
        return rows

    def _find_statement(self, shape: tuple):
        page = (select(*[resources.c[c] for c in ("id", *RESOURCE_COLUMNS, "dataset_id", "restricted",
                                                  "deleted_at")],
                       dialects.geojson(resources.c.geom).label("geometry"),
                       datasets.c.attribution.label("source"), datasets.c.source_date,
                       datasets.c.imported_at)
                .join(datasets, resources.c.dataset_id == datasets.c.id)
                .where(*self._filter_clauses(shape))
                .order_by(resources.c.kind, resources.c.name, resources.c.id)
                .limit(bindparam("row_limit")).offset(bindparam("row_offset"))).subquery("page")
        twin = resources.alias("twin")
        joined = page.outerjoin(twin, and_(page.c.site_key != "", twin.c.site_key == page.c.site_key,
                                           twin.c.kind != page.c.kind, twin.c.restricted.is_(False),
                                           twin.c.deleted_at.is_(None)))
        return (select(page, twin.c.id.label("linked_id"), twin.c.kind.label("linked_kind"),
                       twin.c.name.label("linked_name"))
                .select_from(joined).order_by(page.c.kind, page.c.name, page.c.id, twin.c.id))

    def _statement(self, key, build):
        """One statement per filter shape, built once: values travel as bind parameters, so
        building and compiling the SQL is not repeated on every request."""
        statement = self._statements.get(key)
        if statement is None:
            statement = self._statements[key] = build()
        return statement

    def _filter_clauses(self, shape: tuple) -> list:
        """WHERE clauses for a filter shape (see ``_filter_shape``), with bind parameters."""
        flags = set(shape)
        clauses = [] if "deleted" in flags else [resources.c.deleted_at.is_(None)]
        if "ids" in flags:
            clauses.append(resources.c.id.in_(bindparam("ids", expanding=True)))
        if "name" in flags:
            clauses.append(resources.c.name == bindparam("name"))
        if "kinds" in flags:
            clauses.append(resources.c.kind.in_(bindparam("kinds", expanding=True)))
        if "city" in flags:
            clauses.append(resources.c.city_code == bindparam("city"))
        if "bbox" in flags:
            clauses.append(dialects.bbox_filter(self.dialect, resources, tuple(
                bindparam(k, type_=Float) for k in ("minx", "miny", "maxx", "maxy"))))
        if "q" in flags:
            pattern = bindparam("q")
            clauses.append(or_(resources.c.name.like(pattern), resources.c.address.like(pattern)))
        if "hazard" in flags:
            clauses.append(resources.c.hazards.like(bindparam("hazard")))
        if "restricted" not in flags:
            visible = resources.c.restricted.is_(False)
            if "cities" in flags:
                visible = or_(visible, resources.c.city_code.in_(bindparam("cities", expanding=True)))
            clauses.append(visible)
        if "placed" in flags:
            clauses.append(resources.c.geom.is_not(None))
        return clauses

    def layer_counts(self, city: str | None = None) -> dict:
        """Counts per resource kind (public, placed) and per area kind/provenance."""
        res_query = select(resources.c.kind, func.count()).where(
            resources.c.restricted.is_(False), resources.c.geom.is_not(None),
            resources.c.deleted_at.is_(None))
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
        return {"resources": dict(res), "areas": [tuple(r) for r in ars],
                "population": [tuple(r) for r in pop]}

    def population(self, unit_type: str | None = None) -> list[dict]:
        query = select(population_units.c.unit_type, population_units.c.code,
                       population_units.c.name, population_units.c.city_code,
                       population_units.c.year, population_units.c.total,
                       population_units.c.age65, population_units.c.age75, population_units.c.geom)
        if unit_type:
            query = query.where(population_units.c.unit_type == unit_type)
        with self.reads.connect() as conn:
            return [{**dict(r._mapping), "geom": to_shape(r.geom)} for r in conn.execute(query)]


def _filter_shape(*, kinds=None, city=None, bbox=None, q=None, hazard=None, include_restricted=False,
                  placed_only=False, ids=None, name=None, restricted_cities=(),
                  include_deleted=False) -> tuple[tuple, dict]:
    """Which filters a query uses (the statement's shape) and their values.

    ``restricted_cities``: cities whose restricted rows the caller may see (coordinators).
    """
    shape, params = [], {}
    for flag, value, binds in (
        ("ids", ids is not None, {"ids": list(ids or ())}), ("name", bool(name), {"name": name}),
        ("kinds", bool(kinds), {"kinds": list(kinds or ())}), ("city", bool(city), {"city": city}),
        ("q", bool(q), {"q": f"%{q}%"}), ("hazard", bool(hazard), {"hazard": f"%|{hazard}|%"}),
        ("restricted", include_restricted, {}), ("placed", placed_only, {}),
        ("deleted", include_deleted, {}),
        ("cities", bool(restricted_cities) and not include_restricted,
         {"cities": list(restricted_cities)}),
    ):
        if value:
            shape.append(flag)
            params.update(binds)
    if bbox:
        shape.append("bbox")
        params.update(zip(("minx", "miny", "maxx", "maxy"), (float(v) for v in bbox), strict=True))
    return tuple(shape), params


def _resource_values(dataset_id: int, record: dict) -> dict:
    values = {c: record.get(c) for c in (*RESOURCE_COLUMNS, "restricted")}
    values.update(dataset_id=dataset_id, site_key=record.get("site_key", ""),
                  hazards=record.get("hazards", ""), external_id=record.get("external_id", ""),
                  welfare_shelter=bool(record.get("welfare_shelter")),
                  restricted=bool(record.get("restricted")), attributes=record.get("attributes", {}))
    lonlat = record.get("lonlat")
    values["geom"] = from_shape(Point(*lonlat), srid=SRID) if lonlat else None
    return values
