"""Tables and features as files: one writer per format (CSV, GeoJSON, GeoPackage), for web and CLI."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from app.services import catalogue

FORMATS = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json",
           "gpkg": "application/geopackage+sqlite3"}
# The per-area columns of each analysis, in the order people read them.
RESULT_COLUMNS = {
    "coverage": ["area_code", "area_name", "city_code", "population", "covered", "not_covered",
                 "pct_covered", "median_walk_m", "p90_walk_m"],
    "reach": ["area_code", "area_name", "city_code", "population", "pct_shelter", "pct_welfare_shelter",
              "pct_emergency_site"],
    "shelters": ["id", "name", "city_code", "assigned", "assigned_within_limit", "capacity", "load_ratio"],
}
# Counts of people: a split of mesh cells gives fractions, which a table for people rounds.
PEOPLE_COLUMNS = ("population", "covered", "not_covered", "people_beyond", "people", "assigned",
                  "assigned_within_limit")
HEADERS_JA = {
    "area_code": "区域コード",
    "area_name": "区域名",
    "city_code": "市区町村コード",
    "population": "人口（人）",
    "covered": "歩いて行ける人",
    "not_covered": "歩いて行けない人",
    "pct_covered": "歩いて行ける人の割合（%）",
    "median_walk_m": "歩く距離の中央値（m）",
    "p90_walk_m": "歩く距離の90%の人が収まる距離（m）",
    "pct_shelter": "指定避難所に歩いて行ける割合（%）",
    "pct_welfare_shelter": "福祉避難所に歩いて行ける割合（%）",
    "pct_emergency_site": "緊急避難場所に歩いて行ける割合（%）",
    "id": "番号",
    "name": "避難所",
    "assigned": "最寄りがここの人",
    "assigned_within_limit": "うち歩いて行ける人",
    "capacity": "収容人数（人）",
    "load_ratio": "収容人数1人分あたりの人数",
    "walk_model": "距離の計算",
    "pace_m_per_min": "歩く速さ（m/分）",
    "detour_factor": "直線距離に掛けた係数",
    "measure": "数えた人",
    "source": "出典",
    "data_limits": "データの限界",
}
MODELS_JA = {"straight_line": "直線距離×係数", "network": "道路網"}
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class UnknownFormat(ValueError):
    """The format asked for is not one this product writes."""


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (so Excel shows Japanese), CRLF; points get ``lon``/``lat`` columns.

    Text cells that a spreadsheet would evaluate are written with a leading apostrophe.
    """
    table = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    if isinstance(frame, gpd.GeoDataFrame) and len(frame) and (frame.geom_type == "Point").all():
        table["lon"], table["lat"] = frame.geometry.x.round(6), frame.geometry.y.round(6)
    for column in table.columns:
        if not pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].map(_defused)
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")


def _defused(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def geojson_bytes(frame: gpd.GeoDataFrame, name: str, attribution: str, extra: dict | None = None) -> bytes:
    """A FeatureCollection with ``name``, ``attribution`` and any ``extra`` members."""
    data = json.loads(frame.to_json(drop_id=True, na="null"))
    data.update(name=name, attribution=attribution, **(extra or {}))
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def gpkg_bytes(frame: gpd.GeoDataFrame, layer: str) -> bytes:
    """A GeoPackage with one layer named ``layer``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.gpkg"
        frame.to_file(path, driver="GPKG", layer=layer)
        return path.read_bytes()


def to_bytes(frame: gpd.GeoDataFrame, fmt: str, layer: str, attribution: str,
             extra: dict | None = None) -> bytes:
    """Write ``frame`` in ``fmt`` (csv, geojson, gpkg), carrying the attribution.

    Returns
    -------
    bytes
        The file's content.
    """
    if fmt == "csv":
        return csv_bytes(frame)
    if fmt == "geojson":
        return geojson_bytes(frame, layer, attribution, extra)
    if fmt == "gpkg":
        return gpkg_bytes(frame, layer)
    raise UnknownFormat(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")


def result_frame(result: dict, analysis: str, areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """An analysis result's per-area rows joined to the area polygons: the one table of a result.

    Returns
    -------
    GeoDataFrame
        The analysis's columns first, then the walking model, measure and source.
    """
    if analysis == "shelters":  # a reach answer's shelters: each against its capacity, at its point
        rows = result.get("catchments", {}).get("shelters", [])
        geometry = gpd.points_from_xy([r["lon"] for r in rows], [r["lat"] for r in rows])
        rows = [{k: v for k, v in r.items() if k not in ("lon", "lat")} for r in rows]
    else:
        polygons = areas.drop_duplicates("code").set_index("code").geometry
        rows = [r for r in result["areas"] if r["area_code"] in polygons.index]
        geometry = [polygons[r["area_code"]] for r in rows]
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS.get(analysis) if not rows else None)
    first = [c for c in RESULT_COLUMNS.get(analysis, []) if c in frame.columns]
    frame = frame[first + [c for c in frame.columns if c not in first]]
    # The walking model as columns of its own, not a JSON cell a spreadsheet cannot read.
    for key, value in result["walking"].items():
        if isinstance(value, str | int | float | bool):
            frame["walk_model" if key == "model" else key] = value
    frame["measure"] = result["demand"]["measure"]
    frame["source"] = "Fureai Map analysis; " + result["demand"]["label"]
    # Every row carries the answer's limits, so a table passed on alone still says them.
    frame["data_limits"] = " / ".join(result.get("data_limits", []))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def result_extra(result: dict) -> dict:
    """What a GeoJSON of a result carries beside its areas: model, demand, parameters, gaps."""
    return {"walking": result["walking"], "demand": result["demand"], "parameters": result["parameters"],
            "gaps": result.get("gaps", []), "data_limits": result.get("data_limits", []),
            "resources": result.get("resources")}


def result_bytes(result: dict, analysis: str, areas: gpd.GeoDataFrame, fmt: str,
                 lang: str | None = None) -> bytes:
    """An analysis result as a file (csv, geojson, gpkg): the one writer the web and the CLI use.

    A CSV is for people reading it in a spreadsheet: people in whole numbers, and the headers in
    Japanese when ``lang`` is ja or ja-easy (English otherwise, as the GIS formats keep them).

    Returns
    -------
    bytes
        The per-area table of ``result_frame``; a GeoJSON also carries ``result_extra``.
    """
    frame = result_frame(result, analysis, areas)
    source = frame["source"].iloc[0] if len(frame) else "Fureai Map analysis"
    if fmt == "csv":
        people = [c for c in PEOPLE_COLUMNS if c in frame.columns]
        frame[people] = frame[people].round().astype("Int64")
        if lang in ("ja", "ja-easy"):
            if "walk_model" in frame.columns:
                frame["walk_model"] = frame["walk_model"].replace(MODELS_JA)
            frame = frame.rename(columns=HEADERS_JA)
    return to_bytes(frame, fmt, analysis, source, extra=result_extra(result) if fmt == "geojson" else None)


def layer_bytes(layer: str, fmt: str, city: str | None = None) -> tuple[bytes, int]:
    """A public layer as a file with its attribution: the one writer of the export route and command.

    Returns
    -------
    body, count
        The file's content and how many features it holds; ``catalogue.UnknownLayer`` for a layer
        that is not public or does not exist.
    """
    frame, attribution = catalogue.export_table(layer, city)
    return to_bytes(frame, fmt, layer, attribution), len(frame)
