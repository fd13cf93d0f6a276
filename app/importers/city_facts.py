"""City-level facts of the open data: shelter capacity and vacant-house totals, programmes.

Numbers are read as written (「約18000」 is 18,000, noted as approximate; 「295戸」 is 295);
a cell that states no number stays unknown.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.domain.figures import STATUS_WORDS, counts_with_units, status_of
from app.domain.text import nfkc
from app.importers.report import ImportReport, RowError, fail_if
from app.importers.tables import numbered, read_table

VACANT_FIELDS = (("vacant_units", "dwellings", "空き家"), ("vacant_rate", "percent", "空き家率"),
                 ("mismanaged_units", "dwellings", "管理不全"))


def _number(text: str) -> tuple[float | None, bool]:
    """The first number in ``text`` and whether it was marked approximate (約)."""
    folded = nfkc(text or "").replace(",", "")
    match = re.search(r"\d+(\.\d+)?", folded)
    return (float(match.group(0)) if match else None), folded.startswith(("約", "およそ"))


def _rows_by_city(path: Path, city_codes: dict[str, str]):
    """All rows of a facts table, those of a known city with its code, and the rows naming none.

    Returns
    -------
    rows, known, errors
        ``known`` holds (row number, row, city code) tuples.
    """
    _, rows, _ = read_table(path)
    known, errors = [], []
    for number, row in numbered(rows):
        city = city_codes.get(row.get("city", ""))
        if city is None:
            errors.append(RowError(Path(path).name, number, "city", f"unknown city {row.get('city')!r}; "
                                   "import the city boundaries first"))
        else:
            known.append((number, row, city))
    return rows, known, errors


def parse_shelter_capacity(path: Path, city_codes: dict[str, str]) -> tuple[list[dict], ImportReport]:
    """City totals of shelter capacity (rows with ``level`` city_total) and of shelters counted."""
    rows, known, errors = _rows_by_city(path, city_codes)
    out = []
    for _, row, city in known:
        if row.get("level") != "city_total":
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
    """Vacant-house survey totals per city and dwelling category (counts, never locations).

    Each count keeps the unit it was written in (「8棟 / 38戸」 is 8 buildings and 38 dwellings);
    a city's preliminary (速報) figures give way to its final report, said in the report and in
    the final figures' notes; a figure quoted second-hand is labelled so.
    """
    rows, known, errors = _rows_by_city(path, city_codes)
    out, statuses = [], {}
    for _, row, city in known:
        status = status_of(row.get("survey", ""), row.get("notes", ""), row.get("reference_period", ""))
        statuses.setdefault(city, set()).add(status)
        survey = f"{row.get('survey', '')} — {row.get('category', '')}"
        marker = f"（{STATUS_WORDS[status]}）" if STATUS_WORDS[status] else ""
        for field, default_unit, what in VACANT_FIELDS:
            for value, unit in counts_with_units(row.get(field, ""), default_unit):
                out.append({"city_code": city, "topic": "vacant_houses", "label": f"{what}{marker} {survey}",
                            "value": value, "unit": unit, "as_of": row.get("reference_period", ""),
                            "notes": row.get("source_id", ""), "status": status})
    report = ImportReport(file=Path(path).name, layer="city_statistics", read=len(rows))
    out = _latest_kept(out, statuses, report)
    fail_if(errors)
    report.stored = len(out)
    return [{k: v for k, v in r.items() if k != "status"} for r in out], report


def _latest_kept(rows: list[dict], statuses: dict[str, set[str]], report: ImportReport) -> list[dict]:
    """Drop a city's preliminary figures where its final report is held, and say so."""
    superseded = {city for city, found in statuses.items() if {"preliminary", "final"} <= found}
    dropped = [r for r in rows if r["status"] == "preliminary" and r["city_code"] in superseded]
    for row in rows:
        if row["status"] == "final" and row["city_code"] in superseded:
            row["notes"] += "; 最終報告書の値（速報値は別に公表、数値が異なる）"
    if dropped:
        sources = sorted({r["notes"] for r in dropped})
        report.notes.append(f"{len(dropped)} preliminary (速報) figures of {', '.join(sources)} not kept: "
                            "the final report of the same survey is held")
    return [r for r in rows if r not in dropped]


PROGRAMME_FIELDS = (("name", "program"), ("operator", "operator"), ("rules", "criteria_or_schedule"),
                    ("count_reported", "count_reported"), ("as_of", "as_of"), ("notes", "notes"),
                    ("source_id", "source_id"))


def parse_programmes(path: Path, city_codes: dict[str, str]) -> tuple[list[dict], ImportReport]:
    """Council programmes (``salon_programs.csv``): name, operator, rules, places reported."""
    rows, known, errors = _rows_by_city(path, city_codes)
    out = []
    for number, row, city in known:
        if not row.get("program"):
            errors.append(RowError(Path(path).name, number, "program", "programme name is empty"))
        else:
            out.append({"city_code": city, **{key: row.get(column, "") for key, column in PROGRAMME_FIELDS}})
    fail_if(errors)
    return out, ImportReport(file=Path(path).name, layer="programmes", read=len(rows), stored=len(out))
