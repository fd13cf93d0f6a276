"""Resource lists (salons, hubs, vending machines, vacant houses, shelters) from CSV/Excel."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.geocoding import Geocoder
from app.domain.kinds import resource_kind
from app.domain.placement import City, VenueIndex
from app.domain.text import nfkc
from app.importers.columns import RESOURCE_COLUMNS, STANDARD_ADDRESS_PARTS
from app.importers.report import ImportReport, RowError, Unplaced, fail_if
from app.importers.resource_notes import report_undated_schedules, report_unread_targets
from app.importers.resource_rows import parse_row
from app.importers.tables import numbered, pick_column, read_table


@dataclass
class PlacementContext:
    """What the importer may use to place rows: cities, the address table, known venues."""

    cities: dict[str, City]
    geocoder: Geocoder | None = None
    venues: VenueIndex = field(default_factory=lambda: VenueIndex([]))

    def city_code_for(self, value: str) -> str | None:
        value = nfkc(value)
        if value in self.cities:
            return value
        if re.fullmatch(r"\d{6}", value) and value[:5] in self.cities:
            return value[:5]  # 6-digit code with check digit
        for code, city in self.cities.items():
            if value and (value == city.name or value.endswith(city.name)):
                return code
        return None


def parse_resources(
    path: Path, kind: str, context: PlacementContext, city_code: str | None = None, lock_city: bool = False
) -> tuple[list[dict], ImportReport]:
    """Read a resource list and place every row.

    Parameters
    ----------
    path : Path
        CSV (UTF-8, UTF-8 with BOM or CP932) or .xlsx file.
    kind : str
        Resource kind key (see ``app.domain.kinds.RESOURCE_KINDS``).
    context : PlacementContext
        Cities, geocoder and venues used to place rows without coordinates.
    city_code : str, optional
        City of every row, for lists without a city column.
    lock_city : bool
        Every row must be of ``city_code`` (the city the importing user may edit): a row
        whose city column names another city is an error, never a row of that city.

    Returns
    -------
    records, report
        Records ready for storage; raises ``ImportFailed`` listing every bad cell instead.
    """
    resource_kind(kind)
    path = Path(path)
    header, rows, encoding = read_table(path)
    records, report = parse_records(path.name, header, rows, kind, context, city_code, lock_city)
    report.notes.append(f"encoding: {encoding}")
    return records, report


def parse_records(name: str, header: list[str], rows: list[dict], kind: str, context: PlacementContext,
                  city_code: str | None = None, lock_city: bool = False) -> tuple[list[dict], ImportReport]:
    """Validate and place table rows (from a file, or one row from the workspace form)."""
    resource_kind(kind)
    cols = {field: pick_column(header, aliases) for field, aliases in RESOURCE_COLUMNS.items()}
    _check_header(name, header, cols, city_code)
    report = ImportReport(file=name, layer=kind, read=len(rows))
    records, errors = [], []
    for number, row in numbered(rows):
        record, row_errors = parse_row(name, number, row, cols, kind, context, city_code, lock_city)
        errors.extend(row_errors)
        if record is not None:
            records.append(record)
    errors.extend(_duplicate_ids(name, records, cols["external_id"]))
    fail_if(errors)
    for record in records:
        report.placements[record["placement"]] += 1
        if record["placement"] == "not_placed":
            why = record.pop("report_detail", "") or record["placement_detail"]
            report.not_placed.append(Unplaced(record["source_row"], record["name"], why))
    report_unread_targets(report, [r for r in records if kind == "salon" and not r["targets"]])
    report_undated_schedules(report, records)
    return records, report


def _check_header(name, header, cols, city_code) -> None:
    errors = []
    if cols["name"] is None:
        errors.append(RowError(name, None, "名称", "no name column; expected one of "
                               f"{', '.join(RESOURCE_COLUMNS['name'])}. Found: {', '.join(header)}"))
    if (cols["lat"] is None) != (cols["lon"] is None):
        missing = "経度/lon" if cols["lon"] is None else "緯度/lat"
        errors.append(RowError(name, None, missing, "one coordinate column without the other; "
                               "add the missing column or remove both"))
    if cols["city"] is None and cols["city_code"] is None and city_code is None:
        has_address = cols["address"] or all(p in header for p in STANDARD_ADDRESS_PARTS)
        if not has_address and cols["lat"] is None:
            errors.append(RowError(name, None, "市区町村", "no city, address or coordinate "
                                   "columns; add a city column or pass --city CODE"))
    fail_if(errors)


def _duplicate_ids(file, records, column) -> list[RowError]:
    if column is None:
        return []
    counts = Counter(r["external_id"] for r in records if r["external_id"])
    return [
        RowError(file, r["source_row"], column,
                 f"id {r['external_id']!r} appears {counts[r['external_id']]} times; ids must be unique")
        for r in records if counts.get(r["external_id"], 0) > 1
    ]
