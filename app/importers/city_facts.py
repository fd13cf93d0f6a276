"""City-level facts of the open data: shelter capacity totals and vacant-house survey totals.

Numbers are read as written (「約18000」 is 18,000, noted as approximate; 「295戸」 is 295);
a cell that states no number stays unknown.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.domain.text import nfkc
from app.importers.report import ImportReport, RowError, fail_if
from app.importers.tables import read_table

VACANT_FIELDS = (("vacant_units", "dwellings", "空き家"), ("vacant_rate", "percent", "空き家率"),
                 ("mismanaged_units", "dwellings", "管理不全"))


def _number(text: str) -> tuple[float | None, bool]:
    """The first number in ``text`` and whether it was marked approximate (約)."""
    folded = nfkc(text or "").replace(",", "")
    match = re.search(r"\d+(\.\d+)?", folded)
    return (float(match.group(0)) if match else None), folded.startswith(("約", "およそ"))


def parse_shelter_capacity(path: Path, city_codes: dict[str, str]) -> tuple[list[dict], ImportReport]:
    """City totals of shelter capacity (rows with ``level`` city_total) and of shelters counted."""
    _, rows, _ = read_table(path)
    out, errors = [], []
    for number, row in enumerate(rows, start=1):
        if row.get("level") != "city_total":
            continue
        city = city_codes.get(row.get("city", ""))
        if city is None:
            errors.append(RowError(Path(path).name, number, "city", f"unknown city {row.get('city')!r}"))
            continue
        basis = f"{row.get('capacity_basis', '')} — {row.get('shelter_name', '')}"
        value, approximate = _number(row.get("capacity", ""))
        if value is not None:
            out.append({"city_code": city, "topic": "shelter_capacity", "label": f"収容人数 {basis}",
                        "value": value, "unit": "people", "as_of": row.get("as_of", ""),
                        "notes": ("approximate; " if approximate else "") + row.get("source_id", "")})
        count, _ = _number(row.get("count_of_shelters", ""))
        if count is not None:
            out.append({"city_code": city, "topic": "shelter_capacity", "label": f"避難所数 {basis}",
                        "value": count, "unit": "places", "as_of": row.get("as_of", ""),
                        "notes": row.get("source_id", "")})
    fail_if(errors)
    return out, ImportReport(file=Path(path).name, layer="city_statistics", read=len(rows), stored=len(out))


def parse_vacant_houses(path: Path, city_codes: dict[str, str]) -> tuple[list[dict], ImportReport]:
    """Vacant-house survey totals per city and dwelling category (counts, never locations)."""
    _, rows, _ = read_table(path)
    out, errors = [], []
    for number, row in enumerate(rows, start=1):
        city = city_codes.get(row.get("city", ""))
        if city is None:
            errors.append(RowError(Path(path).name, number, "city", f"unknown city {row.get('city')!r}"))
            continue
        survey = f"{row.get('survey', '')} — {row.get('category', '')}"
        for field, unit, what in VACANT_FIELDS:
            value, _ = _number(row.get(field, ""))
            if value is not None:
                out.append({"city_code": city, "topic": "vacant_houses", "label": f"{what} {survey}",
                            "value": value, "unit": unit, "as_of": row.get("reference_period", ""),
                            "notes": row.get("source_id", "")})
    fail_if(errors)
    return out, ImportReport(file=Path(path).name, layer="city_statistics", read=len(rows), stored=len(out))
