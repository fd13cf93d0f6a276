"""Approximate school districts: each point of a city goes to its nearest school."""

from __future__ import annotations

import geopandas as gpd
import shapely

from app.domain.placement import METRIC_CRS


def nearest_school_districts(city: gpd.GeoDataFrame, schools: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Voronoi cells of a city's schools clipped to the city, one multipolygon per school.

    Parameters
    ----------
    city : GeoDataFrame
        One row: the city polygon (any CRS).
    schools : GeoDataFrame
        Points with ``name``; those outside the city are ignored, since districts stop at
        the city limit.

    Returns
    -------
    GeoDataFrame
        ``name`` and ``geometry`` in EPSG:4326. Straight-line nearest school is what these
        districts approximate; official districts follow roads and history, not distance.
    """
    if city.crs is None or schools.crs is None:
        raise ValueError("city and schools need a CRS")
    boundary = city.to_crs(METRIC_CRS).geometry.union_all()
    points = schools.to_crs(METRIC_CRS)
    points = points[points.geometry.within(boundary)]
    if points.empty:
        return gpd.GeoDataFrame({"name": []}, geometry=[], crs="EPSG:4326")
    cells = shapely.voronoi_polygons(shapely.MultiPoint(list(points.geometry)), extend_to=boundary)
    rows = []
    tree = shapely.STRtree(list(points.geometry))
    for cell in cells.geoms:
        school = tree.query(cell, predicate="contains")
        clipped = cell.intersection(boundary)
        if len(school) and not clipped.is_empty:
            rows.append({"name": points.iloc[school[0]]["name"], "geometry": clipped})
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_CRS).dissolve("name").reset_index()
    return frame.to_crs("EPSG:4326")
