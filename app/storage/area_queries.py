"""Reading areas and context layers (a mixin of ``Repository``)."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.storage import dialects
from app.storage.schema import area_sets, areas, context_features, resources


class AreaQueries:
    """Area and context reads; expects ``self.reads`` (an engine) and ``self.dialect``."""

    def find_areas(self, *, kind=None, city=None, bbox=None, provenance=None, limit=500, offset=0,
                   ids=None) -> list[dict]:
        query = self._area_select().where(*self._area_filters(kind, city, bbox, provenance, ids))
        with self.reads.connect() as conn:
            return [decoded(r._mapping) for r in conn.execute(query.limit(limit).offset(offset))]

    def count_areas(self, *, kind=None, city=None, bbox=None, provenance=None) -> int:
        joined = areas.join(area_sets, areas.c.area_set_id == area_sets.c.id)
        query = select(func.count()).select_from(joined).where(
            *self._area_filters(kind, city, bbox, provenance, None))
        with self.reads.connect() as conn:
            return conn.execute(query).scalar_one()

    def _area_filters(self, kind, city, bbox, provenance, ids):
        clauses = []
        if kind:
            clauses.append(area_sets.c.kind == kind)
        if provenance:
            clauses.append(area_sets.c.provenance == provenance)
        if city:
            clauses.append(areas.c.city_code == city)
        if bbox:
            clauses.append(dialects.bbox_filter(self.dialect, areas, bbox))
        if ids is not None:
            clauses.append(areas.c.id.in_(list(ids)))
        return clauses

    def areas_at(self, lon: float, lat: float) -> list[dict]:
        """Every stored area containing the point, all kinds."""
        here = dialects.point(lon, lat)
        contains = func.ST_Contains(areas.c.geom, here)
        query = (self._area_select(with_geometry=False)
                 .where(dialects.index_candidates(self.dialect, areas, (lon, lat, lon, lat)))
                 .where(contains == 1 if self.dialect == "sqlite" else contains))
        with self.reads.connect() as conn:
            return [decoded(r._mapping) for r in conn.execute(query)]

    def _area_select(self, with_geometry: bool = True):
        cols = [areas.c.id, areas.c.code, areas.c.name, areas.c.city_code, areas.c.properties,
                area_sets.c.kind, area_sets.c.name.label("set_name"), area_sets.c.provenance,
                area_sets.c.source]
        if with_geometry:
            cols.append(dialects.geojson(areas.c.geom).label("geometry"))
        return (select(*cols).join(area_sets, areas.c.area_set_id == area_sets.c.id)
                .order_by(area_sets.c.kind, areas.c.city_code, areas.c.code))

    def extent(self, *, kind: str, provenance: str | None = None) -> list[float] | None:
        """Bounding box [minx, miny, maxx, maxy] of a public resource kind or an area kind."""
        if provenance is None:
            query = select(*dialects.bounds(self.dialect, resources.c.geom)).where(
                resources.c.kind == kind, resources.c.restricted.is_(False), resources.c.geom.is_not(None),
                resources.c.deleted_at.is_(None))
        else:
            query = (select(*dialects.bounds(self.dialect, areas.c.geom))
                     .select_from(areas.join(area_sets, areas.c.area_set_id == area_sets.c.id))
                     .where(area_sets.c.kind == kind, area_sets.c.provenance == provenance))
        with self.reads.connect() as conn:
            row = conn.execute(query).one()
        return None if row[0] is None else [round(float(v), 6) for v in row]

    def find_context(self, *, bbox, layers=("railway", "river")) -> list[dict]:
        """Context lines (railways, rivers) meeting ``bbox``, as GeoJSON geometries."""
        query = (select(context_features.c.layer, context_features.c.name,
                        dialects.geojson(context_features.c.geom).label("geometry"))
                 .where(context_features.c.layer.in_(layers),
                        dialects.bbox_filter(self.dialect, context_features, bbox)))
        with self.reads.connect() as conn:
            return [decoded(r._mapping) for r in conn.execute(query)]


def decoded(mapping) -> dict:
    """A result row as a dict, GeoJSON and JSON columns parsed."""
    row = dict(mapping)
    if isinstance(row.get("geometry"), str):
        row["geometry"] = json.loads(row["geometry"])
    for key in ("attributes", "properties"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return row
