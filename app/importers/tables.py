"""Reading council tables: CSV in UTF-8 / UTF-8 with BOM / CP932, and Excel .xlsx."""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.domain.said import Said
from app.domain.text import nfkc
from app.importers.report import ImportFailed, RowError, fail_if
from app.importers.table_files import Line, csv_rows, decode_bytes, xlsx_rows

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "decode_bytes", "pick_column", "read_table"]

MAX_ROWS = 20_000
MAX_COLUMNS = 100


def read_table(path: Path, max_rows: int = MAX_ROWS) -> tuple[list[str], list[dict[str, str]], str]:
    """Read a CSV or .xlsx file into its header and rows of stripped strings.

    Returns
    -------
    header, rows, encoding
        ``encoding`` is ``"xlsx"`` for Excel files. Row dicts map header → cell text.
    """
    path = Path(path)
    if not path.exists():
        raise ImportFailed([RowError(str(path), None, None, "file not found")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        all_rows, encoding = xlsx_rows(path), "xlsx"
    elif path.suffix.lower() in (".geojson", ".json"):
        all_rows, encoding = _read_geojson_points(path), "utf-8"
    else:
        raw = path.read_bytes()
        if not raw.strip():
            raise ImportFailed([RowError(path.name, None, None, Said("file_empty"))])
        text, encoding = decode_bytes(raw, path.name)
        all_rows = csv_rows(text, path.name)
    if not all_rows:
        raise ImportFailed([RowError(path.name, None, None, Said("file_empty"))])
    _check_size(path.name, all_rows, max_rows)
    header, rows = [nfkc(h) for h in all_rows[0]], all_rows[1:]
    if not rows:
        raise ImportFailed([RowError(path.name, None, None, Said("header_no_rows"))])
    _check_cells(path.name, header, rows)
    records = [Record({h: (row[i].strip() if i < len(row) and row[i] is not None else "")
                       for i, h in enumerate(header)}, getattr(row, "number", n))
               for n, row in enumerate(rows, start=2)]
    return header, records, encoding


class Record(dict):
    """One row as header → cell text, with the row number Excel shows (``numbered`` reads it)."""

    def __init__(self, cells: dict, number: int):
        super().__init__(cells)
        self.number = number


def numbered(rows):
    """(the row's number as Excel shows it, the row) of each row; rows made in code count from 1."""
    for index, row in enumerate(rows, start=1):
        yield getattr(row, "number", index), row


# Control characters (NUL and the like) are never text a council meant; PostgreSQL refuses NUL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _check_cells(name: str, header: list[str], rows: list[list]) -> None:
    """Refuse a header naming a column twice, and cells holding control characters (all named)."""
    seen, errors = set(), []
    for column in (h for h in header if h):
        if column in seen:
            errors.append(RowError(name, None, column, Said("column_twice", column=column)))
        seen.add(column)
    for number, row in numbered(rows):
        for i, cell in enumerate(row):
            if isinstance(cell, str) and CONTROL.search(cell):
                column = header[i] if i < len(header) else f"column {i + 1}"
                errors.append(RowError(name, number, column, Said("control_character")))
    fail_if(errors[:50])


def _check_size(name: str, rows: list[list[str]], max_rows: int) -> None:
    if len(rows) - 1 > max_rows:
        raise ImportFailed([RowError(name, None, None, Said("too_many_rows", limit=f"{max_rows:,}"))])
    widest = max(len(r) for r in rows)
    if widest > MAX_COLUMNS:
        raise ImportFailed([RowError(name, None, None,
                                     Said("too_many_columns", widest=widest, limit=MAX_COLUMNS))])


def _read_geojson_points(path: Path) -> list[list[str]]:
    """Point features as table rows (header first); the geometry becomes 緯度/経度 columns."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed([RowError(path.name, None, None, f"not UTF-8 GeoJSON: {exc}")]) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not features or not isinstance(features, list):
        raise ImportFailed([RowError(path.name, None, None, "the file has no features")])
    bad = next((n for n, f in enumerate(features, start=1) if not isinstance(f, dict)
                or not isinstance(f.get("properties") or {}, dict)), None)
    if bad is not None:
        raise ImportFailed([RowError(path.name, bad, None, "this feature is not a GeoJSON Feature object")])
    header: list[str] = []
    for feature in features:
        header.extend(k for k in (feature.get("properties") or {}) if k not in header)
    rows = [[*header, "緯度", "経度"]]
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        lon, lat = _point(feature.get("geometry"), path.name, number)
        rows.append(Line([_text(props.get(h)) for h in header] + [lat, lon], number))  # "row" = feature
    return rows


def _point(geometry, name: str, number: int) -> tuple[str, str]:
    """(lon, lat) text of a Point; empty for no geometry (the row is then placed otherwise)."""
    if geometry is None:
        return "", ""
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if not (isinstance(geometry, dict) and geometry.get("type") == "Point" and isinstance(coords, list)
            and len(coords) >= 2 and all(isinstance(c, int | float) for c in coords[:2])):
        raise ImportFailed([RowError(name, number, "geometry", "the geometry is not a Point of two "
                                     "numbers (longitude, latitude); fix it, or remove it to place the row "
                                     "by address")])
    return str(coords[0]), str(coords[1])


def _text(value) -> str:
    return "" if value is None else str(value)


def pick_column(header: list[str], aliases: tuple[str, ...]) -> str | None:
    """The first header cell matching one of ``aliases`` (case- and width-insensitive)."""
    folded = {nfkc(h).lower().replace(" ", ""): h for h in header}
    for alias in aliases:
        hit = folded.get(nfkc(alias).lower().replace(" ", ""))
        if hit is not None:
            return hit
    return None
