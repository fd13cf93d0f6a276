"""Area sets from council tables: 町丁目 descriptions or lists of other areas → stored areas."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import shapely
import shapely.geometry

from app.domain.chome import Chome, ChomeIndex
from app.domain.districts import nearest_point_cells
from app.importers.report import ImportFailed, ImportReport, RowError, fail_if
from app.importers.tables import pick_column, read_table
from app.importers.vector import as_multipolygon
from app.storage.repository import AreaSetMeta, DatasetMeta, Repository

NAME = ("name", "名称", "地区", "地区名", "圏域", "圏域名", "学校", "学校名", "school", "area", "area_name")
CODE = ("code", "コード", "番号", "area_code")
DEFINITION = ("area_as_written", "区域", "町丁目", "通学区域", "members", "definition", "構成", "target_area",
              "対象地域")
CITY = ("city", "市区町村", "city_code")
MEMBER_SEPARATORS = r"[、,，・;；/]"


def load_chome_index(data_dir: Path, repo: Repository) -> ChomeIndex:
    """The address table's 町丁目 with their 2015 census population (joined 1:1 in the data)."""
    path = Path(data_dir) / "address" / "geolonia_chome_points.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no 町丁目 table; set OPEN_DATA_DIR to the open data")
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    chome = [Chome(r["city_code"], r["town"], float(r.get("estat2015_jinko") or 0)) for r in rows]
    points = {(r["city_code"], r["town"]): (float(r["lng"]), float(r["lat"])) for r in rows}
    return ChomeIndex(chome, repo.city_names(), points)


@dataclass
class AreaDraft:
    name: str
    code: str
    city: str
    rows: list[int] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)
    members: dict[str, dict] = field(default_factory=dict)  # town → {population, partial}
    member_areas: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def _drafts(path: Path, city: str | None, where: dict[str, str], cols: dict, rows: list[dict],
            index: ChomeIndex) -> tuple[dict[str, AreaDraft], list[RowError]]:
    drafts: dict[str, AreaDraft] = {}
    errors = []
    for number, row in enumerate(rows, start=1):
        if any(row.get(k, "") != v for k, v in where.items()):
            continue
        name, definition = row.get(cols["name"], "").strip(), row.get(cols["definition"], "").strip()
        row_city = _city(row.get(cols["city"], "") if cols["city"] else "", city, index)
        if not name:
            errors.append(RowError(path.name, number, cols["name"], "area name is empty"))
            continue
        if not definition:
            errors.append(RowError(path.name, number, cols["definition"], f"{name}: the area's 町丁目 or "
                                   "member areas are empty; fill the cell or delete the row"))
            continue
        if row_city is None:
            errors.append(RowError(path.name, number, cols["city"] or "city", "unknown city; give a city "
                                   "column or --city CODE of an imported city"))
            continue
        code = row.get(cols["code"], "").strip() if cols["code"] else ""
        draft = drafts.setdefault(name, AreaDraft(name, code or name, row_city))
        if code and draft.code != code:
            errors.append(RowError(path.name, number, cols["code"], f"area {name!r} appears again with code "
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
                    where: dict[str, str] | None = None) -> ImportReport:
    """``build_area_set`` for rows already read; ``name`` labels the messages."""
    path = Path(name)
    cols = {"name": pick_column(header, NAME), "code": pick_column(header, CODE),
            "definition": pick_column(header, DEFINITION), "city": pick_column(header, CITY)}
    missing = [RowError(path.name, None, label, f"no {label} column; columns are {', '.join(header)}")
               for label in ("name", "definition") if cols[label] is None]
    fail_if(missing)
    drafts, errors = _drafts(path, city, where or {}, cols, rows, index)
    if members_set:
        errors += _resolve_member_areas(repo, path, drafts, kind, set_name, members_set)
    else:
        errors += _resolve_chome(path, drafts, index)
    fail_if(errors)
    if not drafts:
        fail_if([RowError(path.name, None, None, "no rows matched; check --where")])
    report = ImportReport(file=path.name, layer=kind, read=len(rows))
    areas = _polygons(repo, index, drafts, kind, members_set, report)
    _validation(index, drafts, members_set, report)
    source = f"{path.name} (町丁目 table supplied by the council); polygons derived"
    repo.replace_dataset(
        DatasetMeta(key=f"areas:{kind}:{set_name}", layer=kind, title=f"{kind} — {set_name} (derived)",
                    source_file=path.name, attribution=source),
        area_set=AreaSetMeta(kind=kind, name=set_name, provenance="derived", source=source),
        areas_rows=areas)
    report.stored = len(areas)
    return report


def _resolve_chome(path: Path, drafts: dict[str, AreaDraft], index: ChomeIndex) -> list[RowError]:
    errors = []
    for draft in drafts.values():
        for row, text in zip(draft.rows, draft.definitions, strict=True):
            parsed = index.parse(text, draft.city)
            errors += [RowError(path.name, row, "definition", e) for e in parsed.errors]
            draft.unknown += parsed.unknown
            for m in parsed.members:
                kept = draft.members.get(m.chome.town)
                if kept is None or (kept["partial"] and not m.partial):
                    draft.members[m.chome.town] = {"town": m.chome.town, "population": m.chome.population,
                                                   "partial": m.partial, "note": m.note}
    return errors


def _resolve_member_areas(repo, path, drafts, kind, set_name, members_set) -> list[RowError]:
    errors = []
    known = {a["name"]: a for a in repo.find_areas(limit=100_000) if a["set_name"] == members_set}
    if not known:
        return [RowError(path.name, None, None, f"no areas in set {members_set!r}; import it first")]
    for draft in drafts.values():
        for row, text in zip(draft.rows, draft.definitions, strict=True):
            for member in (m.strip() for m in re.split(MEMBER_SEPARATORS, text)):
                if not member:
                    continue
                if member == draft.name or (members_set == set_name and member in drafts):
                    errors.append(RowError(path.name, row, "definition", f"{draft.name!r} is defined by "
                                           f"{member!r} of the same table: a cycle"))
                elif member not in known:
                    draft.unknown.append(member)
                else:
                    draft.member_areas.append(member)
    return errors


def _polygons(repo, index, drafts, kind, members_set, report) -> list[dict]:
    """One multipolygon per area: union of member areas, or 町丁目 Voronoi cells dissolved."""
    rows = []
    if members_set:
        known = {a["name"]: a for a in repo.find_areas(limit=100_000) if a["set_name"] == members_set}
        for draft in drafts.values():
            parts = [shapely.geometry.shape(known[m]["geometry"]) for m in draft.member_areas]
            population = sum(known[m]["properties"].get("population", 0) for m in draft.member_areas)
            if parts:
                rows.append(_area_row(draft, as_multipolygon(shapely.union_all(parts)), kind, population))
        return rows
    cities = {c["code"]: c["geom"] for c in repo.cities()}
    for code in sorted({d.city for d in drafts.values()}):
        owner = {town: d.name for d in drafts.values() if d.city == code for town in d.members}
        points = [(town, owner.get(town, ""), *index.points[(code, town)]) for town in
                  (c.town for c in index.by_city.get(code, [])) if (code, town) in index.points]
        frame = gpd.GeoDataFrame({"town": [p[0] for p in points], "area": [p[1] for p in points]},
                                 geometry=gpd.points_from_xy([p[2] for p in points], [p[3] for p in points]),
                                 crs="EPSG:4326")
        if code not in cities:
            report.notes.append(f"city {code} has no boundary stored: no polygons derived")
            continue
        cells = nearest_point_cells(gpd.GeoDataFrame(geometry=[cities[code]], crs="EPSG:4326"), frame, "area")
        geoms = {r["area"]: r.geometry for _, r in cells.iterrows() if r["area"]}
        for draft in (d for d in drafts.values() if d.city == code):
            if draft.name in geoms:
                rows.append(_area_row(draft, as_multipolygon(geoms[draft.name]), kind,
                                      sum(m["population"] for m in draft.members.values())))
    return rows


def _area_row(draft: AreaDraft, geometry, kind: str, population: float) -> dict:
    return {"code": draft.code, "name": draft.name, "city_code": draft.city, "geometry": geometry,
            "properties": {"population": population, "members": list(draft.members.values()),
                           "member_areas": draft.member_areas, "unknown": draft.unknown,
                           "definition": "、".join(draft.definitions),
                           "polygon": "union of member areas" if draft.member_areas else
                           "町丁目 points' Voronoi cells clipped to the city, dissolved"}}


def _validation(index: ChomeIndex, drafts: dict[str, AreaDraft], members_set, report: ImportReport) -> None:
    for draft in drafts.values():
        count = len(draft.member_areas) if members_set else len(draft.members)
        population = sum(m["population"] for m in draft.members.values())
        report.notes.append(f"{draft.name}: {count} members" +
                            ("" if members_set else f", population {population:,.0f} (2015)"))
        if not count:
            report.not_placed.append(f"area {draft.name!r} has no members and was not stored")
        for name in draft.unknown:
            report.not_placed.append(f"area {draft.name!r}: unknown name {name!r} (not guessed)")
    if members_set:
        return
    assigned: dict[str, list[str]] = {}
    for draft in drafts.values():
        for town in draft.members:
            assigned.setdefault(town, []).append(draft.name)
    for code in sorted({d.city for d in drafts.values()}):
        towns = [c.town for c in index.by_city.get(code, [])]
        free = [t for t in towns if t not in assigned]
        if free:
            report.notes.append(f"{len(free)} 町丁目 of {index.city_names.get(code, code)} in no area: "
                                f"{'、'.join(free[:15])}{' …' if len(free) > 15 else ''}")
    for town, names in sorted(assigned.items()):
        whole = [n for n in names if not drafts[n].members[town]["partial"]]
        if len(names) > 1:
            kind = "split between" if len(whole) < len(names) else "assigned to"
            report.notes.append(f"{town} {kind} {len(names)} areas: {'、'.join(names)}")


def build_declared_catchments(repo: Repository, index: ChomeIndex, kind: str = "salon") -> ImportReport:
    """Salons' (or any kind's) declared target 町丁目 as a catchment area set."""
    label = f"declared catchments of {kind}"
    rows = [{"name": r["name"], "code": f"resource:{r['id']}", "city": r["city_code"],
             "target_area": r["attributes"]["target_area"]}
            for r in repo.find_resources(kinds=[kind], placed_only=False, limit=100_000)
            if r["attributes"].get("target_area")]
    if not rows:
        raise ImportFailed([RowError(label, None, None, f"no {kind} has a target area")])
    return build_from_rows(repo, index, label, ["name", "code", "city", "target_area"], rows,
                           "catchment", f"declared catchments ({kind})")
