"""Area boundaries: N03 cities, A27/A32 school districts, any polygon file."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely

from app.domain.kinds import area_kind
from app.importers.report import ImportReport, RowError, fail_if
from app.importers.vector import (
    JAPAN,
    as_multipolygon,
    outside_japan,
    polygon_errors,
    read_vector,
    vertex_errors,
)

# (name column, code column, city-code column) per known official layout, tried in order.
LAYOUTS = (
    ("N03", ("N03_004", "N03_007", "N03_007")),
    ("shared N03", ("city_name", "city_code", "city_code")),
    ("A27 v2 (2010/2016)", ("A27_007", "A27_007", "A27_005")),
    ("A27 (2021+)", ("A27_004", "A27_003", "A27_001")),
    ("A32 v2", ("A32_003", "A32_003", "A32_001")),
    ("A26", ("A26_002", "A26_002", None)),
)


def detect_layout(columns, name_col=None, code_col=None, city_col=None):
    """Return (layout label, name, code, city columns); explicit columns win."""
    if name_col:
        return "columns given", name_col, code_col or name_col, city_col
    for label, (name, code, city) in LAYOUTS:
        if name in columns and code in columns:
            return label, name, code, city_col or city
    return None, None, None, None


def parse_boundaries(
    path: Path,
    kind: str,
    *,
    name_col: str | None = None,
    code_col: str | None = None,
    city_col: str | None = None,
    declared_crs: str | None = None,
    repair: bool = False,
    city_lookup=None,
    extent=JAPAN,
) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """Read a polygon file into areas (code, name, city_code, geometry), one row per area.

    Features with the same code are dissolved into one multipolygon (N03 has one feature per
    island; A27 splits a district in parts). ``city_lookup(geom) -> code`` gives each area its
    city when the file has no city column. ``extent``: lon/lat bounds every feature must lie in
    (Japan; None: anywhere).
    """
    area_kind(kind)
    path = Path(path)
    frame = read_vector(path, declared_crs)
    columns = list(frame.columns)
    layout, name_col, code_col, city_col = detect_layout(columns, name_col, code_col, city_col)
    if layout is None:
        fail_if([RowError(path.name, None, None, "cannot tell which column holds the area name; "
                          f"pass --name-col (and --code-col). Columns: {', '.join(columns[:30])}")])
    errors = [RowError(path.name, None, c, f"no column {c!r}; columns are {', '.join(columns[:30])}")
              for c in (name_col, code_col, city_col) if c and c not in columns]
    fail_if(errors)
    fail_if(vertex_errors(frame, path.name) + (outside_japan(frame, path.name, extent) if extent else []))
    geoms, errors = polygon_errors(frame, path.name, repair)
    for number, value in enumerate(frame[name_col].tolist(), start=1):
        if value is None or str(value).strip() in ("", "nan", "None"):
            errors.append(RowError(path.name, number, name_col, "area name is empty"))
    fail_if(errors)
    frame = frame.assign(geometry=geoms)
    areas = _dissolve(frame, name_col, code_col, city_col, kind, city_lookup)
    report = ImportReport(file=path.name, layer=kind, read=len(frame), stored=len(areas))
    report.notes.append(f"layout: {layout}; {len(frame)} features → {len(areas)} areas")
    return areas, report


def _dissolve(frame, name_col, code_col, city_col, kind, city_lookup):
    rows = []
    for code, group in frame.groupby(frame[code_col].astype(str), sort=True):
        geom = as_multipolygon(shapely.union_all(group.geometry.values))
        city = str(group[city_col].iloc[0])[:5] if city_col else ""
        if not city and city_lookup is not None:
            city = city_lookup(geom) or ""
        name = str(group[name_col].iloc[0])
        if kind == "city" and "N03_003" in group and isinstance(group["N03_003"].iloc[0], str):
            name = group["N03_003"].iloc[0] + name  # 郡 + 町 for towns in a county
        rows.append({"code": str(code), "name": name, "city_code": city, "geometry": geom})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
