"""Import use-cases: parse a file with its importer, then store it in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import shapely

from app.domain.districts import far_from_their_city, nearest_school_districts
from app.domain.geocoding import Geocoder
from app.domain.placement import City, Venue, VenueIndex
from app.domain.reimport import Carried
from app.importers.boundaries import parse_boundaries
from app.importers.context import parse_context
from app.importers.population import parse_population
from app.importers.report import ImportReport, RowError, fail_if
from app.importers.resources import PlacementContext, parse_resources
from app.importers.shelters import ATTRIBUTION as GSI_ATTRIBUTION
from app.importers.shelters import Unavailable, parse_shelters
from app.importers.vector import JAPAN, as_multipolygon
from app.services._stores import uses_stores
from app.storage.repository import AreaSetMeta, DatasetMeta, Repository

VENUE_KINDS = ("hub", "shelter", "emergency_site", "school")

BOUNDARY_ATTRIBUTION = {
    "N03": "「国土数値情報（行政区域データ）」（国土交通省）を加工して作成",
    "A27": "「国土数値情報（小学校区データ）」（国土交通省）",
    "A32": "「国土数値情報（中学校区データ）」（国土交通省）",
    "A26": "「国土数値情報（土砂災害危険箇所データ）」（国土交通省）",
}
POPULATION_ATTRIBUTION = {
    "mesh250": "出典 政府統計の総合窓口(e-Stat)、令和2年国勢調査 地域メッシュ統計",
    "mesh500": "出典 政府統計の総合窓口(e-Stat)、平成27年国勢調査 地域メッシュ統計",
    "chome": "出典 政府統計の総合窓口(e-Stat)、平成27年国勢調査 町丁・字等別境界データ",
}


def _attribution_for(layout_note: str, kind: str) -> str:
    for prefix, text in BOUNDARY_ATTRIBUTION.items():
        if prefix in layout_note:
            return text
    return f"{kind} boundaries (source as supplied by the importer)"


def city_lookup(repo: Repository):
    """Geom → code of the stored city it overlaps most (for files without a city column)."""
    cities = repo.cities_frame()

    shapes = cities.geometry.to_numpy()

    def lookup(geom):
        if not len(shapes):
            return None
        # Only which overlap is largest matters, so areas in degrees compare as well as metres.
        best = int(shapely.area(shapely.intersection(shapes, geom)).argmax())
        return cities["code"].iloc[best] if shapes[best].intersects(geom) else None

    return lookup


@uses_stores
def import_boundaries(repo: Repository, path: Path, kind: str, *, set_name: str | None = None,
                      provenance: str = "official", attribution: str | None = None,
                      name_col=None, code_col=None, city_col=None, crs=None,
                      repair=False, extent=JAPAN) -> ImportReport:
    """Import area polygons of ``kind`` from a vector file, replacing that set's earlier import.

    ``extent``: lon/lat bounds every area must lie in (Japan; None: anywhere, for data abroad).
    """
    path = Path(path)
    frame, report = parse_boundaries(path, kind, name_col=name_col, code_col=code_col,
                                     city_col=city_col, declared_crs=crs, repair=repair,
                                     city_lookup=city_lookup(repo), extent=extent)
    if kind != "city":
        fail_if([RowError(path.name, None, "geometry", f"{name} lies {km} km from {city}, the city it names; "
                          "check the file's CRS (--crs) and its city column")
                 for name, city, km in far_from_their_city(frame, repo.cities_frame())])
    set_name = set_name or f"{kind}:{path.stem}"
    source = attribution or _attribution_for(report.notes[0], kind)
    repo.replace_dataset(
        DatasetMeta(key=f"boundaries:{kind}:{set_name}", layer=kind, title=f"{kind} — {set_name}",
                    source_file=path.name, attribution=source),
        area_set=AreaSetMeta(kind=kind, name=set_name, provenance=provenance, source=source),
        areas_rows=frame.to_dict("records"),
        supersede_approximate=(provenance == "official"),
    )
    return report


def gsi_city_codes(repo: Repository) -> dict[str, str]:
    """City name → code, for the GSI files' 市町村名 column."""
    return {name: code for code, name in repo.city_names().items()}


@uses_stores
def import_shelters(repo: Repository, path: Path) -> ImportReport:
    """Import one GSI file; the publisher's 'unavailable' placeholder is reported, not fatal."""
    path = Path(path)
    try:
        kind, records, report = parse_shelters(path, gsi_city_codes(repo))
    except Unavailable as exc:
        report = ImportReport(file=path.name, layer="shelters", skipped=True)
        report.notes.append(f"the publisher has no data for this list: {exc}")
        # Kept as an empty dataset so the map can say the data does not exist upstream.
        repo.replace_dataset(DatasetMeta(
            key=f"gsi:{path.stem}", layer=exc.layer, title=f"{exc.layer} ({path.stem}): no data",
            source_file=path.name, attribution=GSI_ATTRIBUTION, source_date="2025-10",
            notes=str(exc), status="unavailable", city_code=exc.city_code))
        return report
    label = "指定避難所" if kind == "shelter" else "指定緊急避難場所"
    repo.replace_dataset(
        DatasetMeta(key=f"gsi:{path.stem}", layer=kind, title=f"{label} ({path.stem})",
                    source_file=path.name, attribution=GSI_ATTRIBUTION,
                    licence="国土地理院コンテンツ利用規約 (出典明示)", source_date="2025-10"),
        resource_rows=records,
    )
    report.stored = len(records)
    return report


def placement_context(repo: Repository, geocoder: Geocoder | None, dataset_key: str | None = None,
                      visible_cities=()) -> PlacementContext:
    """Cities, geocoder and known venues for placing rows of a list.

    ``visible_cities``: cities whose restricted places the importing user may see; the
    public's (none) by default.
    """
    cities = {r.code: City(r.code, r.name, r.geometry) for r in repo.cities_frame().itertuples()}
    candidates = repo.venue_candidates(VENUE_KINDS, exclude_dataset=dataset_key,
                                       visible_cities=visible_cities)
    venues = VenueIndex([Venue(r.name, r.city_code, r.geometry.x, r.geometry.y, r.kind, bool(r.restricted),
                               r.address or "") for r in candidates.itertuples()])
    return PlacementContext(cities=cities, geocoder=geocoder, venues=venues)


@dataclass
class ParsedList:
    """A council list read and placed, not yet stored: what ``store_list`` writes."""

    meta: DatasetMeta
    records: list[dict]
    report: ImportReport


def parse_list(repo: Repository, path: Path, kind: str, *, geocoder=None, city=None,
               attribution: str | None = None, key: str | None = None, visible_cities=(),
               lock_city: bool = False) -> ParsedList:
    """Read and place every row of a council list of ``kind``; nothing is written.

    Kept apart from the write so that the file is read, geocoded and placed before a transaction
    opens: the write lock is held for the rows' insert only.
    ``lock_city``: every row must be of ``city`` (an upload by a coordinator of that city).
    """
    path = Path(path)
    key = key or f"resources:{kind}:{path.stem}"
    context = placement_context(repo, geocoder, key, visible_cities)
    records, report = parse_resources(path, kind, context, city, lock_city)
    meta = DatasetMeta(key=key, layer=kind, title=f"{kind} list {path.name}", source_file=path.name,
                       attribution=attribution or f"{path.name} (list supplied by the council)")
    return ParsedList(meta, records, report)


def store_list(repo: Repository, parsed: ParsedList, connection=None) -> ImportReport:
    """Store a parsed list in one transaction (``connection``: the caller's, to join)."""
    carried = Carried()
    repo.replace_dataset(parsed.meta, resource_rows=parsed.records, connection=connection, carried=carried)
    report = parsed.report
    report.stored = len(parsed.records)
    if carried.edits or carried.deletions:
        report.notes.append(f"kept coordinators' work on places imported again: {carried.edits} edited, "
                            f"{carried.deletions} deleted")
    report.notes.extend(f"to decide: {line}" for line in carried.conflicts)
    return report


@uses_stores
def import_resources(repo: Repository, path: Path, kind: str, *, geocoder=None, city=None,
                     attribution: str | None = None, key: str | None = None,
                     visible_cities=(), lock_city: bool = False) -> ImportReport:
    """Import a council list of ``kind``: every row placed (or reported), stored in one transaction."""
    parsed = parse_list(repo, path, kind, geocoder=geocoder, city=city, attribution=attribution, key=key,
                        visible_cities=visible_cities, lock_city=lock_city)
    return store_list(repo, parsed)


@uses_stores
def import_population(repo: Repository, path: Path, *, year=None, bbox=None) -> ImportReport:
    """Import population units (mesh cells or 町丁目 points), each given its city."""
    path = Path(path)
    units, report = parse_population(path, year=year, bbox=bbox)
    cities = repo.cities_frame()
    tree = shapely.STRtree(cities.geometry.to_numpy()) if len(cities) else None
    for unit in units:
        if not unit["city_code"] and tree is not None:
            hit = tree.query(unit["geom"].centroid, predicate="within")
            unit["city_code"] = cities["code"].iloc[hit[0]] if len(hit) else ""
    unit_type = units[0]["unit_type"] if units else "population"
    repo.replace_dataset(
        DatasetMeta(key=f"population:{path.stem}", layer="population",
                    title=f"population {unit_type} ({path.name})", source_file=path.name,
                    attribution=POPULATION_ATTRIBUTION.get(unit_type, path.name),
                    source_date=str(units[0]["year"]) if units else "", notes=report.notes[-1]),
        population_rows=units,
    )
    return report


def import_context(repo: Repository, path: Path, layer: str, attribution: str) -> ImportReport:
    """Import a context layer (railways, stations, rivers) shown for orientation."""
    path = Path(path)
    rows, report = parse_context(path, layer)
    repo.replace_dataset(
        DatasetMeta(key=f"context:{path.stem}", layer=layer, title=f"{layer} ({path.name})",
                    source_file=path.name, attribution=attribution),
        context_rows=rows,
    )
    return report


def _kept_approximate(repo: Repository, rebuilt: set[str]) -> list[dict]:
    """The stored approximate districts of the cities not being rebuilt, as rows to store again."""
    kept = repo.areas_frame(kind="school_district", provenance="approximate")
    kept = kept[~kept["city_code"].isin(rebuilt)]
    return [{"code": r.code, "name": r.name, "city_code": r.city_code, "geometry": r.geometry,
             "properties": r.properties or {}} for r in kept.itertuples()]


@uses_stores
def build_approximate_districts(repo: Repository, skip_cities: set[str],
                                only_city: str | None = None) -> ImportReport:
    """Nearest-school districts for cities without official ones, stored as approximate.

    ``only_city``: derive that city's districts and keep the other cities' as they are.
    """
    schools = repo.resources_frame(kinds=["school"], placed_only=True)[["name", "city_code", "geometry"]]
    cities = repo.cities_frame()
    if only_city is not None:
        if only_city not in set(cities["code"]):
            raise ValueError(f"no city {only_city} is stored; import its boundary first")
        if schools[schools["city_code"] == only_city].empty:
            raise ValueError(f"city {only_city} has no elementary schools stored; import them first "
                             "(fureai import resources FILE --kind school)")
        cities = cities[cities["code"] == only_city]
    rows = _kept_approximate(repo, set(cities["code"])) if only_city else []
    for city in cities.itertuples():
        if city.code in skip_cities:
            continue
        own = schools[schools["city_code"] == city.code]
        cells = nearest_school_districts(gpd.GeoDataFrame(geometry=[city.geometry], crs="EPSG:4326"), own)
        for cell in cells.itertuples():
            rows.append({"code": f"{city.code}:{cell.name}", "name": cell.name,
                         "city_code": city.code, "geometry": as_multipolygon(cell.geometry),
                         "properties": {"method": "nearest public elementary school, clipped to city"}})
    source = ("近似: 指定避難所の小学校 (国土地理院) からの最近隣割当 — 公式の通学区域ではありません "
              "/ approximate: nearest school, not the official zones")
    repo.replace_dataset(
        DatasetMeta(key="derived:approximate_school_districts", layer="school_district",
                    title="approximate school districts (nearest school)",
                    source_file="schools/elementary_schools_gsi.geojson", attribution=source),
        area_set=AreaSetMeta(kind="school_district", name="approximate (nearest school)",
                             provenance="approximate", source=source),
        areas_rows=rows,
    )
    report = ImportReport(file="approximate school districts", layer="school_district",
                          read=len(schools), stored=len(rows))
    report.notes.append(f"{len(rows)} approximate districts for cities without official ones")
    if only_city:
        made = sum(1 for r in rows if r["city_code"] == only_city)
        report.notes.append(f"{made} approximate districts derived for city {only_city} from its schools; "
                            "labelled approximate everywhere, replaced by official ones on import")
    return report
