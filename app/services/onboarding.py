"""Onboarding a municipality from the national open files a council downloads.

``city_add`` looks through the given folders for the standard files (N03 boundaries, GSI
指定避難所 / 指定緊急避難場所 per city or the publisher's national CSV, elementary schools from the
GSI list or A27 school points, A27 districts, the e-Stat mesh, an OpenStreetMap extract), imports
what covers the city, one transaction per file, and says what it found, what is missing and what
the city's analyses will therefore say. Every step replaces its own earlier import, so
running it again updates and never duplicates.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from app.importers.report import ImportFailed
from app.importers.shelters import detect_list
from app.importers.tables import pick_column, read_table
from app.services import analysis_limits as limits
from app.services import imports
from app.services._stores import uses_stores
from app.services.demo import GSI_SCHOOLS
from app.services.networks import city_box, import_network
from app.storage.networks import NetworkStore
from app.storage.repository import Repository

CODE_PROPERTIES = ("city_code", "N03_007", "A27_005", "city_code6")
A27_SCHOOLS = "出典 国土数値情報（小学校区データ A27）の学校位置"


def _features_of(path: Path, code: str, properties=CODE_PROPERTIES) -> list[dict]:
    """The features of a GeoJSON file whose city code property is ``code`` (6-digit codes too)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return []
    features = data.get("features") if isinstance(data, dict) else None  # a JSON array is no layer
    return [f for f in features if isinstance(f, dict) and isinstance(f.get("properties") or {}, dict)
            and any(str((f.get("properties") or {}).get(p) or "")[:5] == code for p in properties)] \
        if isinstance(features, list) else []


def _find(dirs: list[Path], pattern: str) -> list[Path]:
    return sorted({p for d in dirs for p in Path(d).rglob(pattern) if p.is_file()})


@contextmanager
def _subset(path: Path, features: list[dict], code: str):
    """The city's own features of a wider file, as a file of their own (for the importers)."""
    with tempfile.TemporaryDirectory() as folder:
        single = Path(folder) / f"{path.stem}_{code}.geojson"
        single.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                          encoding="utf-8")
        yield single


def _schools_of_shelters(repo: Repository, code: str) -> list[dict]:
    """The city's elementary schools as its own 指定避難所 list names them (every public one is one).

    The rule the demo's school list was made by: a 指定避難所 whose name holds 小学校, once per name.
    """
    shelters = repo.resources_frame(kinds=["shelter"], city=code, placed_only=True)
    out: dict[str, dict] = {}
    for row in shelters.itertuples():
        if "小学校" in row.name and row.name not in out:
            out[row.name] = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [
                row.geometry.x, row.geometry.y]}, "properties": {"name": row.name, "address": row.address}}
    return list(out.values())


def _schools(repo: Repository, code: str, dirs: list[Path]) -> str:
    if len(repo.resources_frame(kinds=["school"], city=code)):
        return "schools: already stored"
    if own := _schools_of_shelters(repo, code):
        with _subset(Path("schools_from_shelters.geojson"), own, code) as single:
            imports.import_resources(repo, single, "school", city=code, attribution=GSI_SCHOOLS,
                                     key=f"resources:school:gsi-shelters:{code}")
        return f"schools: {len(own)} from the city's 指定避難所 list (those named 小学校)"
    for path in _find(dirs, "*.geojson"):
        if own := _a27_school_points(path, code):
            with _subset(path, own, code) as single:
                imports.import_resources(repo, single, "school", city=code, attribution=A27_SCHOOLS,
                                         key=f"resources:school:{path.stem}:{code}")
            return f"schools: {len(own)} from {path.name} (国土数値情報 A27 school points)"
    return ("schools: neither the city's 指定避難所 list nor an A27 school-point file names an elementary "
            "school — districts cannot be derived; per-district answers read as the whole city")


def _a27_school_points(path: Path, code: str) -> list[dict]:
    """The city's schools of a 国土数値情報 A27 school-point file (``A27_001`` city, ``A27_003`` name)."""
    return [{"type": "Feature", "geometry": f["geometry"], "properties": {
                "name": f["properties"]["A27_003"], "address": f["properties"].get("A27_004") or ""}}
            for f in _features_of(path, code, ("A27_001",))
            if (f.get("geometry") or {}).get("type") == "Point" and f["properties"].get("A27_003")]


def _boundary(repo: Repository, code: str, dirs: list[Path]) -> str:
    if code in repo.city_names():
        return f"boundary: already stored ({repo.city_names()[code]})"
    for path in _find(dirs, "*.geojson"):
        own = [f for f in _features_of(path, code)
               if "N03_007" in f["properties"] or "city_name" in f["properties"]]
        if own:
            with _subset(path, own, code) as single:
                imports.import_boundaries(repo, single, "city", set_name=f"N03 {code}",
                                          attribution=imports.BOUNDARY_ATTRIBUTION["N03"])
            return f"boundary: {path.name} ({len(own)} part(s))"
    raise ValueError(f"no boundary of city {code} in {', '.join(map(str, dirs))}; add the N03 file")


def _shelters(repo: Repository, code: str, dirs: list[Path]) -> list[str]:
    out = []
    for prefix in ("evacuation", "emergency"):
        files = _find(dirs, f"{prefix}_{code}*.json")
        for path in files:
            report = imports.import_shelters(repo, path)
            out.append(f"{prefix}: {path.name}: " + ("the publisher has no list" if report.skipped
                                                     else f"{report.stored} stored"))
        if not files:
            out.append(_from_national_list(repo, code, dirs, prefix))
    return out


def _from_national_list(repo: Repository, code: str, dirs: list[Path], prefix: str) -> str:
    """The city's rows of the publisher's national CSV of the list, when a folder holds one."""
    kind = "shelter" if prefix == "evacuation" else "emergency_site"
    name = repo.city_names()[code]
    for path in _find(dirs, "*.csv"):
        try:
            header, rows, _ = read_table(path, max_rows=500_000)
        except ImportFailed:
            continue
        # The national list's own columns, so that a council list with 名称 and 市町村名 is not taken for it.
        column = pick_column(header, ("都道府県名及び市町村名",))
        if None in (column, pick_column(header, ("共通ID",)), pick_column(header, ("緯度",))) \
                or detect_list(path, header) != kind:
            continue
        own = [r for r in rows if (r.get(column) or "").endswith(name)]
        with tempfile.TemporaryDirectory() as folder:
            single = Path(folder) / f"{prefix}_{code}_{path.stem}.csv"
            with single.open("w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, fieldnames=header)
                writer.writeheader()
                writer.writerows(own)
            report = imports.import_shelters(repo, single) if own else None
        return (f"{prefix}: {path.name} (the publisher's national list): "
                f"{report.stored if report else 0} rows of {name}")
    return f"{prefix}: no file found — the city's {prefix} reach will read as not loaded"


def _districts(repo: Repository, code: str, dirs: list[Path]) -> str:
    for path in _find(dirs, "*a27*.geojson"):
        own = _features_of(path, code)
        if own and "A27_005" in own[0]["properties"]:
            imports.import_boundaries(repo, path, "school_district", set_name="A27 小学校区")
            return f"school districts: official (A27) from {path.name}"
    imports.build_approximate_districts(repo, set(), only_city=code)
    return "school districts: no A27 file covers the city — approximate districts from its schools"


@uses_stores
def city_add(repo: Repository, code: str, dirs: list[Path],
             progress: Callable[[str], None] = print, networks: NetworkStore | None = None) -> list[str]:
    """Import what the folders hold for city ``code``; returns what was found and what is missing.

    ``networks``: where a walking network cut from an OpenStreetMap extract in the folders goes.
    """
    dirs = [Path(d) for d in dirs]
    lines = [_boundary(repo, code, dirs)]
    progress(lines[-1])
    lines += _shelters(repo, code, dirs)
    progress("\n".join(lines[1:]))
    lines.append(_schools(repo, code, dirs))
    progress(lines[-1])
    if len(repo.resources_frame(kinds=["school"], city=code)):
        lines.append(_districts(repo, code, dirs))
        progress(lines[-1])
    lines.append(_population(repo, code, dirs))
    progress(lines[-1])
    if networks is not None:
        lines.append(_network(repo, networks, code, dirs))
        progress(lines[-1])
    return lines + _what_analyses_say(repo, code)


def _network(repo: Repository, networks: NetworkStore, code: str, dirs: list[Path]) -> str:
    """The walking network of the city, cut from the first OpenStreetMap extract found."""
    extracts = _find(dirs, "*.osm.pbf")
    if not extracts:
        return ("walking network: no .osm.pbf extract found — analyses walk straight lines × the detour "
                "factor (model=network needs one)")
    stored = import_network(networks, extracts[0], code, city_box(repo, code))
    return f"walking network: {stored.nodes:,} nodes cut from {extracts[0].name} (model=network)"


# A layer a council adds itself (no national file has it), and the answers it makes unknown.
COUNCIL_LAYERS = {
    "salon": "salon coverage and the card's places for older people are unknown (—), not 0; import the "
             "council's list (fureai import resources FILE --kind salon)",
    "hub": "hub coverage is unknown (—); import the council's list of 居場所・拠点",
    "consultation_desk": "which 相談窓口 is responsible for an address is unknown; import the desks and "
                         "their 担当区域",
}


def _what_analyses_say(repo: Repository, code: str) -> list[str]:
    """Per missing layer, the answers it makes unknown; never "no gap" while one is missing."""
    missing = limits.unpublished_lists(repo, code)
    said = {"emergency_site": "emergency-site reach is unknown (the publisher has no 指定緊急避難場所 list)",
            "welfare_shelter": "welfare-shelter reach is unknown (no 受入対象者 in the shelter list)"}
    out = [f"analyses: {said[m]}" for m in sorted(missing)]
    for kind, layer in (("shelter", "指定避難所"), ("emergency_site", "指定緊急避難場所")):
        if kind not in missing and not repo.count_resources(kinds=[kind], city=code, include_restricted=True):
            out.append(f"analyses: no {layer} stored — {kind.replace('_', ' ')} reach is unknown (—)")
    districts = repo.areas_frame(kind="school_district", city=code)
    if not len(districts):
        out.append("analyses: no school districts — per-district answers read as the whole city")
    elif (districts["provenance"] == "approximate").all():
        out.append("analyses: school districts are approximate (nearest school) and say so")
    if not len(repo.population_frame("mesh250")):
        out.append("analyses: no 2020 population mesh — coverage and reach cannot be computed")
    out += [f"analyses: no {kind.replace('_', ' ')} list — {what}" for kind, what in COUNCIL_LAYERS.items()
            if not repo.count_resources(kinds=[kind], city=code, include_restricted=True)]
    return out


def _population(repo: Repository, code: str, dirs: list[Path]) -> str:
    units = repo.population_frame("mesh250")
    if (units["city_code"] == code).any():
        return "population: the 2020 mesh already covers the city"
    meshes = [p for p in _find(dirs, "*mesh250m*2020*.csv") if not p.name.endswith("_columns.csv")]
    for path in meshes:
        imports.import_population(repo, path, year=2020)
    return f"population: {', '.join(p.name for p in meshes)}" if meshes else \
        "population: no 2020 mesh table found — coverage and reach cannot be computed yet"
