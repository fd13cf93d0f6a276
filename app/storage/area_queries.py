"""Reading areas, cities, population units and context layers (a mixin of ``Repository``).

As for resources: ``find_areas`` gives feature records (GeoJSON from the database) for
serving; ``*_frame`` methods give GeoDataFrames, decoded in bulk from WKB with
``shapely.from_wkb`` rather than one geometry at a time.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import func, select

from app.storage.cql import AREA_QUERYABLES, to_clause
from app.storage.resource_queries import like_escaped
from app.storage.rows import decoded
from app.storage.schema import (
    EXTRA_MEASURES,
    area_sets,
    areas,
    context_features,
    datasets,
    population_units,
    resources,
)

AREA_COLUMNS = ("id", "code", "name", "city_code", "properties", "resource_id", "kind", "set_name",
                "provenance", "source")
POPULATION_COLUMNS = ("unit_type", "code", "name", "city_code", "year", "total", "age65", "age75",
                      *EXTRA_MEASURES)


def frame_from_rows(rows: list[dict], columns, geometry_key: str = "wkb") -> gpd.GeoDataFrame:
    """A GeoDataFrame in EPSG:4326 from rows carrying WKB bytes under ``geometry_key``.

    Returns
    -------
    GeoDataFrame
        ``columns`` and a ``geometry`` column decoded in one vectorised call.
    """
    frame = pd.DataFrame(rows, columns=[*columns, geometry_key])
    geometry = shapely.from_wkb([bytes(b) if b is not None else None for b in frame[geometry_key]])
    return gpd.GeoDataFrame(frame.drop(columns=geometry_key), geometry=geometry, crs="EPSG:4326")


class AreaQueries:
    """Area, city, population and context reads; expects ``self.reads`` and ``self.dialect``."""

    def find_areas(self, *, kind=None, city=None, bbox=None, provenance=None, limit=500, offset=0,
                   ids=None, cql=None) -> list[dict]:
        """Areas as feature records with a GeoJSON geometry, for serving (``cql``: a parsed CQL2 filter)."""
        query = self._area_select(self.dialect.geojson(areas.c.geom).label("geometry")).where(
            *self._area_filters(kind, city, bbox, provenance, ids, cql))
        with self.reads.connect() as conn:
            return [decoded(r._mapping) for r in conn.execute(query.limit(limit).offset(offset))]

    def areas_frame(self, *, kind=None, city=None, bbox=None, provenance=None, set_name=None,
                    codes=None) -> gpd.GeoDataFrame:
        """Areas as a GeoDataFrame (multipolygons, EPSG:4326).

        Returns
        -------
        GeoDataFrame
            ``AREA_COLUMNS`` and ``geometry``, ordered by kind, city and code.
        """
        query = self._area_select(self.dialect.wkb(areas.c.geom).label("wkb")).where(
            *self._area_filters(kind, city, bbox, provenance, None))
        if set_name is not None:
            query = query.where(area_sets.c.name == set_name)
        if codes is not None:
            query = query.where(areas.c.code.in_(list(codes)))
        with self.reads.connect() as conn:
            rows = [decoded(r._mapping) for r in conn.execute(query)]
        return frame_from_rows(rows, AREA_COLUMNS)

    def count_areas(self, *, kind=None, city=None, bbox=None, provenance=None, cql=None) -> int:
        """How many areas match."""
        joined = areas.join(area_sets, areas.c.area_set_id == area_sets.c.id)
        query = select(func.count()).select_from(joined).where(
            *self._area_filters(kind, city, bbox, provenance, None, cql))
        with self.reads.connect() as conn:
            return conn.execute(query).scalar_one()

    def _area_filters(self, kind, city, bbox, provenance, ids, cql=None):
        clauses = [] if cql is None else [to_clause(cql, self.dialect.truth, AREA_QUERYABLES)]
        if kind:
            clauses.append(area_sets.c.kind == kind)
        if provenance:
            clauses.append(area_sets.c.provenance == provenance)
        if city:
            clauses.append(areas.c.city_code == city)
        if bbox:
            clauses.append(self.dialect.bbox_filter(areas, bbox))
        if ids is not None:
            clauses.append(areas.c.id.in_(list(ids)))
        return clauses

    def area_attributions(self) -> dict[tuple[str, str], list[str]]:
        """(kind, provenance) → the attribution lines of the datasets its areas came from.

        Official and approximate districts of one kind come from different sources: each layer
        carries its own credit (A27 for the official, the GSI school list for the approximate).
        """
        query = (select(area_sets.c.kind, area_sets.c.provenance, datasets.c.attribution).distinct()
                 .join(areas, areas.c.area_set_id == area_sets.c.id)
                 .join(datasets, areas.c.dataset_id == datasets.c.id)
                 .order_by(area_sets.c.kind, area_sets.c.provenance, datasets.c.attribution))
        out: dict[tuple[str, str], list[str]] = {}
        with self.reads.connect() as conn:
            for kind, provenance, attribution in conn.execute(query):
                out.setdefault((kind, provenance), []).append(attribution)
        return out

    def area_set_list(self) -> list[dict]:
        """Every area set: ``kind``, ``name``, ``provenance``, ``source``, by kind and name."""
        query = select(area_sets.c.kind, area_sets.c.name, area_sets.c.provenance, area_sets.c.source)
        with self.reads.connect() as conn:
            rows = conn.execute(query.order_by(area_sets.c.kind, area_sets.c.name))
            return [dict(r._mapping) for r in rows]

    def areas_at(self, lon: float, lat: float) -> list[dict]:
        """Every stored area containing the point, all kinds (without geometry)."""
        query = (self._area_select()
                 .where(self.dialect.index_candidates(areas, (lon, lat, lon, lat)))
                 .where(self.dialect.contains(areas.c.geom, lon, lat)))
        with self.reads.connect() as conn:
            return [decoded(r._mapping) for r in conn.execute(query)]

    def _area_select(self, *geometry):
        cols = [areas.c.id, areas.c.code, areas.c.name, areas.c.city_code, areas.c.properties,
                areas.c.resource_id, area_sets.c.kind, area_sets.c.name.label("set_name"),
                area_sets.c.provenance, area_sets.c.source, *geometry]
        return (select(*cols).join(area_sets, areas.c.area_set_id == area_sets.c.id)
                .order_by(area_sets.c.kind, areas.c.city_code, areas.c.code))

    def cities_frame(self) -> gpd.GeoDataFrame:
        """City polygons: ``code``, ``name``, ``geometry`` (EPSG:4326), ordered by code."""
        query = (select(areas.c.code, areas.c.name, self.dialect.wkb(areas.c.geom).label("wkb"))
                 .join(area_sets, areas.c.area_set_id == area_sets.c.id)
                 .where(area_sets.c.kind == "city").order_by(areas.c.code))
        with self.reads.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        return frame_from_rows(rows, ("code", "name"))

    def city_names(self) -> dict[str, str]:
        """Code → name of the stored cities, without loading their polygons."""
        query = (select(areas.c.code, areas.c.name).join(area_sets, areas.c.area_set_id == area_sets.c.id)
                 .where(area_sets.c.kind == "city").order_by(areas.c.code))
        with self.reads.connect() as conn:
            return {r.code: r.name for r in conn.execute(query)}

    def population_frame(self, unit_type: str | None = None, bbox=None) -> gpd.GeoDataFrame:
        """Population units (mesh cells or 町丁目 points), decoded in bulk; those meeting ``bbox`` if given.

        Returns
        -------
        GeoDataFrame
            ``POPULATION_COLUMNS`` and ``geometry`` in EPSG:4326.
        """
        query = select(*[population_units.c[c] for c in POPULATION_COLUMNS],
                       self.dialect.wkb(population_units.c.geom).label("wkb")).order_by(population_units.c.id)
        if unit_type:
            query = query.where(population_units.c.unit_type == unit_type)
        if bbox is not None:
            query = query.where(self.dialect.bbox_filter(population_units, bbox))
        with self.reads.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        return frame_from_rows(rows, POPULATION_COLUMNS)

    def extent(self, *, kind: str, provenance: str | None = None) -> list[float] | None:
        """Bounding box [minx, miny, maxx, maxy] of a public resource kind or an area kind."""
        if provenance is None:
            query = select(*self.dialect.bounds(resources.c.geom)).where(
                resources.c.kind == kind, resources.c.restricted.is_(False), resources.c.geom.is_not(None),
                resources.c.deleted_at.is_(None))
        else:
            query = (select(*self.dialect.bounds(areas.c.geom))
                     .select_from(areas.join(area_sets, areas.c.area_set_id == area_sets.c.id))
                     .where(area_sets.c.kind == kind, area_sets.c.provenance == provenance))
        with self.reads.connect() as conn:
            row = conn.execute(query).one()
        return None if row[0] is None else [round(float(v), 6) for v in row]

    def context_frame(self, *, bbox, layers=("railway", "river")) -> gpd.GeoDataFrame:
        """Context features (railways, rivers, stations) meeting ``bbox``: ``layer``, ``name``."""
        query = (select(context_features.c.layer, context_features.c.name,
                        self.dialect.wkb(context_features.c.geom).label("wkb"))
                 .where(context_features.c.layer.in_(layers),
                        self.dialect.bbox_filter(context_features, bbox)))
        with self.reads.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        return frame_from_rows(rows, ("layer", "name"))


    def find_context(self, *, layer: str, q: str, limit: int = 10) -> gpd.GeoDataFrame:
        """Context features of ``layer`` whose name contains ``q`` (stations by name): ``name``, ``layer``."""
        query = (select(context_features.c.layer, context_features.c.name,
                        self.dialect.wkb(context_features.c.geom).label("wkb"))
                 .where(context_features.c.layer == layer,
                        context_features.c.name.like(f"%{like_escaped(q)}%", escape="\\"))
                 .order_by(func.length(context_features.c.name), context_features.c.name).limit(limit))
        with self.reads.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
        return frame_from_rows(rows, ("layer", "name"))
