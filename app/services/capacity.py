"""Capacity and accessibility per site: a council's list matched to the stored shelters."""

from __future__ import annotations

from pathlib import Path

from app.domain.kinds import LISTED_SITE_KINDS
from app.domain.placement import City
from app.domain.sites import Site, SiteIndex
from app.importers.capacity import parse_access, parse_capacity
from app.importers.report import ImportFailed, ImportReport, RowError
from app.importers.resources import PlacementContext
from app.services._stores import uses_stores
from app.storage.repository import DatasetMeta, Repository

CAPACITY_KINDS = LISTED_SITE_KINDS


@uses_stores
def import_capacity(repo: Repository, path: Path, *, kind: str = "shelter", city: str | None = None,
                    as_of: str = "", skip_unmatched: bool = False) -> ImportReport:
    """Attach each row's capacity to the stored site it names; one transaction per file.

    A row that fits no site, or several, rejects the file (every such row listed), unless
    ``skip_unmatched``: then the matched rows are stored and the others listed in the report.
    Two rows naming one site reject the file: which figure is right is the council's call.

    Returns
    -------
    ImportReport
        Rows read and stored, and the rows left out with why.
    """
    return _store_list(repo, Path(path), "capacity", kind, city, as_of, skip_unmatched)


@uses_stores
def import_access(repo: Repository, path: Path, *, kind: str = "shelter", city: str | None = None,
                  as_of: str = "", skip_unmatched: bool = False) -> ImportReport:
    """Attach each row's accessibility (段差なし入口, 車いすトイレ …) to the stored site it names.

    Matched and refused exactly as ``import_capacity``; the newest list naming a site is the one
    read, and a coordinator's own answer on the place wins over any list.
    """
    return _store_list(repo, Path(path), "access", kind, city, as_of, skip_unmatched)


# What each list is: its reader, its layer, its words, and the table its rows go to.
LISTS = {"capacity": (parse_capacity, "site_capacity", "capacity list", "capacity_rows"),
         "access": (parse_access, "site_access", "accessibility list", "access_rows")}


def _store_list(repo, path, what, kind, city, as_of, skip_unmatched) -> ImportReport:
    parse, layer, words, rows_argument = LISTS[what]
    report, matched = _matched_rows(repo, path, parse, kind, city, as_of, skip_unmatched)
    repo.replace_dataset(
        DatasetMeta(key=f"{what}:{kind}:{path.stem}", layer=layer, title=f"{kind} {words} {path.name}",
                    source_file=path.name, attribution=f"{path.name} ({words} supplied by the council)"),
        **{rows_argument: matched})
    report.stored = len(matched)
    return report


def _matched_rows(repo, path, parse, kind, city, as_of, skip_unmatched):
    """Read a site list and match its rows; refuses the file when a row fits no site (see above)."""
    if kind not in CAPACITY_KINDS:
        raise ValueError(f"site lists are kept for {' or '.join(CAPACITY_KINDS)}, not {kind!r}")
    cities = {r.code: City(r.code, r.name, r.geometry) for r in repo.cities_frame().itertuples()}
    rows, report = parse(path, PlacementContext(cities=cities), city, as_of)
    index = SiteIndex([Site(**s) for s in repo.capacity_sites((kind,))])
    matched, unmatched = _match(path.name, rows, index)
    if unmatched and not skip_unmatched:
        raise ImportFailed(unmatched)
    report.not_placed.extend(str(e) for e in unmatched)
    report.placements.update({"matched": len(matched), "not matched": len(unmatched)})
    return report, matched


def _match(file: str, rows: list[dict], index: SiteIndex) -> tuple[list[dict], list[RowError]]:
    matched, unmatched, duplicates, seen = [], [], [], {}
    for row in rows:
        site, how = index.match(row["name"], row["address"], row["city_code"])
        if site is None:
            unmatched.append(RowError(file, row["source_row"], "施設名", how))
        elif site.site_key in seen:
            duplicates.append(RowError(file, row["source_row"], "施設名", f"{site.name!r} is also row "
                                       f"{seen[site.site_key]}; keep one row per site"))
        else:
            seen[site.site_key] = row["source_row"]
            matched.append({"city_code": site.city_code, "site_key": site.site_key, "kind": site.kind,
                            "name": site.name, "as_of": row["as_of"], "source_row": row["source_row"],
                            **{k: row[k] for k in ("capacity", "access") if k in row}})
    if duplicates:
        raise ImportFailed(duplicates)
    return matched, unmatched
