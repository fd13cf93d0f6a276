"""Counts of the shared open data, read from the source files themselves (never from our output).

Tests compare what the product stored or served with these, so a new city or a corrected
file in the shared data changes the expectation with it.
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache

import shapely

from tests.conftest import OPEN_DATA_DIR

KOGANEI = "13210"  # the city with official (A27) school districts in the shared data


def _features(relative: str) -> list[dict]:
    data = json.loads((OPEN_DATA_DIR / relative).read_text(encoding="utf-8-sig"))
    return data["features"] if data.get("type") == "FeatureCollection" else []


@lru_cache
def gsi_sites(kind: str) -> int:
    """Features in every GSI file of the list (``evacuation`` or ``emergency``)."""
    prefix = {"shelter": "evacuation", "emergency_site": "emergency"}[kind]
    return sum(len(_features(f"shelters/gsi/{p.name}"))
               for p in sorted((OPEN_DATA_DIR / "shelters" / "gsi").glob(f"{prefix}_*.json")))


def gsi_shelter_targets() -> list[str]:
    """The 受入対象者 of every 指定避難所 in the GSI files, '' where none is named."""
    return [str((f.get("properties") or {}).get("受入対象者") or "").strip()
            for p in sorted((OPEN_DATA_DIR / "shelters" / "gsi").glob("evacuation_*.json"))
            for f in _features(f"shelters/gsi/{p.name}")]


def gsi_general_shelters() -> int:
    """指定避難所 open to everyone: those whose 受入対象者 is empty."""
    return sum(1 for t in gsi_shelter_targets() if not t)


def gsi_older_welfare_shelters() -> int:
    """指定避難所 reserved for a group that holds frail older people: 高齢者, or 要配慮者 as a whole."""
    return sum(1 for t in gsi_shelter_targets() if "高齢" in t or t in ("要配慮者",) or "重度要配慮者" in t)


@lru_cache
def unavailable_gsi_cities() -> set[str]:
    """5-digit codes of the cities whose GSI file says the publisher has no data."""
    out = set()
    for path in (OPEN_DATA_DIR / "shelters" / "gsi").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        if data.get("type") == "unavailable":
            out.add(str(data["code"])[:5])
    return out


@lru_cache
def cities() -> dict[str, str]:
    """City code → name of the N03 file."""
    return {f["properties"]["city_code"]: f["properties"]["city_name"]
            for f in _features("boundaries/n03_2022_cities.geojson")}


@lru_cache
def schools() -> list[dict]:
    """The elementary-school points' properties."""
    return [f["properties"] for f in _features("schools/elementary_schools_gsi.geojson")]


def approximate_districts() -> int:
    """Nearest-school districts the demo derives: one per school outside 小金井."""
    return len({(s["city_code6"][:5], s["name"]) for s in schools() if s["city_code6"][:5] != KOGANEI})


@lru_cache
def csv_rows(relative: str) -> list[dict]:
    """Rows of a UTF-8 CSV of the shared data."""
    with (OPEN_DATA_DIR / relative).open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def mesh250_cells() -> int:
    """Rows of the 2020 250 m mesh table."""
    return len(csv_rows("population/estat_mesh250m_2020_age.csv"))


def chome_points() -> int:
    """Points of the 2015 町丁目 file."""
    return len(_features("population/estat_chome_2015_points.geojson"))


def facts_rows(pattern: str) -> int:
    """Rows of the facts tables matching ``pattern`` (e.g. ``salons_*.csv``)."""
    return sum(len(csv_rows(f"facts/{p.name}")) for p in (OPEN_DATA_DIR / "facts").glob(pattern))


def facts_by_kind() -> dict[str, int]:
    """Rows the demo imports per resource kind from the facts tables."""
    return {"hub": facts_rows("facilities_*.csv"), "salon": facts_rows("salons_*.csv"),
            "vending_machine": facts_rows("vending_machines.csv"),
            "disaster_park": facts_rows("disaster_parks_*.csv")}


def station_names(box: tuple[float, float, float, float], *, inside: bool) -> set[str]:
    """Station names of the national railway file within ``box`` (``inside``) or whose extent meets it."""
    area = shapely.box(*box)
    out = set()
    for feature in _features("context/railway_stations_n02_2021.geojson"):
        shape = shapely.geometry.shape(feature["geometry"])
        if (area.contains(shape) if inside else area.intersects(shapely.box(*shape.bounds))):
            out.add(feature["properties"]["N02_005"])
    return out
