"""A council's consented list of 避難行動要支援者 (CSV in UTF-8 or CP932, or .xlsx), checked row by row.

Errors name the file, row and column but never repeat a cell: the message may be shown or
logged where the person's name and address must not be. Rows are placed at their 町丁目's point
(the home's own point is never computed); a row that places nowhere is refused, because a
person no supporter's area holds would be registered and then helped by no one.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from shapely import Point

from app.domain import persons as rules
from app.importers.report import ImportReport, RowError, fail_if
from app.importers.resources import PlacementContext
from app.importers.tables import numbered, pick_column, read_table

PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("氏名", "名前", "name"),
    "kana": ("ふりがな", "フリガナ", "よみがな", "kana"),
    "address": ("住所", "address"),
    "birth_year": ("生年", "生まれ年", "生年月日", "birth_year"),
    "age_band": ("年齢区分", "年齢", "age_band"),
    "needs": ("支援が必要なこと", "必要な支援", "支援内容", "needs"),
    "contact": ("連絡先", "電話番号", "contact", "phone"),
    "consent_on": ("同意日", "consent_date", "consent_on"),
    "consent_scope": ("同意の範囲", "consent_scope"),
    "supporters": ("支援者", "supporters"),
    "notes": ("備考", "notes"),
}
REQUIRED = {"name": "氏名", "address": "住所", "needs": "支援が必要なこと", "consent_on": "同意日"}


def parse_persons(path: Path, context: PlacementContext, city_code: str,
                  today: date | None = None) -> tuple[list[dict], ImportReport]:
    """Read a register file of ``city_code``.

    Returns
    -------
    records, report
        Dicts with ``source_row``, ``city_code``, ``lon``/``lat`` of the 町丁目 and ``personal``
        (the fields to seal); raises ``ImportFailed`` listing every bad cell instead.
    """
    path = Path(path)
    header, rows, encoding = read_table(path)
    records, report = parse_person_rows(path.name, header, rows, context, city_code, today or date.today())
    report.notes.append(f"encoding: {encoding}")
    return records, report


def parse_person_rows(name: str, header: list[str], rows: list[dict], context: PlacementContext,
                      city_code: str, today: date) -> tuple[list[dict], ImportReport]:
    """Check and place rows (of a file, or the one row of the entry form)."""
    cols = {f: pick_column(header, aliases) for f, aliases in PERSON_COLUMNS.items()}
    fail_if([RowError(name, None, label, f"no {label} column; expected one of "
                      f"{', '.join(PERSON_COLUMNS[f])}. Found: {', '.join(header)}")
             for f, label in REQUIRED.items() if cols[f] is None])
    if context.geocoder is None:
        fail_if([RowError(name, None, "住所", "no address data to place people with; the open data's "
                          "address files are needed (OPEN_DATA_DIR)")])
    records, errors = [], []
    for number, row in numbered(rows):
        cells = {f: row.get(c, "") if c else "" for f, c in cols.items()}
        record, row_errors = _parse_row(name, number, cells, cols, context, city_code, today)
        errors.extend(row_errors)
        if record:
            records.append(record)
    fail_if(errors)
    report = ImportReport(file=name, layer="person", read=len(rows))
    report.placements["chome"] = len(records)
    return records, report


def _parse_row(file, number, cell, cols, context, city_code, today):
    errors = []

    def bad(field, message):
        errors.append(RowError(file, number, cols[field] or REQUIRED.get(field, field), message))

    for field, label in REQUIRED.items():
        if field != "consent_on" and not cell[field].strip():
            bad(field, f"{label} is empty; every row needs it")
    personal = {f: cell[f].strip() for f in ("name", "kana", "address", "contact", "consent_scope", "notes")}
    try:
        personal["consent_on"] = rules.consent_date(cell["consent_on"], today).isoformat()
    except ValueError as exc:
        bad("consent_on", str(exc))
    try:
        year = rules.birth_year(cell["birth_year"], today)
    except ValueError as exc:
        bad("birth_year", str(exc))
        year = None
    personal["birth_year"], personal["age_band"] = year, rules.age_band(year, cell["age_band"], today)
    personal["needs"], other = rules.read_needs(cell["needs"])
    personal["needs_other"] = "、".join(other)
    helpers = cell["supporters"].replace("、", ",").split(",")
    personal["supporters"] = [s.strip() for s in helpers if s.strip()]
    place = _place(personal["address"], context, city_code) if personal["address"] else None
    if personal["address"] and place is None:
        bad("address", f"the address matched no 町丁目 of {context.cities[city_code].name}; write it as on a "
                       "letter (e.g. 〇〇市△△町1-2-3), or register the person in their own city")
    if errors:
        return None, errors
    return {"source_row": number, "city_code": city_code, "lon": place.lon, "lat": place.lat,
            "town": place.town, "personal": personal}, []


def _place(address: str, context: PlacementContext, city_code: str):
    """The 町丁目 point of ``address`` when that point lies in ``city_code``."""
    city = context.cities[city_code]
    others = [c.name for c in context.cities.values() if c.code != city_code and c.name in address]
    if others and city.name not in address:
        return None  # another city's address: its people are that city's to register
    found = context.geocoder.geocode(address, city.name)
    if found is None or not city.geom.covers(Point(found.lon, found.lat)):
        return None
    return found
