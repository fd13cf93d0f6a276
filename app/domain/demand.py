"""Demand: population units split across the areas they overlap."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from app.domain.projection import METRIC_CRS

MEASURES = {"age65": "65歳以上人口 / population aged 65+", "age75": "75歳以上人口 / aged 75+",
            "total": "総人口 / total population", "age85": "85歳以上人口 / aged 85+",
            "children": "0～14歳人口 / children aged 0-14", "foreign": "外国人人口 / foreign residents",
            "older_living_alone": "高齢単身世帯 / older people living alone (households)",
            "older_couples": "高齢夫婦世帯 / older couples (households)",
            "infant_households": "6歳未満の子のいる世帯 / households with a child under 6"}
# What a measure counts: a table of households must not be summed as people.
MEASURE_UNITS = {m: "households" if m in ("older_living_alone", "older_couples", "infant_households")
                 else "people" for m in MEASURES}
# The measure a target group's coverage is measured on, unless one is asked for.
MEASURE_FOR_TARGET = {"older": "age65", "older_living_alone": "older_living_alone", "children": "children",
                      "parents_with_infants": "infant_households", "foreign_residents": "foreign",
                      "everyone": "total"}


@dataclass(frozen=True)
class Demand:
    """Demand pieces in metres: ``area_code``, ``area_name``, ``city_code``, ``weight``, point."""

    pieces: gpd.GeoDataFrame
    measure: str
    unit_type: str

    @property
    def xy(self) -> np.ndarray:
        """Piece coordinates in metres, shape (n, 2)."""
        return np.column_stack([self.pieces.geometry.x.to_numpy(), self.pieces.geometry.y.to_numpy()])

    @property
    def weights(self) -> np.ndarray:
        """People (or the measure's count) per piece."""
        return self.pieces["weight"].to_numpy(dtype=float)


def pick_measure(units: gpd.GeoDataFrame, wanted: str | None = None) -> str:
    """The elderly count when the units carry one, else total population (or ``wanted``).

    Secret mesh cells carry no age figures because e-Stat merged them into a neighbour, so a
    measure is available when any unit has it.
    """
    if wanted:
        if wanted not in MEASURES:
            raise ValueError(f"unknown measure {wanted!r}; use {', '.join(MEASURES)}")
        if wanted != "total" and (wanted not in units or units[wanted].isna().all()):
            raise ValueError(f"these population units have no {wanted} counts (they come from the 2020 "
                             "250 m mesh table; re-import it with `fureai import population FILE` if it "
                             "was imported by an earlier release), or use measure=total")
        return wanted
    return "age65" if units["age65"].notna().any() else "total"


def split_demand(units: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, measure: str | None = None) -> Demand:
    """Population pieces per area: cells split by overlap, points assigned to their area.

    Parameters
    ----------
    units : GeoDataFrame
        ``unit_type``, ``total``, ``age65``, ``age75`` with polygon (mesh) or point geometry.
    areas : GeoDataFrame
        ``code``, ``name``, ``city_code`` polygons; overlapping areas each get their share.
    measure : str, optional
        'age65', 'age75' or 'total'; default: elderly when known (see ``pick_measure``).
    """
    if units.crs is None or areas.crs is None:
        raise ValueError("population units and areas need a CRS")
    measure = pick_measure(units, measure)
    units = units.to_crs(METRIC_CRS)
    areas = areas.to_crs(METRIC_CRS)[["code", "name", "city_code", "geometry"]].rename(
        columns={"code": "area_code", "name": "area_name", "city_code": "area_city"})
    value = units[measure].fillna(0.0).astype(float)
    units = units.assign(_value=value, _unit_area=units.geometry.area)
    polygons = units[units.geom_type.isin(["Polygon", "MultiPolygon"])]
    points = units[units.geom_type == "Point"]
    parts = []
    if not polygons.empty:
        pieces = gpd.overlay(polygons[["_value", "_unit_area", "geometry"]], areas, how="intersection",
                             keep_geom_type=True)
        pieces["weight"] = pieces["_value"] * pieces.geometry.area / pieces["_unit_area"]
        pieces["geometry"] = pieces.geometry.representative_point()
        parts.append(pieces)
    if not points.empty:
        joined = gpd.sjoin(points[["_value", "geometry"]], areas, predicate="within").drop(
            columns="index_right")
        parts.append(joined.assign(weight=joined["_value"]))
    columns = ["area_code", "area_name", "area_city", "weight", "geometry"]
    frame = pd.concat([p[columns] for p in parts], ignore_index=True) if parts else \
        pd.DataFrame(columns=columns)
    pieces = gpd.GeoDataFrame(frame, geometry="geometry", crs=METRIC_CRS)
    pieces = pieces[pieces["weight"] > 0].reset_index(drop=True)
    unit_type = "/".join(sorted(units["unit_type"].unique()))
    return Demand(pieces=pieces, measure=measure, unit_type=unit_type)
