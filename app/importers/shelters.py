"""GSI 指定緊急避難場所・指定避難所データ: GeoJSON per city and list, or the publisher's CSV."""

from __future__ import annotations

import json
from pathlib import Path

from app.domain.kinds import HAZARDS
from app.domain.placement import coordinate_problem, parse_coordinate
from app.domain.sites import site_key
from app.domain.targets import group_label, open_to_all, shelter_targets
from app.domain.text import nfkc
from app.importers.report import ImportFailed, ImportReport, RowError, fail_if
from app.importers.tables import numbered, pick_column, read_table

ATTRIBUTION = "出典 国土地理院「指定緊急避難場所・指定避難所データ」"
FIELDS = {
    "external_id": ("共通ID", "ID"),
    "no": ("NO", "番号"),
    "name": ("施設・場所名", "名称", "施設名"),
    "address": ("住所", "所在地"),
    "municipality": ("都道府県名及び市町村名", "市町村名"),
    "target_group": ("受入対象者",),
    "notes": ("備考",),
    "other": ("その他市町村長が必要と認める事項",),
    "same_address": ("指定緊急避難場所との住所同一", "指定避難所との住所同一"),
    "lat": ("緯度",),
    "lon": ("経度",),
}


class Unavailable(Exception):
    """The publisher has no data for this city and list; the file says so."""

    def __init__(self, message: str, layer: str, city_code: str):
        super().__init__(message)
        self.layer = layer
        self.city_code = city_code


def detect_list(path: Path, columns: list[str]) -> str:
    """'shelter' (指定避難所) or 'emergency_site' (指定緊急避難場所), from the file name or fields."""
    stem = path.stem.lower()
    if stem.startswith("evacuation") or "指定避難所" in path.stem:
        return "shelter"
    if stem.startswith("emergency") or "緊急避難場所" in path.stem:
        return "emergency_site"
    if any(HAZARDS[h][0] in columns for h in HAZARDS):
        return "emergency_site"
    return "shelter"


def read_gsi_file(path: Path) -> tuple[str, list[dict], list[str]]:
    """Read one GSI file into (list kind, raw property rows with lon/lat, column names)."""
    path = Path(path)
    if not path.exists():
        raise ImportFailed([RowError(str(path), None, None, "file not found")])
    if path.suffix.lower() == ".csv":
        # The publisher's national CSV lists every municipality: far more rows than a council list.
        header, rows, _ = read_table(path, max_rows=500_000)
        return detect_list(path, header), rows, header
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportFailed([RowError(path.name, None, None, "GeoJSON must be UTF-8")]) from None
    except json.JSONDecodeError as exc:
        raise ImportFailed([RowError(path.name, exc.lineno, None, f"not valid JSON: {exc.msg}")]) from None
    if isinstance(data, dict) and data.get("type") == "unavailable":
        layer = "emergency_site" if data.get("dataType") == "emergency" else detect_list(path, [])
        raise Unavailable(f"{data.get('name', '')}: {data.get('message', 'no data published')}",
                          layer, str(data.get("code", ""))[:5])
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportFailed([RowError(path.name, None, None, "expected a GeoJSON FeatureCollection")])
    rows, columns = _feature_rows(data.get("features") or [], path.name)
    if not rows:
        raise ImportFailed([RowError(path.name, None, None, "the file has no features")])
    return detect_list(path, columns), rows, columns


def _point_of(feature: dict):
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return None
    coords = geometry.get("coordinates")
    ok = isinstance(coords, list) and len(coords) >= 2 and all(isinstance(c, int | float) for c in coords[:2])
    return coords if ok else None


def _feature_rows(features, name: str) -> tuple[list[dict], list[str]]:
    """Property rows (with ``_lonlat``) and the column names, refusing what is not a Feature."""
    if not isinstance(features, list):
        raise ImportFailed([RowError(name, None, None, "'features' is not a list of GeoJSON Features")])
    rows, columns = [], []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            raise ImportFailed([RowError(name, number, None, "this feature is not a GeoJSON Feature object")])
        props = {**(feature.get("properties") or {}), "_lonlat": _point_of(feature)}
        columns.extend(k for k in props if k not in columns)
        rows.append(props)
    return rows, columns


def parse_shelters(path: Path, city_codes: dict[str, str]) -> tuple[str, list[dict], ImportReport]:
    """Parse a GSI shelter file into resource records.

    Parameters
    ----------
    path : Path
        ``evacuation_*.json`` / ``emergency_*.json`` GeoJSON or the publisher's CSV.
    city_codes : dict
        Municipality name (e.g. 国分寺市) → 5-digit code, to give each site its city.

    Raises
    ------
    Unavailable
        For the publisher's ``"type": "unavailable"`` placeholder files.
    """
    path = Path(path)
    kind, rows, columns = read_gsi_file(path)
    cols = {f: pick_column(columns, aliases) for f, aliases in FIELDS.items()}
    if cols["name"] is None:
        fail_if([RowError(path.name, None, "施設・場所名", "no 施設・場所名 column; is this a GSI file?")])
    hazard_cols = {h: pick_column(columns, (HAZARDS[h][0], f"災害種別_{HAZARDS[h][1]}")) for h in HAZARDS}
    report = ImportReport(file=path.name, layer=kind, read=len(rows))
    records, errors = [], []
    for number, row in numbered(rows):
        record, error = _parse_site(path.name, number, row, cols, hazard_cols, kind, city_codes)
        if error:
            errors.append(error)
        else:
            records.append(record)
    seen: dict[str, int] = {}
    for record in records:
        if record["external_id"] in seen:
            errors.append(RowError(path.name, record["source_row"], cols["external_id"],
                                   f"共通ID {record['external_id']} already used by row "
                                   f"{seen[record['external_id']]}"))
        seen.setdefault(record["external_id"], record["source_row"])
    fail_if(errors)
    report.placements["coordinates"] = len(records)
    report.notes.extend(_target_notes(records))
    return kind, records, report


def _target_notes(records: list[dict]) -> list[str]:
    """Each 受入対象者 text once, with who the rule read it as (or that it read no one)."""
    read: dict[str, list[str]] = {}
    for record in records:
        text = record["attributes"].get("target_group", "")
        if text and not open_to_all(record["targets"]):
            read.setdefault(text, record["targets"])
    unread = "読めません（一般の避難所にも福祉避難所にもしません。対象を編集で設定してください）"
    return [f"受入対象者 「{text}」 → {group_label(groups) or unread}"
            for text, groups in sorted(read.items())]


def _text(row, column) -> str:
    value = row.get(column) if column else None
    return "" if value is None else nfkc(str(value))


def _parse_site(file, number, row, cols, hazard_cols, kind, city_codes):
    name = _text(row, cols["name"])
    if not name:
        return None, RowError(file, number, cols["name"], "facility name is empty")
    lonlat = row.get("_lonlat")
    if lonlat is None and cols["lat"]:
        lat, lon = parse_coordinate(_text(row, cols["lat"])), parse_coordinate(_text(row, cols["lon"]))
        lonlat = [lon, lat] if lat is not None and lon is not None else None
    if not lonlat or len(lonlat) < 2 or lonlat[0] is None:
        return None, RowError(file, number, cols["lat"] or "geometry", "no point coordinates")
    lon, lat = float(lonlat[0]), float(lonlat[1])
    problem = coordinate_problem(lat, lon)
    if problem:
        return None, RowError(file, number, "geometry", problem)
    municipality = _text(row, cols["municipality"])
    address = _text(row, cols["address"])
    city_code = next((c for n, c in city_codes.items() if n in municipality or n in address), "")
    hazards = [h for h, col in hazard_cols.items() if col and _text(row, col) in ("1", "○", "◯")]
    targets = shelter_targets(_text(row, cols["target_group"]))
    attributes = {k: _text(row, cols[k]) for k in ("target_group", "notes", "other")}
    attributes = {k: v for k, v in attributes.items() if v}
    attributes["gsi_no"] = _text(row, cols["no"])
    attributes["same_address_in_other_list"] = _text(row, cols["same_address"]) == "1"
    return {
        "kind": kind, "name": name, "address": address, "city_code": city_code,
        "external_id": _text(row, cols["external_id"]) or f"{file}#{number}",
        "site_key": site_key(city_code, address) if address else "",
        "source_row": number, "placement": "coordinates", "placement_detail": "GSI coordinates",
        "restricted": False, "capacity": None, "hazards": hazards, "targets": targets,
        # 受入対象者 is filled only for sites reserved for a group (福祉避難所); who, is ``targets``.
        "welfare_shelter": not open_to_all(targets),
        "attributes": attributes, "lonlat": (lon, lat),
    }, None
