"""One row of a resource list: validate its cells → place it → build the record to store.

``parse_row`` is the three steps in order; each returns a small value (``RowCells``,
``Placement``) or the errors of the row, naming the file, the row and the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.equipment import equipment_of
from app.domain.kinds import SITE_KINDS, hazard_keys, resource_kind
from app.domain.placement import coordinate_problem, parse_coordinate
from app.domain.said import Said
from app.domain.sites import site_key
from app.domain.targets import (
    category_of,
    facility_targets,
    listed_shelter_targets,
    open_to_all,
    target_groups,
)
from app.domain.text import name_parts, nfkc, written_city
from app.importers.columns import STANDARD_ADDRESS_PARTS, TRUTHY
from app.importers.report import RowError

MAX_METRES_OUTSIDE_CITY = 3000
MAX_CAPACITY = 1_000_000  # more people than any shelter holds: a typing error
LENGTHS = {"name": 300, "address": 500, "external_id": 100}  # the columns' widths: longer is never cut
ATTRIBUTE_FIELDS = ("schedule", "target_group", "notes", "category", "venue_name", "target_area", "phone",
                    "url", "source_id", "designation", "equipment")


@dataclass(frozen=True)
class RowCells:
    """The checked cells of one row: what it is called, where it says it is, whom it takes."""

    file: str
    number: int  # the data row, from 1
    name: str
    written: str  # the name as written, when the shown one is made from a note
    address: str
    external_id: str
    city_code: str | None
    capacity: int | None
    restricted: bool


@dataclass(frozen=True)
class Placement:
    """Where a row was put and how; ``report_detail`` is told only to the importing user."""

    lonlat: tuple[float, float] | None
    method: str  # coordinates | venue_match | chome_centroid | not_placed
    detail: str
    city_code: str | None
    report_detail: str = ""  # why a private venue was not used
    venue_address: str = ""  # the venue's address, for a place held at a venue


def parse_row(file, number, row, cols, kind, context, default_city, lock_city=False):
    """(record, []) for a good row, (None, errors) for a bad one: validate → place → build."""
    cells, errors = validate_row(file, number, row, cols, kind, context, default_city, lock_city)
    if cells is None:
        return None, errors
    placement, problem = place_row(row, cols, context, cells)
    if problem is not None:
        errors.append(problem)
    if errors:
        return None, errors
    return build_record(row, cols, kind, cells, placement), []


def validate_row(file, number, row, cols, kind, context, default_city, lock_city=False):
    """(RowCells, errors so far) of a row; (None, errors) without a name or with an overlong cell."""
    name, written = _display_name(row, cols, kind)
    if not name:
        return None, [RowError(file, number, cols["name"], Said("name_empty"))]
    address = _cell(row, cols, "address") or "".join(row.get(p, "") for p in STANDARD_ADDRESS_PARTS)
    values = {"name": name, "address": address, "external_id": _cell(row, cols, "external_id")}
    too_long = [(f, n) for f, n in LENGTHS.items() if len(values[f]) > n]
    if too_long:
        return None, [RowError(file, number, cols.get(f) or f, Said("too_long", n=n))
                      for f, n in too_long]
    errors = []
    _, unread = hazard_keys(_cell(row, cols, "hazard"))
    if unread:
        errors.append(RowError(file, number, cols["hazard"], Said("hazard_unknown", text="、".join(unread))))
    city_code = _row_city(row, cols, context, default_city, address)
    if city_code is None and (_cell(row, cols, "city") or _cell(row, cols, "city_code")):
        value = _cell(row, cols, "city") or _cell(row, cols, "city_code")
        errors.append(RowError(file, number, cols["city"] or cols["city_code"],
                               Said("unknown_city", value=value)))
    elif lock_city and city_code != default_city:
        errors.append(RowError(file, number, cols["city"] or cols["city_code"],
                               Said("other_city_row", row_city=_city_name(context, city_code),
                                    list_city=_city_name(context, default_city))))
    capacity, capacity_error = capacity_value(_cell(row, cols, "capacity"))
    if capacity_error:
        errors.append(RowError(file, number, cols["capacity"], capacity_error))
    restricted = not resource_kind(kind).public or _cell(row, cols, "restricted").lower() in TRUTHY
    return RowCells(file, number, name, written, address, values["external_id"], city_code, capacity,
                    restricted), errors


def build_record(row, cols, kind, cells: RowCells, placement: Placement) -> dict:
    """The record to store: the cells, the placement, and who the place is for (``domain.targets``)."""
    attributes = {f: v for f in ATTRIBUTE_FIELDS if (v := _cell(row, cols, f))}
    if cells.written != cells.name:
        attributes["name_as_written"] = cells.written
    if placement.venue_address and not cells.address:
        # Where a place held at 本多公民館 is: the venue's address, said as the venue's.
        attributes["venue_address"] = placement.venue_address
    if kind == "vending_machine" and "災害" in attributes.get("category", ""):
        attributes["disaster_vendor"] = True
    if attributes.get("equipment"):
        attributes["equipment_kinds"] = equipment_of(attributes["equipment"])
    category = category_of(attributes.get("category", "") or cells.name)
    targets = listed_shelter_targets(attributes) if kind == "shelter" else \
        target_groups(attributes.get("target_group", ""), category)
    if kind == "hub" and not targets:  # a nursery listed as a hub is a place for infants, not for all
        targets = facility_targets(f"{attributes.get('category', '')} {cells.name}")
    city_code = placement.city_code or ""
    return {
        "kind": kind, "name": cells.name, "address": cells.address, "city_code": city_code,
        "external_id": cells.external_id, "source_row": cells.number,
        # A council's shelter list links to the GSI lists (and to capacities) by site, as they do.
        "site_key": site_key(city_code, cells.address) if cells.address and city_code and kind in SITE_KINDS
        else "",
        "placement": placement.method, "placement_detail": placement.detail, "restricted": cells.restricted,
        "capacity": cells.capacity, "welfare_shelter": kind == "shelter" and not open_to_all(targets),
        "category": category, "targets": targets, "attributes": attributes, "lonlat": placement.lonlat,
        "hazards": hazard_keys(_cell(row, cols, "hazard"))[0],
        "report_detail": placement.report_detail,
    }


def _cell(row, cols, field_name) -> str:
    column = cols.get(field_name)
    return row.get(column, "") if column else ""


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
            return None, Said("capacity_too_big", text=text, limit=f"{MAX_CAPACITY:,}")
        return int(cleaned), None
    return None, Said("capacity_not_number", text=text)


def place_row(row, cols, context, cells: RowCells) -> tuple[Placement | None, RowError | None]:
    """Where a row is: its coordinates, else a known venue, else its address's 町丁目, else not placed.

    The error (a bad coordinate, an address in another city) names the column and what to do.
    """
    placement, problem = _place(row, cols, context, cells.city_code or "", cells.address, cells.restricted)
    return placement, RowError(cells.file, cells.number, *problem) if problem else None


def _place(row, cols, context, city_code, address, restricted=False):
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
            return Placement((venue.lon, venue.lat), "venue_match", venue_detail, city_code,
                             venue_address=venue.address), None
        if "restricted place" in venue_detail:
            # The importing user may see the place and is told why (the report); the stored,
            # public detail reads as for any unknown name.
            private_reason = venue_detail
            venue_detail = Said("venue_no_match", name=venue_name, city=city_code)
    if address and context.geocoder is not None:
        city_name = context.cities[city_code].name if city_code in context.cities else ""
        elsewhere = written_city(address)
        if city_name and elsewhere and elsewhere != city_name:  # a 府中市 row in 国分寺市's list
            return None, (cols.get("address") or "address",
                          Said("address_elsewhere", address=address, elsewhere=elsewhere, city=city_name))
        hit = context.geocoder.geocode(address, city_name)
        if hit is not None:
            return Placement((hit.lon, hit.lat), "chome_centroid", f"町丁目 {hit.town}", city_code), None
        unmatched = Said("address_no_chome", address=address)
        # Said alone when it is the only reason, so that the upload page can say it in Japanese.
        venue_detail = "; ".join([venue_detail, unmatched]) if venue_detail else unmatched
    detail = venue_detail or Said("nothing_to_place")
    return Placement(None, "not_placed", detail, city_code, report_detail=private_reason), None


def _given_coordinates(cols, context, city_code, lat_text, lon_text):
    lat, lon = parse_coordinate(lat_text), parse_coordinate(lon_text)
    if lat is None or lon is None:
        column, text = (cols["lat"], lat_text) if lat is None else (cols["lon"], lon_text)
        return None, (column, Said("not_degrees", text=text))
    problem = coordinate_problem(lat, lon)
    if problem:
        return None, (f"{cols['lat']}/{cols['lon']}", problem)
    city = context.cities.get(city_code)
    if city is not None:
        outside = city.metres_outside(lon, lat)
        if outside > MAX_METRES_OUTSIDE_CITY:
            return None, (f"{cols['lat']}/{cols['lon']}",
                          Said("outside_city", km=f"{outside / 1000:.1f}", city=city.name))
    return Placement((lon, lat), "coordinates", "coordinates given", city_code), None
