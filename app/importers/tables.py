"""Reading council tables: CSV in UTF-8 / UTF-8 with BOM / CP932, and Excel .xlsx."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from app.domain.text import nfkc
from app.importers.report import ImportFailed, RowError

ENCODINGS = ("utf-8-sig", "cp932")


def decode_bytes(raw: bytes, name: str) -> tuple[str, str]:
    """Decode a CSV file's bytes; return the text and the encoding that fitted.

    Strict UTF-8 (with or without BOM) is tried first, then CP932 (Shift_JIS with the
    Windows extensions councils' Excel writes). Anything else is rejected with the first
    line that does not decode, rather than guessed, because a wrong guess corrupts names.
    """
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    line = _first_bad_line(raw)
    raise ImportFailed(
        [
            RowError(
                name,
                line,
                None,
                "text is neither UTF-8 nor Shift_JIS (CP932); "
                "save the file as 'CSV UTF-8' from Excel and import it again",
            )
        ]
    )


def _first_bad_line(raw: bytes) -> int | None:
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            try:
                line.decode("cp932")
            except UnicodeDecodeError:
                return number - 1 if number > 1 else None
    return None


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]], str]:
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
        header, rows = _read_xlsx(path)
        encoding = "xlsx"
    elif path.suffix.lower() in (".geojson", ".json"):
        header, rows = _read_geojson_points(path)
        encoding = "utf-8"
    else:
        raw = path.read_bytes()
        if not raw.strip():
            raise ImportFailed([RowError(path.name, None, None, "the file is empty")])
        text, encoding = decode_bytes(raw, path.name)
        reader = csv.reader(io.StringIO(text))
        all_rows = [r for r in reader if any(c.strip() for c in r)]
        if not all_rows:
            raise ImportFailed([RowError(path.name, None, None, "the file is empty")])
        header, rows = all_rows[0], all_rows[1:]
    header = [nfkc(h) for h in header]
    if not rows:
        raise ImportFailed([RowError(path.name, None, None, "the file has a header but no rows")])
    records = [
        {h: (row[i].strip() if i < len(row) and row[i] is not None else "") for i, h in enumerate(header)}
        for row in rows
    ]
    return header, records, encoding


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str]]]:
    # deferred: openpyxl takes a moment to import, and most lists arrive as CSV
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFailed([RowError(path.name, None, None, f"not a readable .xlsx file: {exc}")]) from exc
    sheet = book.worksheets[0]
    values = [
        ["" if v is None else str(v) for v in row]
        for row in sheet.iter_rows(values_only=True)
        if any(v not in (None, "") for v in row)
    ]
    book.close()
    if not values:
        raise ImportFailed([RowError(path.name, None, None, "the first sheet is empty")])
    return values[0], values[1:]


def _read_geojson_points(path: Path) -> tuple[list[str], list[list[str]]]:
    """Point features as table rows; the geometry becomes 緯度/経度 columns."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed([RowError(path.name, None, None, f"not UTF-8 GeoJSON: {exc}")]) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not features:
        raise ImportFailed([RowError(path.name, None, None, "the file has no features")])
    header: list[str] = []
    for feature in features:
        header.extend(k for k in (feature.get("properties") or {}) if k not in header)
    rows = []
    for feature in features:
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") if geometry.get("type") == "Point" else None
        lonlat = [str(c) for c in coords[:2]] if coords else ["", ""]
        rows.append([_text(props.get(h)) for h in header] + [lonlat[1], lonlat[0]])
    return [*header, "緯度", "経度"], rows


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
