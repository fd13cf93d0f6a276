"""Resource lists (salons, hubs, vending machines, vacant houses, shelters) from CSV/Excel."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.equipment import equipment_of
from app.domain.geocoding import Geocoder
from app.domain.kinds import resource_kind
from app.domain.placement import PUBLIC_NO_MATCH, City, VenueIndex, coordinate_problem, parse_coordinate
from app.domain.sites import site_key
from app.domain.targets import (
    category_of,
    facility_targets,
    listed_shelter_targets,
    open_to_all,
    target_groups,
)
from app.domain.text import name_parts, nfkc, written_city
from app.importers.columns import RESOURCE_COLUMNS, STANDARD_ADDRESS_PARTS, TRUTHY
from app.importers.report import ImportReport, RowError, fail_if
from app.importers.resource_notes import report_undated_schedules, report_unread_targets
from app.importers.tables import pick_column, read_table

MAX_METRES_OUTSIDE_CITY = 3000
MAX_CAPACITY = 1_000_000  # more people than any shelter holds: a typing error
SITE_KINDS = ("shelter", "emergency_site")


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
    for number, row in enumerate(rows, start=1):
        record, row_errors = _parse_row(name, number, row, cols, kind, context, city_code, lock_city)
        errors.extend(row_errors)
        if record is not None:
            records.append(record)
    errors.extend(_duplicate_ids(name, records, cols["external_id"]))
    fail_if(errors)
    for record in records:
        report.placements[record["placement"]] += 1
        if record["placement"] == "not_placed":
            why = record.pop("report_detail", "") or record["placement_detail"]
            report.not_placed.append(f"row {record['source_row']} {record['name']}: {why}")
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


def _cell(row, cols, field_name) -> str:
    column = cols.get(field_name)
    return row.get(column, "") if column else ""


def _parse_row(file, number, row, cols, kind, context, default_city, lock_city=False):
    errors = []
    name, written = _display_name(row, cols, kind)
    if not name:
        return None, [RowError(file, number, cols["name"], "name is empty; every row needs one")]
    address = _cell(row, cols, "address") or "".join(row.get(p, "") for p in STANDARD_ADDRESS_PARTS)
    too_long = [(f, n) for f, n, v in (("name", 300, name), ("address", 500, address),
                                       ("external_id", 100, _cell(row, cols, "external_id"))) if len(v) > n]
    if too_long:  # the columns' own widths: longer is a mistake in the cell, never stored cut
        return None, [RowError(file, number, cols.get(f) or f, f"longer than {n} characters; shorten it")
                      for f, n in too_long]
    city_code = _row_city(row, cols, context, default_city, address)
    if city_code is None and (_cell(row, cols, "city") or _cell(row, cols, "city_code")):
        value = _cell(row, cols, "city") or _cell(row, cols, "city_code")
        errors.append(RowError(file, number, cols["city"] or cols["city_code"],
                               f"unknown city {value!r}; import the city boundaries first"))
    elif lock_city and city_code != default_city:
        errors.append(RowError(file, number, cols["city"] or cols["city_code"],
                               f"this row is for {_city_name(context, city_code)}, but the list is imported "
                               f"for {_city_name(context, default_city)}; remove the row, or import it for "
                               "its city"))
    capacity, capacity_error = capacity_value(_cell(row, cols, "capacity"))
    if capacity_error:
        errors.append(RowError(file, number, cols["capacity"], capacity_error))
    restricted = not resource_kind(kind).public or _cell(row, cols, "restricted").lower() in TRUTHY
    placed, place_error = _place(row, cols, context, city_code or "", address, restricted)
    if place_error:
        errors.append(RowError(file, number, place_error[0], place_error[1]))
    if errors:
        return None, errors
    lonlat, placement, detail, city_code, report_detail, venue_address = placed
    attributes = {f: _cell(row, cols, f) for f in ("schedule", "target_group", "notes", "category",
                                                   "venue_name", "target_area", "phone", "url",
                                                   "source_id", "designation", "equipment")}
    attributes = {k: v for k, v in attributes.items() if v}
    if written != name:
        attributes["name_as_written"] = written
    if venue_address and not address:
        # Where a place held at 本多公民館 is: the venue's address, said as the venue's.
        attributes["venue_address"] = venue_address
    if kind == "vending_machine" and "災害" in attributes.get("category", ""):
        attributes["disaster_vendor"] = True
    if attributes.get("equipment"):
        attributes["equipment_kinds"] = equipment_of(attributes["equipment"])
    category = category_of(attributes.get("category", "") or name)
    targets = listed_shelter_targets(attributes) if kind == "shelter" else \
        target_groups(attributes.get("target_group", ""), category)
    if kind == "hub" and not targets:  # a nursery listed as a hub is a place for infants, not for all
        targets = facility_targets(f"{attributes.get('category', '')} {name}")
    return {
        "kind": kind, "name": name, "address": address, "city_code": city_code or "",
        "external_id": _cell(row, cols, "external_id"), "source_row": number,
        # A council's shelter list links to the GSI lists (and to capacities) by site, as they do.
        "site_key": site_key(city_code, address) if address and city_code and kind in SITE_KINDS else "",
        "placement": placement, "placement_detail": detail, "restricted": restricted,
        "capacity": capacity, "welfare_shelter": kind == "shelter" and not open_to_all(targets),
        "category": category, "targets": targets, "attributes": attributes, "lonlat": lonlat,
        "report_detail": report_detail,
    }, []


def _display_name(row, cols, kind) -> tuple[str, str]:
    """The name to show, and the name as written when that is only a note in brackets.

    「(施設名は抜粋に記載なし; サイト … の施設)」 is a transcriber's note, not a name: the public sees
    what the place is (「文化施設（名称の記載なし）」) and the note stays in the attributes.
    """
    written = _cell(row, cols, "name")
    if not written or name_parts(written):
        return written, written
    return f"{_cell(row, cols, 'category') or resource_kind(kind).label_ja}（名称の記載なし）", written


def _city_name(context, code) -> str:
    city = context.cities.get(code or "")
    return city.name if city else repr(code)


def _row_city(row, cols, context, default_city, address):
    for value in (_cell(row, cols, "city_code"), _cell(row, cols, "city")):
        if value:
            return context.city_code_for(value)
    if default_city:
        return default_city
    for code, city in context.cities.items():
        if city.name in address:
            return code
    return None


def capacity_value(text: str) -> tuple[int | None, str | None]:
    """A number of people from council text (「約120人」 is 120), or why it is not one."""
    if not text:
        return None, None
    cleaned = re.sub(r"^(約|およそ)|[人名,\s]", "", nfkc(text))
    if cleaned.isascii() and cleaned.isdigit():
        if len(cleaned) > 7 or int(cleaned) > MAX_CAPACITY:
            return None, f"capacity {text!r} is more than {MAX_CAPACITY:,} people; check the number"
        return int(cleaned), None
    return None, f"capacity {text!r} is not a whole number of people; write e.g. 120 or leave empty"


def _place(row, cols, context, city_code, address, restricted=False):
    """Return ((lonlat, placement, detail, city_code, report_detail, venue_address), error) for a row.

    ``report_detail`` is what only the importing user is told (why a private venue was not used).
    """
    lat_text, lon_text = _cell(row, cols, "lat"), _cell(row, cols, "lon")
    if lat_text or lon_text:
        return _given_coordinates(cols, context, city_code, lat_text, lon_text)
    # Without a venue column the name itself may be a known facility (「貫井南センター」).
    venue_name = _cell(row, cols, "venue_name") if cols["venue_name"] else _cell(row, cols, "name")
    venue_detail = ""
    private_reason = ""
    if venue_name and city_code:
        venue, venue_detail = context.venues.match(venue_name, city_code, allow_restricted=restricted)
        if venue is not None:
            return ((venue.lon, venue.lat), "venue_match", venue_detail, city_code, "", venue.address), None
        if "restricted place" in venue_detail:
            # The importing user may see the place and is told why (the report); the stored,
            # public detail reads as for any unknown name.
            private_reason = venue_detail
            venue_detail = PUBLIC_NO_MATCH.format(name=venue_name, city=city_code)
    if address and context.geocoder is not None:
        city_name = context.cities[city_code].name if city_code in context.cities else ""
        elsewhere = written_city(address)
        if city_name and elsewhere and elsewhere != city_name:  # a 府中市 row in 国分寺市's list
            return None, (cols.get("address") or "address", f"{address!r} is in {elsewhere}, outside "
                          f"{city_name}: take the row out of this list, or import it with {elsewhere}'s list")
        hit = context.geocoder.geocode(address, city_name)
        if hit is not None:
            return ((hit.lon, hit.lat), "chome_centroid", f"町丁目 {hit.town}", city_code, "", ""), None
        venue_detail = "; ".join(filter(None, [venue_detail, f"address {address!r} matched no 町丁目"]))
    detail = venue_detail or "no coordinates, address or venue given"
    return (None, "not_placed", detail, city_code, private_reason, ""), None


def _given_coordinates(cols, context, city_code, lat_text, lon_text):
    lat, lon = parse_coordinate(lat_text), parse_coordinate(lon_text)
    if lat is None or lon is None:
        column, text = (cols["lat"], lat_text) if lat is None else (cols["lon"], lon_text)
        return None, (column, f"{text!r} is not a decimal degree; write e.g. 35.7 / 139.48, "
                              "or leave both coordinate cells empty to geocode the address")
    problem = coordinate_problem(lat, lon)
    if problem:
        return None, (f"{cols['lat']}/{cols['lon']}", problem)
    city = context.cities.get(city_code)
    if city is not None:
        outside = city.metres_outside(lon, lat)
        if outside > MAX_METRES_OUTSIDE_CITY:
            return None, (f"{cols['lat']}/{cols['lon']}",
                          f"point is {outside / 1000:.1f} km outside {city.name}; "
                          "check the coordinates or the city column")
    return ((lon, lat), "coordinates", "coordinates given", city_code, "", ""), None


def _duplicate_ids(file, records, column) -> list[RowError]:
    if column is None:
        return []
    counts = Counter(r["external_id"] for r in records if r["external_id"])
    return [
        RowError(file, r["source_row"], column,
                 f"id {r['external_id']!r} appears {counts[r['external_id']]} times; ids must be unique")
        for r in records if counts.get(r["external_id"], 0) > 1
    ]
