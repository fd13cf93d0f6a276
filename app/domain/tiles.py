"""Which tiles exist: the WebMercatorQuad tile matrix set and the zoom levels a layer is tiled at.

OGC API – Tiles names a tile by its matrix (zoom), row and column; ``morecantile`` holds the
standard's definition of WebMercatorQuad, so the bounds here are the ones every client computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import morecantile

MATRIX_SET = "WebMercatorQuad"
# Below z8 one tile holds several prefectures: a point layer of a whole country in one answer.
# Above z18 a tile is a few houses wide, and every place is already apart at z18.
MIN_ZOOM, MAX_ZOOM = 8, 18
EXTENT = 4096  # the tile's own grid, as MVT clients expect
BUFFER = 64  # drawn past the edge, so that a symbol or outline is not cut where tiles meet
# What a tile carries of each row beside its id (the feature id): enough to label and style it; the
# rest is one request away (the Feature at /ogcapi/collections/{id}/items/{id}). All text.
PLACE_PROPERTIES = ("name", "kind", "category", "city_code")
AREA_PROPERTIES = ("code", "name", "city_code")


class NoSuchTile(ValueError):
    """The tile asked for lies outside the matrix set or the zooms the layer is tiled at."""


@dataclass(frozen=True)
class Tile:
    """One tile: its address, its bounds in EPSG:3857 and, widened by the buffer, in lon/lat."""

    zoom: int
    row: int
    col: int
    bounds: tuple[float, float, float, float]  # EPSG:3857, the tile's own square
    lonlat: tuple[float, float, float, float]  # what to read: the square and its buffer, in CRS84


@cache
def matrix_set() -> morecantile.TileMatrixSet:
    """The WebMercatorQuad tile matrix set as the standard defines it."""
    return morecantile.tms.get(MATRIX_SET)


@lru_cache(maxsize=4096)
def tile(zoom: int, row: int, col: int) -> Tile:
    """The tile at ``zoom``/``row``/``col``; ``NoSuchTile`` when no such tile is served."""
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise NoSuchTile(f"tiles are served from zoom {MIN_ZOOM} to {MAX_ZOOM}")
    if not (0 <= row < 2**zoom and 0 <= col < 2**zoom):
        raise NoSuchTile(f"zoom {zoom} has rows and columns 0 to {2**zoom - 1}")
    tms = matrix_set()
    left, bottom, right, top = tms.xy_bounds(col, row, zoom)
    pad = (right - left) * BUFFER / EXTENT
    west, south = tms.lnglat(left - pad, bottom - pad)
    east, north = tms.lnglat(right + pad, top + pad)
    return Tile(zoom, row, col, (left, bottom, right, top), (west, south, east, north))


def limits() -> list[dict]:
    """The ``tileMatrixSetLimits`` of every tiled layer: each zoom served, whole (all rows, columns)."""
    return [{"tileMatrix": str(z), "minTileRow": 0, "maxTileRow": 2**z - 1, "minTileCol": 0,
             "maxTileCol": 2**z - 1} for z in range(MIN_ZOOM, MAX_ZOOM + 1)]
