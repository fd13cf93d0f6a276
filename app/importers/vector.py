"""Reading vector files (GeoJSON, Shapefile, GeoPackage) with CRS and geometry checks."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from app.importers.report import ImportFailed, RowError

SUPPORTED = (".geojson", ".json", ".shp", ".gpkg", ".zip")


def read_vector(path: Path, declared_crs: str | None = None) -> gpd.GeoDataFrame:
    """Read ``path`` and return it in EPSG:4326, 2-D.

    Parameters
    ----------
    path : Path
        Vector file readable by GDAL.
    declared_crs : str, optional
        CRS to assume (e.g. ``EPSG:6677``) when the file has none (a Shapefile without .prj).
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        raise ImportFailed([RowError(str(path), None, None, "file not found")])
    if path.suffix.lower() not in SUPPORTED:
        raise ImportFailed([RowError(name, None, None, f"unsupported file type {path.suffix!r}; "
                                     f"use one of {', '.join(SUPPORTED)}")])
    if path.stat().st_size == 0:
        raise ImportFailed([RowError(name, None, None, "the file is empty")])
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:
        raise ImportFailed([RowError(name, None, None, f"cannot read as a vector file: {exc}")]) from exc
    if frame.empty:
        raise ImportFailed([RowError(name, None, None, "the file has no features")])
    frame = _with_crs(frame, name, declared_crs)
    frame = frame.set_geometry(shapely.force_2d(frame.geometry.values))
    return frame.to_crs("EPSG:4326")


def _impossible_degrees(frame: gpd.GeoDataFrame) -> tuple[float, float] | None:
    """A corner of the data that cannot be longitude/latitude, or None when all can."""
    minx, miny, maxx, maxy = frame.total_bounds
    for x, y in ((minx, miny), (maxx, maxy)):
        if not (-180 <= x <= 180 and -90 <= y <= 90):
            return float(x), float(y)
    return None


def _with_crs(frame, name, declared_crs):
    # GeoJSON readers assume EPSG:4326 when a file says nothing, so "the file's CRS" may be
    # only that assumption: coordinates that cannot be degrees prove it wrong.
    impossible = _impossible_degrees(frame) if frame.crs is None or frame.crs.is_geographic else None
    if declared_crs:
        try:
            crs = CRS.from_user_input(declared_crs)
        except CRSError:
            raise ImportFailed([RowError(name, None, None, f"unknown CRS {declared_crs!r}; "
                                         "write it as EPSG:NNNN")]) from None
        if frame.crs is not None and CRS(frame.crs) != crs and impossible is None:
            raise ImportFailed([RowError(name, None, None, f"the file says its CRS is "
                                         f"{frame.crs.to_string()} but --crs says {declared_crs}; "
                                         "drop --crs or fix the file")])
        return frame.set_crs(crs, allow_override=True)
    if frame.crs is None:
        raise ImportFailed([RowError(name, None, None, "the file has no CRS (a Shapefile without "
                                     ".prj?); pass --crs, e.g. --crs EPSG:6677 or EPSG:4326")])
    if impossible is not None:
        x, y = impossible
        raise ImportFailed([RowError(name, None, None, f"coordinates such as ({x:.0f}, {y:.0f}) cannot be "
                                     "longitude and latitude: the file is in a projected CRS it does not "
                                     "name; pass it with --crs, e.g. --crs EPSG:6677")])
    return frame


JAPAN = (122.0, 20.0, 154.0, 46.0)  # lon/lat bounds of the country, its far islands included


def outside_japan(frame: gpd.GeoDataFrame, name: str, extent=JAPAN) -> list[RowError]:
    """Features (in EPSG:4326) that lie outside Japan: a projected file read as degrees, mostly.

    Plane rectangular coordinates near a zone's origin are small numbers (metres) that pass for
    degrees somewhere else on Earth; only where they land shows the CRS is wrong.
    """
    bounds = shapely.bounds(frame.geometry.values)
    west, south, east, north = extent

    def in_japan(b) -> bool:
        # An empty geometry has NaN bounds: polygon_errors names it, not this check.
        return any(map(math.isnan, b)) or (west <= b[0] and b[2] <= east and south <= b[1] and b[3] <= north)

    return [RowError(name, number, "geometry", f"lies at ({b[0]:.4f}, {b[1]:.4f}), outside Japan; if the "
                     "file is in a projected CRS (metres), pass it with --crs, e.g. --crs EPSG:6677")
            for number, b in enumerate(bounds, start=1) if not in_japan(b)]


MAX_VERTICES = 1_000_000  # in one feature: more is a drawing error, not a district


def vertex_errors(frame: gpd.GeoDataFrame, name: str) -> list[RowError]:
    """Features too detailed to be an area of this product (they would stall every map)."""
    counts = shapely.get_num_coordinates(frame.geometry.values)
    return [RowError(name, number, "geometry", f"{int(n):,} vertices, more than the {MAX_VERTICES:,} "
                     "allowed in one area; simplify it first (e.g. ogr2ogr -simplify)")
            for number, n in enumerate(counts, start=1) if n > MAX_VERTICES]


def polygon_errors(frame: gpd.GeoDataFrame, name: str, repair: bool) -> tuple[list, list[RowError]]:
    """Check every feature is a valid, non-empty (multi)polygon; repair when asked."""
    geoms, errors = [], []
    for number, geom in enumerate(frame.geometry.values, start=1):
        if geom is None or geom.is_empty:
            errors.append(RowError(name, number, "geometry", "empty geometry; delete the feature "
                                   "or draw its polygon"))
            geoms.append(None)
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            errors.append(RowError(name, number, "geometry", f"{geom.geom_type} is not an area; "
                                   "boundaries must be polygons"))
            geoms.append(None)
            continue
        if not geom.is_valid:
            if not repair:
                errors.append(RowError(name, number, "geometry", "invalid polygon ("
                                       f"{shapely.is_valid_reason(geom)}); fix it or pass --repair"))
                geoms.append(None)
                continue
            geom = _polygonal(shapely.make_valid(geom))
        geoms.append(geom)
    return geoms, errors


def _polygonal(geom):
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(parts)
    return geom


def as_multipolygon(geom) -> shapely.MultiPolygon:
    if geom.geom_type == "Polygon":
        return shapely.MultiPolygon([geom])
    return geom
