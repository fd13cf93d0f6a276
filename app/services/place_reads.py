"""The stored places one city's analysis needs: those that can be nearest to its people.

Reading every place of a kind for every city makes a batch over a nation quadratic (docs/scale.md).
With straight-line distances a box around the city's people, widened until each person's nearest
place in it lies nearer than the box's edge, holds every person's nearest place of the whole
database: a place outside the box is farther from everyone inside than the edge is. Walking
networks are not bounded this way (a walk may leave any box), nor are all-city queries.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
from pyproj import Transformer
from scipy.spatial import cKDTree

from app.domain.projection import METRIC_CRS, xy

MARGINS_M = (2_000, 8_000, 32_000)  # then everything
PAD_DEG = 0.001  # about 100 m: the box's edges bend a little in lon/lat


def lonlat_box(lo: np.ndarray, hi: np.ndarray) -> tuple[float, float, float, float]:
    """The lon/lat bounds holding the metric rectangle ``lo``–``hi`` (densified edges, padded)."""
    to_lonlat = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
    minx, miny, maxx, maxy = to_lonlat.transform_bounds(lo[0], lo[1], hi[0], hi[1], densify_pts=21)
    return minx - PAD_DEG, miny - PAD_DEG, maxx + PAD_DEG, maxy + PAD_DEG


def near_enough(read: Callable[[tuple | None], gpd.GeoDataFrame], people_xy: np.ndarray) -> gpd.GeoDataFrame:
    """``read(box)`` for the smallest widening of the box around ``people_xy`` that is enough.

    Parameters
    ----------
    read : callable
        Box (lon/lat, or None for everything) → the places the analysis counts, in METRIC_CRS.
    people_xy : ndarray
        The demand points in METRIC_CRS metres, shape (n, 2).

    Returns
    -------
    GeoDataFrame
        The places read: every person's nearest place of the whole database is among them.
    """
    if len(people_xy) == 0:
        return read(None)
    lo, hi = people_xy.min(axis=0), people_xy.max(axis=0)
    for margin in MARGINS_M:
        frame = read(lonlat_box(lo - margin, hi + margin))
        if len(frame):
            distance, _ = cKDTree(xy(frame)).query(people_xy)
            if (distance < margin).all():
                return frame
    return read(None)
