"""Reading vector files (GeoJSON, Shapefile, GeoPackage) with CRS and geometry checks."""

from __future__ import annotations

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


def _with_crs(frame, name, declared_crs):
    if declared_crs:
        try:
            crs = CRS.from_user_input(declared_crs)
        except CRSError:
            raise ImportFailed([RowError(name, None, None, f"unknown CRS {declared_crs!r}; "
                                         "write it as EPSG:NNNN")]) from None
        if frame.crs is not None and CRS(frame.crs) != crs:
            raise ImportFailed([RowError(name, None, None, f"the file says its CRS is "
                                         f"{frame.crs.to_string()} but --crs says {declared_crs}; "
                                         "drop --crs or fix the file")])
        return frame.set_crs(crs, allow_override=True)
    if frame.crs is None:
        raise ImportFailed([RowError(name, None, None, "the file has no CRS (a Shapefile without "
                                     ".prj?); pass --crs, e.g. --crs EPSG:6677 or EPSG:4326")])
    return frame


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
