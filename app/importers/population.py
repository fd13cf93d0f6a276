"""Population units: e-Stat mesh tables (cells from their JIS X 0410 codes) and 町丁目 points."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from jismesh import utils as jismesh

from app.importers.report import ImportFailed, ImportReport, RowError, fail_if
from app.importers.tables import decode_bytes

MESH_LEVELS = {8: ("mesh1km", 3), 9: ("mesh500", 4), 10: ("mesh250", 5), 11: ("mesh125", 6)}
# The 2020 census mesh (e-Stat T001142): measure → column (people, or households for *_households).
MEASURE_COLUMNS = {"T001142": {"age65": "T001142019", "age75": "T001142022", "age85": "T001142025",
                               "children": "T001142004", "foreign": "T001142031",
                               "older_living_alone": "T001142049", "older_couples": "T001142050",
                               "infant_households": "T001142046"}}
MEASURES = ("age65", "age75", "age85", "children", "foreign", "older_living_alone", "older_couples",
            "infant_households")


def mesh_cells(codes: list[str]) -> np.ndarray:
    """Cell polygons (lon/lat) for JIS X 0410 mesh codes of one level."""
    numeric = np.array([int(c) for c in codes], dtype=np.int64)
    count = len(numeric)
    # jismesh turns one-element arrays into scalars with np.asscalar, gone since NumPy 1.23.
    padded = np.repeat(numeric, 2) if count == 1 else numeric
    south, west = jismesh.to_meshpoint(padded, 0, 0)
    north, east = jismesh.to_meshpoint(padded, 1, 1)
    return shapely.box(west, south, east, north)[:count]


def parse_population(path: Path, year: int | None = None, bbox=None) -> tuple[list[dict], ImportReport]:
    """Read a population file into units with total, 65+ and 75+ where known.

    Parameters
    ----------
    path : Path
        e-Stat mesh CSV (``KEY_CODE`` + ``T…001`` total), a mesh table in Parquet
        (``grid500m``/``pop``) or a 町丁目 points GeoJSON with ``JINKO``.
    year : int, optional
        Census year; guessed from a 4-digit year in the file name otherwise.
    bbox : tuple, optional
        (minlon, minlat, maxlon, maxlat): keep only units intersecting it.
    """
    path = Path(path)
    if not path.exists():
        raise ImportFailed([RowError(str(path), None, None, "file not found")])
    if path.stat().st_size == 0:
        raise ImportFailed([RowError(path.name, None, None, "the file is empty")])
    year = year or _year_from_name(path)
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        units = _chome_points(path, year)
    elif suffix == ".parquet":
        units = _mesh_frame(path, pd.read_parquet(path), year)
    else:
        units = _mesh_csv(path, year)
    if bbox is not None:
        box = shapely.box(*bbox)
        units = [u for u in units if u["geom"].intersects(box)]
    report = ImportReport(file=path.name, layer="population", read=len(units), stored=len(units))
    kinds = sorted({u["unit_type"] for u in units})
    with_age = sum(1 for u in units if u["age65"] is not None)
    report.notes.append(f"{'/'.join(kinds)} {year}: total {sum(u['total'] for u in units):,.0f} people; "
                        f"65+ known for {with_age} of {len(units)} units")
    return units, report


def _year_from_name(path: Path) -> int:
    match = re.search(r"(19|20)\d{2}", path.name)
    if not match:
        raise ImportFailed([RowError(path.name, None, None, "cannot tell the census year from the "
                                     "file name; pass --year")])
    return int(match.group(0))


def _mesh_csv(path: Path, year: int) -> list[dict]:
    text, _ = decode_bytes(path.read_bytes(), path.name)
    lines = text.splitlines()
    # e-Stat downloads carry a second, Japanese header line with an empty mesh-code cell.
    if len(lines) > 1 and lines[1].split(",")[0].strip() == "" and not lines[1].isascii():
        lines = [lines[0], *lines[2:]]
    frame = pd.read_csv(StringIO("\n".join(lines)), dtype=str, keep_default_na=False)
    return _mesh_frame(path, frame, year)


def _mesh_frame(path: Path, frame: pd.DataFrame, year: int) -> list[dict]:
    name = path.name
    code_col = next((c for c in ("KEY_CODE", "grid500m", "grid250m", "grid1km", "mesh_code")
                     if c in frame.columns), None)
    total_col = next((c for c in frame.columns if re.fullmatch(r"T\d{6}001", str(c))), None)
    total_col = total_col or ("pop" if "pop" in frame.columns else None)
    missing = [label for label, col in (("KEY_CODE (mesh code)", code_col),
                                        ("T…001 / pop (total)", total_col)) if col is None]
    if missing:
        fail_if([RowError(name, None, m, f"missing column; columns are "
                          f"{', '.join(map(str, frame.columns[:12]))}") for m in missing])
    if frame.empty:
        fail_if([RowError(name, None, None, "the table has no rows")])
    columns = {m: c for m, c in MEASURE_COLUMNS.get(str(total_col)[:7], {}).items() if c in frame.columns}
    secret = frame["HTKSYORI"].astype(str).eq("2") if "HTKSYORI" in frame else None
    codes = frame[code_col].astype(str).str.strip().tolist()
    errors, totals = [], []
    lengths = {len(c) for c in codes}
    for number, (code, value) in enumerate(zip(codes, frame[total_col].tolist(), strict=True), 1):
        if not code.isdigit() or len(code) not in MESH_LEVELS:
            errors.append(RowError(name, number, code_col, f"{code!r} is not a JIS X 0410 mesh code"))
        totals.append(_number(value, name, number, total_col, errors))
    if len(lengths) > 1:
        errors.append(RowError(name, None, code_col, "mesh codes of several levels in one table"))
    fail_if(errors)
    unit_type = MESH_LEVELS[lengths.pop()][0]
    cells = mesh_cells(codes)
    units = []
    for i, code in enumerate(codes):
        is_secret = bool(secret.iloc[i]) if secret is not None else False
        # Secret cells' figures were merged into their neighbour (HTKSAKI): unknown here.
        figures = {m: None if is_secret or m not in columns else _age(frame[columns[m]].iloc[i])
                   for m in MEASURES}
        units.append({"unit_type": unit_type, "code": code, "name": "", "city_code": "", "year": year,
                      "total": totals[i], **figures, "geom": cells[i]})
    return units


def _number(value, name, number, column, errors) -> float:
    text = str(value).strip()
    if text in ("", "*", "-", "nan"):
        return 0.0
    try:
        return float(text)
    except ValueError:
        errors.append(RowError(name, number, column, f"{text!r} is not a number"))
        return 0.0


def _age(value) -> float | None:
    text = str(value).strip()
    return None if text in ("", "*", "-", "nan") else float(text)


def _chome_points(path: Path, year: int) -> list[dict]:
    name = path.name
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed([RowError(name, None, None, f"not UTF-8 GeoJSON: {exc}")]) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not features:
        raise ImportFailed([RowError(name, None, None, "no features in the file")])
    units, errors = [], []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        coords = (feature.get("geometry") or {}).get("coordinates")
        if "JINKO" not in props:
            errors.append(RowError(name, number, "JINKO", "no population (JINKO) property"))
            continue
        if not coords or len(coords) < 2:
            errors.append(RowError(name, number, "geometry", "no point coordinates"))
            continue
        units.append({
            "unit_type": "chome", "code": str(props.get("KEY_CODE", number)),
            "name": str(props.get("MOJI") or ""), "city_code": str(props.get("city_code") or "")[:5],
            "year": year, "total": float(props.get("JINKO") or 0), **dict.fromkeys(MEASURES),
            "geom": shapely.Point(coords[0], coords[1]),
        })
    fail_if(errors)
    return units
