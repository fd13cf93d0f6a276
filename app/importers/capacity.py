"""Capacity lists: how many people each shelter takes (施設名/住所, 収容人数, 時点).

The rows are read and checked here; which stored site each row means is decided by the
caller with ``domain.sites`` (a site is data the importer does not hold).
"""

from __future__ import annotations

from pathlib import Path

from app.importers.columns import RESOURCE_COLUMNS
from app.importers.report import ImportReport, RowError, fail_if
from app.importers.resource_rows import capacity_value
from app.importers.resources import PlacementContext
from app.importers.tables import numbered, pick_column, read_table

FIELDS = ("name", "address", "capacity", "as_of", "city", "city_code")


def parse_capacity(path: Path, context: PlacementContext, city_code: str | None = None,
                   as_of: str = "") -> tuple[list[dict], ImportReport]:
    """Read a capacity list.

    Parameters
    ----------
    path : Path
        CSV (UTF-8 or CP932) or .xlsx with a name column and a 収容人数 column.
    context : PlacementContext
        The stored cities, to read a city column.
    city_code : str, optional
        City of every row, for lists without a city column.
    as_of : str
        Date of the figures for rows without a 時点 cell.

    Returns
    -------
    rows, report
        Dicts with ``source_row``, ``name``, ``address``, ``city_code``, ``capacity`` and
        ``as_of``; raises ``ImportFailed`` listing every bad cell instead.
    """
    path = Path(path)
    header, rows, encoding = read_table(path)
    cols = {f: pick_column(header, RESOURCE_COLUMNS[f]) for f in FIELDS}
    _check_header(path.name, header, cols, city_code)
    out, errors = [], []
    for number, row in numbered(rows):
        record, row_errors = _parse_row(path.name, number, row, cols, context, city_code, as_of)
        errors.extend(row_errors)
        if record:
            out.append(record)
    fail_if(errors)
    report = ImportReport(file=path.name, layer="site_capacity", read=len(rows))
    report.notes.append(f"encoding: {encoding}")
    return out, report


def _check_header(file, header, cols, city_code) -> None:
    errors = []
    for field, label in (("name", "施設名"), ("capacity", "収容人数")):
        if cols[field] is None:
            errors.append(RowError(file, None, label, f"no {label} column; expected one of "
                                   f"{', '.join(RESOURCE_COLUMNS[field])}. Found: {', '.join(header)}"))
    if cols["city"] is None and cols["city_code"] is None and city_code is None:
        errors.append(RowError(file, None, "市区町村", "no city column; add one or pass --city CODE"))
    fail_if(errors)


def _parse_row(file, number, row, cols, context, default_city, default_as_of):
    cell = {f: row.get(cols[f], "") if cols[f] else "" for f in FIELDS}
    errors = []
    if not cell["name"]:
        errors.append(RowError(file, number, cols["name"], "name is empty; each row names its shelter"))
    written_city = cell["city_code"] or cell["city"]
    city = context.city_code_for(written_city) if written_city else default_city
    if city is None:
        errors.append(RowError(file, number, cols["city_code"] or cols["city"],
                               f"unknown city {written_city!r}; import the city boundaries first"))
    capacity, problem = capacity_value(cell["capacity"])
    if problem is None and not capacity:
        problem = ("capacity is empty or 0; write the number of people the shelter takes, "
                   "or remove the row (an unknown capacity stays unknown)")
    if problem:
        errors.append(RowError(file, number, cols["capacity"], problem))
    if errors:
        return None, errors
    return {"source_row": number, "name": cell["name"], "address": cell["address"], "city_code": city,
            "capacity": capacity, "as_of": cell["as_of"] or default_as_of}, []
