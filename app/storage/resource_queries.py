"""Reading resources (a mixin of ``Repository``): feature pages for serving, frames for analysis.

Two forms, each for one purpose: ``find_resources`` returns feature records whose geometry is
GeoJSON rendered by the database (an API page goes out without a round trip through shapely);
``resources_frame`` returns a GeoDataFrame for everything that computes.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Float, and_, bindparam, func, or_, select

from app.storage.cql import to_clause
from app.storage.partitions import prefecture_of
from app.storage.rows import decoded
from app.storage.schema import HAZARD_COLUMNS, datasets, resources, site_access, site_capacities

RESOURCE_COLUMNS = ("kind", "name", "address", "city_code", "external_id", "site_key",
                    "source_row", "placement", "placement_detail", "capacity",
                    "welfare_shelter", "category", "targets", "attributes")
FRAME_COLUMNS = ("id", "kind", "name", "address", "city_code", "capacity", "welfare_shelter",
                 "restricted", "placement", "placement_detail", "external_id", "category", "targets",
                 "attributes", "hazards", "source", "source_date")


def hazard_values(keys) -> dict[str, bool]:
    """Column values for a set of hazard keys (every hazard column, True or False)."""
    wanted = set(keys or ())
    unknown = wanted - set(HAZARD_COLUMNS)
    if unknown:
        raise ValueError(f"unknown hazard {', '.join(sorted(unknown))}")
    return {column: key in wanted for key, column in HAZARD_COLUMNS.items()}


def like_escaped(text: str) -> str:
    """``text`` for a LIKE pattern escaped by backslash: a typed % or _ is that character."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _listed(column: str):
    """A site's value from the newest capacity list naming it (None when no list does)."""
    return (select(site_capacities.c[column])
            .where(resources.c.site_key != "", site_capacities.c.site_key == resources.c.site_key,
                   site_capacities.c.kind == resources.c.kind)
            .order_by(site_capacities.c.dataset_id.desc()).limit(1).scalar_subquery())


def filter_shape(*, kinds=None, city=None, bbox=None, q=None, hazard=None, include_restricted=False,
                 placed_only=False, ids=None, name=None, restricted_cities=(),
                 include_deleted=False, near=None, sort=None) -> tuple[tuple, dict]:
    """Which filters a query uses (the statement's shape) and their values.

    Parameters
    ----------
    restricted_cities : iterable of str
        Cities whose restricted rows the caller may see (coordinators); none for the public.
    include_restricted : bool
        Every restricted row (internal use: counts for privacy tables).
    near : (lon, lat), optional
        Rows nearest this point first, so that a page (``limit``) holds the nearest ones.
    sort : sequence of (column, descending), optional
        The page's order (OGC ``sortby``); ties broken by id, empty values last.

    Returns
    -------
    shape, params
        A hashable tuple naming the filters used, and the bind values.
    """
    if hazard is not None and hazard not in HAZARD_COLUMNS:
        raise ValueError(f"unknown hazard {hazard!r}")
    shape, params = [], {}
    for flag, used, binds in (
        ("ids", ids is not None, {"ids": list(ids or ())}), ("name", bool(name), {"name": name}),
        ("kinds", bool(kinds), {"kinds": list(kinds or ())}),
        ("city", bool(city), {"city": city, "pref": prefecture_of(city)}),
        ("q", bool(q), {"q": f"%{like_escaped(q or '')}%"}), (("hazard", hazard), bool(hazard), {}),
        ("restricted", include_restricted, {}), ("placed", placed_only, {}),
        ("deleted", include_deleted, {}),
        ("cities", bool(restricted_cities) and not include_restricted,
         {"cities": list(restricted_cities)}),
    ):
        if used:
            shape.append(flag)
            params.update(binds)
    if bbox:
        shape.append("bbox")
        params.update(zip(("minx", "miny", "maxx", "maxy"), (float(v) for v in bbox), strict=True))
    if sort:
        shape.append(("sort", tuple((str(c), bool(d)) for c, d in sort)))
    if near:
        shape.append("near")
        lon, lat = (float(v) for v in near)
        # A degree of longitude is cos(lat) of one of latitude: squared distances then rank as metres do.
        params.update(near_lon=lon, near_lat=lat, near_kx=math.cos(math.radians(lat)) ** 2)
    return tuple(shape), params


def _sorted_by(shape: tuple) -> tuple | None:
    return next((item[1] for item in shape if isinstance(item, tuple) and item[0] == "sort"), None)


def _ordered(table, sort) -> tuple:
    """ORDER BY of ``sort`` on ``table`` (resources or the page): each column, empty last, then id."""
    return (*((table.c[c].desc() if desc else table.c[c].asc()).nulls_last() for c, desc in sort),
            table.c.id)


def _page_order(shape: tuple) -> tuple:
    """A page's order: as sorted, by kind and name, or nearest first (``near``) so a page is bounded."""
    if _sorted_by(shape):
        return _ordered(resources, _sorted_by(shape))
    if "near" not in shape:
        return resources.c.kind, resources.c.name, resources.c.id
    dx = func.ST_X(resources.c.geom) - bindparam("near_lon", type_=Float)
    dy = func.ST_Y(resources.c.geom) - bindparam("near_lat", type_=Float)
    return dx * dx * bindparam("near_kx", type_=Float) + dy * dy, resources.c.id


class ResourceQueries:
    """Resource reads; expects ``self.reads`` (an engine), ``self.dialect`` and ``self._statement``."""

    def count_resources(self, *, cql=None, **filters) -> int:
        """How many resources match ``filters`` (see ``filter_shape``) and the parsed CQL2 ``cql``."""
        shape, params = filter_shape(**filters)
        if cql is not None:  # a filter is its own statement: never cached by shape
            query = select(func.count()).select_from(resources).where(*self._filter_clauses(shape, cql))
            with self.reads.connect() as conn:
                return conn.execute(query, params).scalar_one()
        query = self._statement(("count", shape), lambda: select(func.count()).select_from(resources)
                                .where(*self._filter_clauses(shape)))
        with self.reads.connect() as conn:
            return conn.execute(query, params).scalar_one()

    def stored_rows_by_list(self, kind: str, city_code: str) -> list[dict]:
        """Name, address and the list (dataset key, file) of each live place of ``kind`` in the city."""
        query = (select(resources.c.name, resources.c.address, datasets.c.key, datasets.c.source_file)
                 .join(datasets, resources.c.dataset_id == datasets.c.id)
                 .where(resources.c.kind == kind, resources.c.city_code == city_code,
                        resources.c.pref_code == prefecture_of(city_code), resources.c.deleted_at.is_(None)))
        with self.reads.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def ids_by_identity(self, kind: str, city_code: str, *, external_id: str = "", site_key: str = "",
                        name: str = "") -> list[int]:
        """Ids of the live places of ``kind`` in ``city_code`` with this 共通ID, else site, else name.

        A place's row id changes when its list is imported again; its identity in the source (the
        publisher's id, the site's address key, its name) does not. Tried in that order.
        """
        base = select(resources.c.id).where(resources.c.kind == kind, resources.c.city_code == city_code,
                                            resources.c.pref_code == prefecture_of(city_code),
                                            resources.c.deleted_at.is_(None))
        with self.reads.connect() as conn:
            for column, value in (("external_id", external_id), ("site_key", site_key), ("name", name)):
                if value:
                    found = [r.id for r in conn.execute(base.where(resources.c[column] == value)
                                                        .order_by(resources.c.id))]
                    if found:
                        return found
        return []

    def find_resources(self, *, limit: int = 200, offset: int = 0, cql=None, **filters) -> list[dict]:
        """Resources as dicts with a GeoJSON geometry, their source, and sites they share.

        ``linked`` lists the same site on the other GSI list (指定避難所 ↔ 指定緊急避難場所), found in
        the same query: the page of rows is a subquery joined to its twins by site key.

        Returns
        -------
        list of dict
            One dict per resource; ``hazards`` is a list of hazard keys.
        """
        shape, params = filter_shape(**filters)
        query = self._statement(("find", shape), lambda: self._find_statement(shape)) if cql is None \
            else self._find_statement(shape, cql)  # a CQL2 filter is its own statement, never cached
        rows: list[dict] = []
        with self.reads.connect() as conn:
            for record in conn.execute(query, {**params, "row_limit": limit, "row_offset": offset}):
                mapping = decoded(record._mapping)
                twin = {k: mapping.pop(f"linked_{k}") for k in ("id", "kind", "name")}
                mapping.pop("pref_code")  # the storage's partition key, no one else's business
                if not rows or rows[-1]["id"] != mapping["id"]:
                    rows.append({**mapping, "linked": []})
                if twin["id"] is not None:
                    rows[-1]["linked"].append(twin)
            self._attach_access(conn, rows)
        return rows

    @staticmethod
    def _attach_access(conn, rows: list[dict]) -> None:
        """Each site's accessibility from the newest list naming it (``listed_access``, None if none).

        One query for the page's sites, apart from the page's own: a subquery per row changed the
        page's plan (its twin lookup then read every keyless place).
        """
        keys = {r["site_key"] for r in rows if r["site_key"]}
        newest: dict[tuple[str, str], dict] = {}
        if keys:
            found = conn.execute(select(site_access.c.site_key, site_access.c.kind, site_access.c.access)
                                 .where(site_access.c.site_key.in_(sorted(keys)))
                                 .order_by(site_access.c.dataset_id))
            newest = {(f.site_key, f.kind): f.access for f in found}  # newest list last: it wins
        for row in rows:
            row["listed_access"] = newest.get((row["site_key"], row["kind"]))

    def resources_frame(self, **filters) -> gpd.GeoDataFrame:
        """Matching resources as a GeoDataFrame in EPSG:4326 (unplaced rows: no geometry).

        Returns
        -------
        GeoDataFrame
            Columns ``FRAME_COLUMNS`` and ``geometry`` (points).
        """
        shape, params = filter_shape(**filters)
        query = self._statement(("frame", shape), lambda: self._frame_statement(shape))
        with self.reads.connect() as conn:
            rows = [decoded(r._mapping) for r in conn.execute(query, params)]
        frame = pd.DataFrame(rows, columns=[*FRAME_COLUMNS, "lon", "lat"])
        lon, lat = frame["lon"].to_numpy(dtype=float), frame["lat"].to_numpy(dtype=float)
        placed = np.isfinite(lon)
        geometry = np.full(len(frame), None, dtype=object)
        geometry[placed] = shapely.points(lon[placed], lat[placed])
        return gpd.GeoDataFrame(frame.drop(columns=["lon", "lat"]), geometry=geometry, crs="EPSG:4326")

    def _frame_statement(self, shape: tuple):
        # A capacity entered on the resource wins over one from a list, for analysis as for show.
        columns = [func.coalesce(resources.c.capacity, _listed("capacity")).label("capacity")
                   if c == "capacity" else resources.c[c] for c in FRAME_COLUMNS if c in resources.c]
        return (select(*columns,
                       *[resources.c[c] for c in HAZARD_COLUMNS.values()],
                       datasets.c.attribution.label("source"), datasets.c.source_date,
                       func.ST_X(resources.c.geom).label("lon"), func.ST_Y(resources.c.geom).label("lat"))
                .join(datasets, resources.c.dataset_id == datasets.c.id)
                .where(*self._filter_clauses(shape))
                .order_by(resources.c.kind, resources.c.name, resources.c.id))

    def _find_statement(self, shape: tuple, cql=None):
        columns = ("id", *RESOURCE_COLUMNS, *HAZARD_COLUMNS.values(), "dataset_id", "restricted",
                   "deleted_at", "version", "pref_code")
        page = (select(*[resources.c[c] for c in columns],
                       self.dialect.geojson(resources.c.geom).label("geometry"),
                       datasets.c.attribution.label("source"), datasets.c.source_date,
                       datasets.c.imported_at, _listed("capacity").label("listed_capacity"),
                       _listed("as_of").label("listed_capacity_as_of"))
                .join(datasets, resources.c.dataset_id == datasets.c.id)
                .where(*self._filter_clauses(shape, cql))
                .order_by(*_page_order(shape))
                .limit(bindparam("row_limit")).offset(bindparam("row_offset"))).subquery("page")
        twin = resources.alias("twin")
        # A site key holds its city, so twins share a prefecture: one partition per row, not all.
        # NULLIF: a place without a site key looks up nothing, not every other place without one
        # (20,000 such rows in a viewport made each page row walk them all).
        joined = page.outerjoin(twin, and_(page.c.site_key != "",
                                           twin.c.site_key == func.nullif(page.c.site_key, ""),
                                           twin.c.pref_code == page.c.pref_code,
                                           twin.c.kind != page.c.kind, twin.c.restricted.is_(False),
                                           twin.c.deleted_at.is_(None)))
        sort = _sorted_by(shape)
        outer = _ordered(page, sort) if sort else (page.c.kind, page.c.name, page.c.id)
        return (select(page, twin.c.id.label("linked_id"), twin.c.kind.label("linked_kind"),
                       twin.c.name.label("linked_name"))
                .select_from(joined).order_by(*outer, twin.c.id))

    def _filter_clauses(self, shape: tuple, cql=None) -> list:
        """WHERE clauses for a filter shape (see ``filter_shape``) and a parsed CQL2 filter."""
        flags = set(shape)
        clauses = [] if "deleted" in flags else [resources.c.deleted_at.is_(None)]
        simple = {"ids": lambda: resources.c.id.in_(bindparam("ids", expanding=True)),
                  "name": lambda: resources.c.name == bindparam("name"),
                  "kinds": lambda: resources.c.kind.in_(bindparam("kinds", expanding=True)),
                  # The prefecture as well, so that PostgreSQL reads one partition (``partitions``).
                  "city": lambda: and_(resources.c.city_code == bindparam("city"),
                                       resources.c.pref_code == bindparam("pref")),
                  "placed": lambda: resources.c.geom.is_not(None),
                  "q": lambda: or_(resources.c.name.like(bindparam("q"), escape="\\"),
                                   resources.c.address.like(bindparam("q"), escape="\\"))}
        clauses += [build() for flag, build in simple.items() if flag in flags]
        if "bbox" in flags:
            clauses.append(self.dialect.bbox_filter(resources, tuple(
                bindparam(k, type_=Float) for k in ("minx", "miny", "maxx", "maxy"))))
        for flag in flags:
            if isinstance(flag, tuple) and flag[0] == "hazard":
                clauses.append(resources.c[HAZARD_COLUMNS[flag[1]]].is_(True))
        if "restricted" not in flags:
            visible = resources.c.restricted.is_(False)
            if "cities" in flags:
                visible = or_(visible, resources.c.city_code.in_(bindparam("cities", expanding=True)))
            clauses.append(visible)
        if cql is not None:
            clauses.append(to_clause(cql, self.dialect.truth))
        return clauses

