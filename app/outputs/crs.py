"""Coordinates in the reference system an OGC client asks for (OGC API – Features, Part 2).

Places are stored in lon/lat (CRS84). A client may ask for JGD2011 (EPSG:6668), the plane
rectangular zone IX of the Tama cities (EPSG:6677, metres), WGS 84 (EPSG:4326) or Web Mercator
(EPSG:3857); coordinates then come in that system's own axis order, as Part 2 says (EPSG:4326
and 6668 latitude first; 6677 northing first), and a ``bbox`` may be given in any of them.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/"
SUPPORTED = (CRS84, *(f"{EPSG_URI}{code}" for code in (4326, 6668, 6677, 3857)))
STORAGE_CRS = CRS84


class UnknownCrs(ValueError):
    """A CRS this service does not offer (the message lists those it does)."""


def _name(uri: str) -> str:
    if uri not in SUPPORTED:
        raise UnknownCrs(f"{uri[:120]!r} is not offered; use one of {', '.join(SUPPORTED)}")
    return "OGC:CRS84" if uri == CRS84 else f"EPSG:{uri.removeprefix(EPSG_URI)}"


@lru_cache(maxsize=len(SUPPORTED))
def _from_storage(uri: str) -> Transformer:
    return Transformer.from_crs("OGC:CRS84", _name(uri), always_xy=False)


@lru_cache(maxsize=len(SUPPORTED))
def _to_storage(uri: str) -> Transformer:
    return Transformer.from_crs(_name(uri), "OGC:CRS84", always_xy=False)


def check(uri: str) -> str:
    """``uri`` if offered; ``UnknownCrs`` otherwise."""
    _name(uri)
    return uri


def feature_in(feature: dict, uri: str) -> dict:
    """``feature`` (CRS84) with its geometry in ``uri``, in that system's axis order."""
    if uri == CRS84 or not feature.get("geometry"):
        return feature
    transformer = _from_storage(uri)

    def move(xy: np.ndarray) -> np.ndarray:
        first, second = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([first, second])

    return {**feature, "geometry": mapping(shapely.transform(shape(feature["geometry"]), move))}


def bbox_in_storage(bbox: tuple[float, float, float, float], uri: str) -> tuple[float, float, float, float]:
    """A bounding box written in ``uri`` (its axis order) as minlon, minlat, maxlon, maxlat."""
    if uri == CRS84:
        return bbox
    return tuple(_to_storage(uri).transform_bounds(*bbox))
