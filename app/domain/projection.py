"""Coordinate reference systems: lon/lat for storage, metres (EPSG:6677) for distances.

Every metric computation projects here, after checking that its inputs say what CRS they
are in: a frame without one is an error, never silently taken for degrees.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

STORAGE_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:6677"  # JGD2011 / Japan Plane Rectangular CS IX, for Tokyo


def require_crs(*frames: gpd.GeoDataFrame) -> None:
    """Raise ``ValueError`` when any frame has no CRS."""
    if any(frame.crs is None for frame in frames):
        raise ValueError("every GeoDataFrame needs a CRS (set it, or reproject it with to_crs)")


@lru_cache(maxsize=1)
def metric_transformer() -> Transformer:
    """lon/lat → EPSG:6677 metres (x east, y north)."""
    return Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True)


def _project(coords: np.ndarray) -> np.ndarray:
    x, y = metric_transformer().transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def to_metric(geom: BaseGeometry) -> BaseGeometry:
    """Project a lon/lat geometry to metres (EPSG:6677)."""
    return shapely.transform(geom, _project)


def xy(points: gpd.GeoDataFrame | gpd.GeoSeries, crs: str | None = None) -> np.ndarray:
    """Point coordinates as an (n, 2) array, in ``crs`` when given (else the frame's own).

    Returns
    -------
    ndarray
        Shape (n, 2); (0, 2) for an empty frame.
    """
    if len(points) == 0:
        return np.zeros((0, 2))
    if crs is not None:
        require_crs(points)
        points = points.to_crs(crs)
    geometry = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    return np.column_stack([geometry.x.to_numpy(), geometry.y.to_numpy()])
