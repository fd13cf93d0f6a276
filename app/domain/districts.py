"""Approximate school districts: each point of a city goes to its nearest school."""

from __future__ import annotations

import geopandas as gpd
import shapely

from app.domain.projection import METRIC_CRS


def nearest_school_districts(city: gpd.GeoDataFrame, schools: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Approximate districts: every place goes to its nearest school (see ``nearest_point_cells``)."""
    return nearest_point_cells(city, schools, "name")


def nearest_point_cells(city: gpd.GeoDataFrame, points: gpd.GeoDataFrame, name_col: str) -> gpd.GeoDataFrame:
    """Voronoi cells of points clipped to the city, dissolved into one multipolygon per name.

    Parameters
    ----------
    city : GeoDataFrame
        One row: the city polygon (any CRS).
    points : GeoDataFrame
        Points with a ``name_col`` column; those outside the city are ignored, since the
        cells stop at the city limit. Several points may share a name (a 町丁目 list area).

    Returns
    -------
    GeoDataFrame
        ``name_col`` and ``geometry`` in EPSG:4326. Nearest point by straight line is what
        these cells approximate; official areas follow roads and history, not distance.
    """
    if city.crs is None or points.crs is None:
        raise ValueError("city and points need a CRS")
    boundary = city.to_crs(METRIC_CRS).geometry.union_all()
    points = points.to_crs(METRIC_CRS)
    points = points[points.geometry.within(boundary)].reset_index(drop=True)
    if points.empty:
        return gpd.GeoDataFrame({name_col: []}, geometry=[], crs="EPSG:4326")
    cells = shapely.voronoi_polygons(shapely.MultiPoint(list(points.geometry)), extend_to=boundary)
    rows = []
    tree = shapely.STRtree(list(points.geometry))
    for cell in cells.geoms:
        owner = tree.query(cell, predicate="contains")
        clipped = cell.intersection(boundary)
        if len(owner) and not clipped.is_empty:
            rows.append({name_col: points.iloc[owner[0]][name_col], "geometry": clipped})
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_CRS).dissolve(name_col).reset_index()
    return frame.to_crs("EPSG:4326")


# An area drawn a little past its city's edge (a river, a shared road) is still its city's; one
# farther than this from the city it names is in the wrong place (a wrong CRS, a wrong city code).
NEAR_CITY_M = 1000


def far_from_their_city(areas: gpd.GeoDataFrame, cities: gpd.GeoDataFrame) -> list[tuple[str, str, float]]:
    """Areas (EPSG:4326, with ``city_code``) that lie away from the stored city they name.

    Returns
    -------
    list of (name, city name, km)
        Each such area with how far it lies from its city; areas of cities not stored are not
        judged (a prefecture's file holds cities this database does not).
    """
    stored = cities.set_index("code")
    named = areas[areas["city_code"].isin(stored.index)]
    if named.empty:
        return []
    own = gpd.GeoSeries(stored.geometry.loc[named["city_code"]].to_numpy(), crs=cities.crs).to_crs(METRIC_CRS)
    gaps = shapely.distance(named.geometry.to_crs(METRIC_CRS).to_numpy(), own.to_numpy())
    return [(str(name), str(stored.loc[code, "name"]), round(float(gap) / 1000, 1))
            for name, code, gap in zip(named["name"], named["city_code"], gaps, strict=True)
            if gap > NEAR_CITY_M]
