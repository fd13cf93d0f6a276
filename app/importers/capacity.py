"""Lists about sites a council already has: capacity (収容人数) and accessibility (段差なし入口 …).

Both name their shelters (施設名/住所, a city, 時点); the rows are read and checked here; which
stored site each row means is decided by the caller with ``domain.sites`` (a site is data the
importer does not hold).
"""

from __future__ import annotations

from pathlib import Path

from app.domain import site_access
from app.importers.columns import RESOURCE_COLUMNS
from app.importers.report import ImportReport, RowError, fail_if
from app.importers.resource_rows import capacity_value
from app.importers.resources import PlacementContext
from app.importers.tables import numbered, pick_column, read_table

FIELDS = ("name", "address", "as_of", "city", "city_code")


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
    return _read_list(path, context, city_code, as_of, ("site_capacity", "収容人数"),
                      {"capacity": RESOURCE_COLUMNS["capacity"]}, _capacity)


def parse_access(path: Path, context: PlacementContext, city_code: str | None = None,
                 as_of: str = "") -> tuple[list[dict], ImportReport]:
    """Read an accessibility list: per site, 段差なし入口 / 車いすトイレ / エレベーター / 福祉スペース.

    Each cell is あり (○, 有, はい …), なし (×, 無 …) or empty/不明 (unknown); any other word
    rejects the file naming the cell. Parameters as ``parse_capacity``; rows carry ``access``,
    a dict of the features the list has columns for (the others stay unknown).
    """
    return _read_list(path, context, city_code, as_of, ("site_access", "段差なし入口 / 車いすトイレ / …"),
                      site_access.COLUMN_WORDS, _access)


def _capacity(file, number, cells, cols):
    capacity, problem = capacity_value(cells["capacity"])
    if problem is None and not capacity:
        problem = ("capacity is empty or 0; write the number of people the shelter takes, "
                   "or remove the row (an unknown capacity stays unknown)")
    return {"capacity": capacity}, ([RowError(file, number, cols["capacity"], problem)] if problem else [])


def _access(file, number, cells, cols):
    access, errors = {}, []
    for feature, column in cols.items():
        if column is None:
            continue
        value, understood = site_access.read_answer(cells[feature])
        if not understood:
            errors.append(RowError(file, number, column, f"{cells[feature]!r} is not あり (○), なし (×) or "
                                   "不明 (empty); write one of them"))
        access[feature] = value
    return {"access": access}, errors


def _read_list(path, context, city_code, as_of, names, value_columns, read_values):
    layer, label = names
    path = Path(path)
    header, rows, encoding = read_table(path)
    cols = {f: pick_column(header, RESOURCE_COLUMNS[f]) for f in FIELDS}
    values = {f: pick_column(header, words) for f, words in value_columns.items()}
    _check_header(path.name, header, cols, (label, values, value_columns), city_code)
    out, errors = [], []
    for number, row in numbered(rows):
        record, row_errors = _parse_row(path.name, number, row, cols, context, city_code, as_of)
        found, value_errors = read_values(path.name, number, {f: row.get(c, "") if c else ""
                                                              for f, c in values.items()}, values)
        errors.extend(row_errors + value_errors)
        if record and not value_errors:
            out.append({**record, **found})
    fail_if(errors)
    report = ImportReport(file=path.name, layer=layer, read=len(rows))
    report.notes.append(f"encoding: {encoding}")
    return out, report


def _check_header(file, header, cols, wanted_values, city_code) -> None:
    wanted, values, value_columns = wanted_values
    errors = []
    if cols["name"] is None:
        errors.append(RowError(file, None, "施設名", "no 施設名 column; expected one of "
                               f"{', '.join(RESOURCE_COLUMNS['name'])}. Found: {', '.join(header)}"))
    if not any(values.values()):
        errors.append(RowError(file, None, wanted, f"no {wanted} column; expected one of "
                               f"{', '.join(w for words in value_columns.values() for w in words)}. "
                               f"Found: {', '.join(header)}"))
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
    if errors:
        return None, errors
    return {"source_row": number, "name": cell["name"], "address": cell["address"], "city_code": city,
            "as_of": cell["as_of"] or default_as_of}, []
