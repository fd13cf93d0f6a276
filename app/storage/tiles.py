"""Mapbox Vector Tiles of places and areas (a mixin of ``Repository``), built where the data is.

PostGIS builds a tile in one statement (``ST_AsMVTGeom`` clips and grids, ``ST_AsMVT`` encodes);
SpatiaLite reads the rows meeting the tile and ``mapbox-vector-tile`` encodes them the same way:
projected to EPSG:3857, clipped to the tile and its buffer, on a grid of ``EXTENT``. The rows are
chosen by the filters every other read uses (``filter_shape``), so a tile shows no more than the
viewer may read anywhere else.
"""

from __future__ import annotations

import mapbox_vector_tile
import numpy as np
import shapely
from pyproj import Transformer
from sqlalchemy import Float, bindparam, func, literal_column, select

from app.domain.tiles import AREA_PROPERTIES, BUFFER, EXTENT, PLACE_PROPERTIES, Tile
from app.storage.resource_queries import filter_shape
from app.storage.schema import area_sets, areas, resources

_TO_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


class TileQueries:
    """Tile reads; expects ``self.reads``, ``self.dialect`` and ``self._filter_clauses``."""

    def place_tile(self, tile: Tile, layer: str, **filters) -> bytes:
        """The places meeting ``tile`` that ``filters`` choose (as ``find_resources``), one MVT layer."""
        shape, params = filter_shape(bbox=tile.lonlat, placed_only=True, **filters)
        columns = [resources.c.id, *(resources.c[c] for c in PLACE_PROPERTIES)]
        query = select(*columns).where(*self._filter_clauses(shape))
        return self._tile(query, resources.c.geom, tile, layer, params)

    def area_tile(self, tile: Tile, layer: str, *, kind: str, provenance: str) -> bytes:
        """The areas of ``kind`` and ``provenance`` meeting ``tile``, one MVT layer."""
        box = tuple(bindparam(k, type_=Float) for k in ("minx", "miny", "maxx", "maxy"))
        columns = [areas.c.id, *(areas.c[c] for c in AREA_PROPERTIES)]
        query = (select(*columns).join(area_sets, areas.c.area_set_id == area_sets.c.id)
                 .where(area_sets.c.kind == kind, area_sets.c.provenance == provenance,
                        self.dialect.bbox_filter(areas, box)))
        params = dict(zip(("minx", "miny", "maxx", "maxy"), tile.lonlat, strict=True))
        return self._tile(query, areas.c.geom, tile, layer, params)

    def _tile(self, query, geom, tile: Tile, layer: str, params: dict) -> bytes:
        if self.dialect.name == "postgresql":
            return self._database_tile(query, geom, tile, layer, params)
        with self.reads.connect() as conn:
            rows = conn.execute(query.add_columns(self.dialect.wkb(geom).label("wkb")), params).all()
        return encoded(rows, tile, layer)

    def _database_tile(self, query, geom, tile: Tile, layer: str, params: dict) -> bytes:
        envelope = func.ST_MakeEnvelope(*tile.bounds, 3857)
        drawn = func.ST_AsMVTGeom(func.ST_Transform(geom, 3857), envelope, EXTENT, BUFFER, True)
        inner = query.add_columns(drawn.label("mvt_geom")).subquery("t")
        # Rows whose geometry vanishes on the grid (a sliver at the edge) are left out, as the
        # Python encoder leaves them.
        outer = (select(func.ST_AsMVT(literal_column("t.*"), layer, EXTENT, "mvt_geom", "id"))
                 .select_from(inner).where(inner.c.mvt_geom.is_not(None)))
        with self.reads.connect() as conn:
            return bytes(conn.execute(outer, params).scalar() or b"")


def encoded(rows, tile: Tile, layer: str) -> bytes:
    """Rows (``id``, properties, ``wkb`` in lon/lat) as one MVT layer of ``tile``; empty for none."""
    if not rows:
        return b""
    geoms = shapely.from_wkb([r.wkb for r in rows])
    geoms = shapely.transform(geoms, lambda xy: np.column_stack(_TO_MERCATOR.transform(xy[:, 0], xy[:, 1])))
    left, bottom, right, top = tile.bounds
    pad = (right - left) * BUFFER / EXTENT
    geoms = shapely.clip_by_rect(geoms, left - pad, bottom - pad, right + pad, top + pad)
    features = [{"id": row.id, "geometry": geom, "properties": {
                     k: v for k, v in row._mapping.items() if k not in ("id", "wkb") and v is not None}}
                for row, geom in zip(rows, geoms, strict=True) if not geom.is_empty]
    if not features:
        return b""
    return mapbox_vector_tile.encode([{"name": layer, "features": features}], default_options={
        "quantize_bounds": tile.bounds, "extents": EXTENT, "y_coord_down": False})
