"""Exports of public layers and analysis results: CSV (UTF-8 with BOM), GeoJSON, GeoPackage."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely.geometry

from app.domain.kinds import AREA_KINDS, RESOURCE_KINDS, hazard_keys

FORMATS = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json",
           "gpkg": "application/geopackage+sqlite3"}
RESOURCE_FIELDS = ("id", "kind", "name", "address", "city_code", "capacity", "welfare_shelter", "hazards",
                   "placement", "placement_detail", "external_id", "source", "source_date")
ATTRIBUTE_FIELDS = ("schedule", "target_group", "notes", "category", "venue_name", "target_area")


class UnknownLayer(ValueError):
    pass


def layer_frame(repo, layer: str, city: str | None = None) -> gpd.GeoDataFrame:
    """A public layer as a GeoDataFrame: a resource kind (``shelter``) or ``KIND-PROVENANCE``."""
    if layer in RESOURCE_KINDS:
        if not RESOURCE_KINDS[layer].public:
            raise UnknownLayer(f"{layer} is not a public layer")
        rows = repo.find_resources(kinds=[layer], city=city, placed_only=True, limit=1_000_000)
        records = [{**{f: r.get(f) for f in RESOURCE_FIELDS},
                    **{f: (r.get("attributes") or {}).get(f, "") for f in ATTRIBUTE_FIELDS},
                    "hazards": ",".join(hazard_keys(r.get("hazards", ""))),
                    "source_date": r.get("source_date") or ""} for r in rows]
        geometry = [shapely.geometry.shape(r["geometry"]) for r in rows]
        return gpd.GeoDataFrame(pd.DataFrame(records, columns=[*RESOURCE_FIELDS, *ATTRIBUTE_FIELDS]),
                                geometry=geometry, crs="EPSG:4326")
    kind, _, provenance = layer.partition("-")
    if kind not in AREA_KINDS or not provenance:
        raise UnknownLayer(f"unknown layer {layer!r}; use a resource kind or KIND-PROVENANCE "
                           "(e.g. school_district-official)")
    rows = repo.find_areas(kind=kind, provenance=provenance, city=city, limit=1_000_000)
    records = [{"id": r["id"], "code": r["code"], "name": r["name"], "city_code": r["city_code"],
                "kind": kind, "provenance": r["provenance"], "set_name": r["set_name"],
                "population": (r.get("properties") or {}).get("population"), "source": r["source"]}
               for r in rows]
    geometry = [shapely.geometry.shape(r["geometry"]) for r in rows]
    return gpd.GeoDataFrame(pd.DataFrame(records), geometry=geometry, crs="EPSG:4326")


def result_frame(result: dict, areas: list[dict]) -> gpd.GeoDataFrame:
    """An analysis result's per-area rows joined to the area polygons."""
    by_code = {a["code"]: a for a in areas}
    rows = [r for r in result["areas"] if r["area_code"] in by_code]
    frame = pd.DataFrame(rows)
    frame["model"] = json.dumps(result["walking"], ensure_ascii=False)
    frame["measure"] = result["demand"]["measure"]
    frame["source"] = "Fureai Map analysis; " + result["demand"]["label"]
    return gpd.GeoDataFrame(frame, geometry=[shapely.geometry.shape(by_code[r["area_code"]]["geometry"])
                                             for r in rows], crs="EPSG:4326")


def to_bytes(frame: gpd.GeoDataFrame, fmt: str, layer: str, attribution: str) -> bytes:
    """Serialise with the attribution: a ``source`` column, and the GeoJSON's ``attribution``."""
    if fmt not in FORMATS:
        raise UnknownLayer(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")
    if fmt == "csv":
        table = pd.DataFrame(frame.drop(columns="geometry"))
        if len(frame) and (frame.geom_type == "Point").all():
            table["lon"], table["lat"] = frame.geometry.x.round(6), frame.geometry.y.round(6)
        buffer = io.StringIO()
        table.to_csv(buffer, index=False, lineterminator="\r\n")
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "geojson":
        data = json.loads(frame.to_json(drop_id=True))
        data.update(name=layer, attribution=attribution)
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{layer}.gpkg"
        frame.to_file(path, driver="GPKG", layer=layer)
        return path.read_bytes()


def attribution_of(repo, layer: str) -> str:
    return " / ".join(repo.attributions().get(layer.partition("-")[0], []))
