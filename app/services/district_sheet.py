"""What a printed district map shows: the district, its resources, neighbours and context."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from app.services import analysis_limits as limits
from app.services._stores import uses_stores
from app.storage.repository import Repository


class PrintError(ValueError):
    """The sheet cannot be made (unknown district or paper); the message says what to do."""


@dataclass
class DistrictSheet:
    """Everything a district map needs, read once."""

    area: dict
    shape: BaseGeometry
    resources: gpd.GeoDataFrame
    neighbours: gpd.GeoSeries
    context: gpd.GeoDataFrame  # railways, rivers and stations (``layer``, ``name``)
    chome: gpd.GeoDataFrame  # 町丁目 points (``name``) inside the district, to orient by
    hazard_areas: gpd.GeoSeries  # sediment-hazard (A26) and any imported hazard polygons
    attributions: dict[str, list[str]]
    limits: list[str]  # what the paper cannot show because the publisher has no data, in Japanese


@uses_stores
def district_sheet(repo: Repository, area_kind: str, area_code: str, kinds: tuple[str, ...]) -> DistrictSheet:
    """Read one district and the public resources of ``kinds`` inside it, numbered in order.

    Returns
    -------
    DistrictSheet
        ``resources`` sorted by kind (in the order of ``kinds``) then name, with ``number``.
    """
    found = repo.areas_frame(kind=area_kind, codes=[area_code])
    if found.empty:
        examples = ", ".join(repo.areas_frame(kind=area_kind)["code"].head(5))
        raise PrintError(f"no {area_kind} with code {area_code!r}; for example: {examples or 'none loaded'}")
    area = found.iloc[0]
    shape = area.geometry
    nearby = repo.resources_frame(kinds=list(kinds), bbox=shape.bounds, placed_only=True)
    inside = nearby[nearby.geometry.covered_by(shape)].copy()
    inside["order"] = inside["kind"].map({k: i for i, k in enumerate(kinds)})
    inside = inside.sort_values(["order", "name"]).reset_index(drop=True)
    inside["number"] = range(1, len(inside) + 1)
    box = shapely.box(*shape.buffer(0.01).bounds)
    context = repo.context_frame(bbox=box.bounds, layers=("railway", "river", "station"))
    context = context.set_geometry(context.geometry.intersection(box))
    chome = repo.population_frame("chome", bbox=shape.bounds)  # the district's, not the nation's
    chome = chome[chome.geometry.covered_by(shape)][["name", "geometry"]]
    hazard_areas = repo.areas_frame(kind="sediment_hazard", bbox=box.bounds).geometry.intersection(box)
    return DistrictSheet(area=area.drop("geometry").to_dict(), shape=shape, resources=inside,
                         neighbours=repo.areas_frame(kind=area_kind, bbox=box.bounds).geometry,
                         context=context[~context.geometry.is_empty], attributions=repo.attributions(),
                         chome=chome, hazard_areas=hazard_areas[~hazard_areas.is_empty],
                         limits=sheet_limits(repo, area["city_code"]))


def sheet_limits(repo: Repository, city: str) -> list[str]:
    """Sentences for the paper: which layers of ``city`` are empty because no data is published.

    A resident reading a map without emergency sites must learn that the list is missing,
    not that there is nowhere to go.
    """
    name = repo.city_names().get(city, city)
    missing = limits.unpublished_lists(repo, city)
    out = []
    if "emergency_site" in missing:
        out.append(f"{name}は指定緊急避難場所の一覧を公開していないため、この地図に緊急避難場所は載っていません"
                   "（場所がないのではありません。市の防災マップで確認してください）。")
    if "welfare_shelter" in missing:
        out.append(f"{name}の公開データには福祉避難所の受入対象者がないため、福祉避難所の印はありません。")
    out.append("個人宅のサロンや空き家など非公開の場所は載せていません。")
    return out
