"""Area sets from council tables: 町丁目 descriptions or lists of other areas → stored areas."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely

from app.domain.area_drafts import (
    AreaDraft,
    area_record,
    resolve_chome,
    resolve_member_areas,
    validation,
)
from app.domain.chome import ChomeIndex
from app.domain.districts import nearest_point_cells
from app.importers.chome_table import read_chome_table
from app.importers.report import ImportFailed, ImportReport, RowError, fail_if
from app.importers.tables import numbered, pick_column, read_table
from app.importers.vector import as_multipolygon
from app.services._stores import uses_stores
from app.storage.repository import AreaSetMeta, DatasetMeta, Repository

NAME = ("name", "名称", "地区", "地区名", "圏域", "圏域名", "学校", "学校名", "school", "area", "area_name")
CODE = ("code", "コード", "番号", "area_code")
DEFINITION = ("area_as_written", "区域", "町丁目", "通学区域", "members", "definition", "構成", "target_area",
              "対象地域")
CITY = ("city", "市区町村", "city_code")


@uses_stores
def load_chome_index(repo: Repository, data_dir: Path) -> ChomeIndex:
    """The open data's 町丁目 with their 2015 population, for the stored cities."""
    chome, points = read_chome_table(Path(data_dir))
    return ChomeIndex(chome, repo.city_names(), points)


def _drafts(name: str, city: str | None, where: dict[str, str], cols: dict, rows: list[dict],
            index: ChomeIndex) -> tuple[dict[str, AreaDraft], list[RowError]]:
    drafts: dict[str, AreaDraft] = {}
    errors = []
    for number, row in numbered(rows):
        if any(row.get(k, "") != v for k, v in where.items()):
            continue
        area, definition = row.get(cols["name"], "").strip(), row.get(cols["definition"], "").strip()
        row_city = _city(row.get(cols["city"], "") if cols["city"] else "", city, index)
        problem = (
            (cols["name"], "area name is empty") if not area else
            (cols["definition"], f"{area}: the area's 町丁目 or member areas are empty; fill the cell or "
                                 "delete the row") if not definition else
            (cols["city"] or "city", "unknown city; give a city column or --city CODE of an imported "
                                     "city") if row_city is None else None)
        if problem:
            errors.append(RowError(name, number, *problem))
            continue
        code = row.get(cols["code"], "").strip() if cols["code"] else ""
        draft = drafts.setdefault(area, AreaDraft(area, code or area, row_city))
        if code and draft.code != code:
            errors.append(RowError(name, number, cols["code"], f"area {area!r} appears again with code "
                                   f"{code!r} (first {draft.code!r}); area names must be unique"))
        draft.rows.append(number)
        draft.definitions.append(definition)
    return drafts, errors


def _city(value: str, default: str | None, index: ChomeIndex) -> str | None:
    value = value.strip()
    if not value:
        return default
    if value[:5] in index.city_names:
        return value[:5]
    return next((code for code, name in index.city_names.items() if name == value), None)


@uses_stores
def build_area_set(repo: Repository, index: ChomeIndex, path: Path, kind: str, set_name: str, *,
                   city: str | None = None, members_set: str | None = None,
                   where: dict[str, str] | None = None) -> ImportReport:
    """Build and store an area set from a table; all or nothing, with a validation report."""
    path = Path(path)
    header, rows, _ = read_table(path)
    return build_from_rows(repo, index, path.name, header, rows, kind, set_name, city=city,
                           members_set=members_set, where=where)


def build_from_rows(repo: Repository, index: ChomeIndex, name: str, header: list[str], rows: list[dict],
                    kind: str, set_name: str, *, city: str | None = None, members_set: str | None = None,
                    where: dict[str, str] | None = None, resource_ids: dict[str, int] | None = None
                    ) -> ImportReport:
    """``build_area_set`` for rows already read; ``name`` labels the messages.

    ``resource_ids``: area code → the resource the area belongs to (declared catchments).
    """
    cols = {"name": pick_column(header, NAME), "code": pick_column(header, CODE),
            "definition": pick_column(header, DEFINITION), "city": pick_column(header, CITY)}
    fail_if([RowError(name, None, label, f"no {label} column; columns are {', '.join(header)}")
             for label in ("name", "definition") if cols[label] is None])
    drafts, errors = _drafts(name, city, where or {}, cols, rows, index)
    members = repo.areas_frame(set_name=members_set) if members_set else None
    if members_set and members.empty:
        errors.append(RowError(name, None, None, f"no areas in set {members_set!r}; import it first"))
    elif members_set:
        errors += [RowError(name, p.row, p.column, p.message) for p in resolve_member_areas(
            drafts, set(members["name"]), same_set=members_set == set_name)]
    else:
        errors += [RowError(name, p.row, p.column, p.message) for p in resolve_chome(drafts, index)]
    fail_if(errors)
    if not drafts:
        fail_if([RowError(name, None, None, "no rows matched; check --where")])
    report = ImportReport(file=name, layer=kind, read=len(rows))
    ids = resource_ids or {}
    polygons = (_member_polygons(drafts, members) if members_set
                else _chome_polygons(repo, index, drafts, report))
    areas = [area_record(d, geometry, population, ids.get(d.code)) for d, geometry, population in polygons]
    notes, not_stored = validation(index, drafts, bool(members_set))
    report.notes += notes
    report.not_placed += not_stored
    source = f"{name} (町丁目 table supplied by the council); polygons derived"
    repo.replace_dataset(
        DatasetMeta(key=f"areas:{kind}:{set_name}", layer=kind, title=f"{kind} — {set_name} (derived)",
                    source_file=name, attribution=source),
        area_set=AreaSetMeta(kind=kind, name=set_name, provenance="derived", source=source),
        areas_rows=areas)
    report.stored = len(areas)
    return report


def _member_polygons(drafts, members: gpd.GeoDataFrame):
    """Each area as the union of its member areas, with their summed population."""
    by_name = members.set_index("name")
    for draft in drafts.values():
        if draft.member_areas:
            parts = by_name.loc[draft.member_areas]
            population = sum((p or {}).get("population", 0) for p in parts["properties"])
            yield draft, as_multipolygon(shapely.union_all(parts.geometry.to_numpy())), population


def _chome_polygons(repo, index, drafts, report):
    """Each area as its 町丁目 points' Voronoi cells, clipped to the city and dissolved."""
    cities = repo.cities_frame().set_index("code")
    for code in sorted({d.city for d in drafts.values()}):
        if code not in cities.index:
            report.notes.append(f"city {code} has no boundary stored: no polygons derived")
            continue
        owner = {town: d.name for d in drafts.values() if d.city == code for town in d.members}
        towns = [c.town for c in index.by_city.get(code, []) if (code, c.town) in index.points]
        points = gpd.GeoDataFrame({"area": [owner.get(t, "") for t in towns]},
                                  geometry=gpd.points_from_xy(*zip(*(index.points[(code, t)] for t in towns),
                                                                    strict=True)), crs="EPSG:4326")
        city = gpd.GeoDataFrame(geometry=[cities.loc[code, "geometry"]], crs="EPSG:4326")
        cells = nearest_point_cells(city, points, "area").set_index("area").geometry
        for draft in (d for d in drafts.values() if d.city == code):
            if draft.name in cells.index:
                yield draft, as_multipolygon(cells[draft.name]), draft.population


@uses_stores
def build_declared_catchments(repo: Repository, index: ChomeIndex, kind: str = "salon") -> ImportReport:
    """Salons' (or any kind's) declared target 町丁目 as a catchment area set."""
    label = f"declared catchments of {kind}"
    salons = repo.resources_frame(kinds=[kind])
    rows = [{"name": r.name, "code": f"{kind}-{r.id}", "city": r.city_code,
             "target_area": r.attributes["target_area"]}
            for r in salons.itertuples() if (r.attributes or {}).get("target_area")]
    if not rows:
        raise ImportFailed([RowError(label, None, None, f"no {kind} has a target area")])
    ids = {f"{kind}-{r.id}": int(r.id) for r in salons.itertuples()}
    return build_from_rows(repo, index, label, ["name", "code", "city", "target_area"], rows,
                           "catchment", f"declared catchments ({kind})", resource_ids=ids)
