"""Public layers as GeoDataFrames, ready for any writer (``outputs.tables``)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from app.domain.kinds import AREA_KINDS, RESOURCE_KINDS
from app.storage.repository import Repository

RESOURCE_FIELDS = ("id", "kind", "name", "address", "city_code", "capacity", "welfare_shelter", "hazards",
                   "placement", "placement_detail", "external_id", "source", "source_date")
ATTRIBUTE_FIELDS = ("schedule", "target_group", "notes", "category", "venue_name", "target_area")
AREA_FIELDS = ("id", "code", "name", "city_code", "kind", "provenance", "set_name", "population", "source")


class UnknownLayer(ValueError):
    """The layer named is not a public layer of this product."""


def layer_frame(repo: Repository, layer: str, city: str | None = None) -> gpd.GeoDataFrame:
    """A public layer: a resource kind (``shelter``) or ``KIND-PROVENANCE`` of areas.

    Returns
    -------
    GeoDataFrame
        One row per feature in EPSG:4326, with a ``source`` column (the attribution).
    """
    if layer in RESOURCE_KINDS:
        if not RESOURCE_KINDS[layer].public:
            raise UnknownLayer(f"{layer} is not a public layer")
        frame = repo.resources_frame(kinds=[layer], city=city, placed_only=True)
        attributes = pd.DataFrame([{f: (a or {}).get(f, "") for f in ATTRIBUTE_FIELDS}
                                   for a in frame["attributes"]], columns=list(ATTRIBUTE_FIELDS))
        table = frame[list(RESOURCE_FIELDS)].assign(
            hazards=frame["hazards"].map(",".join), source_date=frame["source_date"].fillna(""))
        return gpd.GeoDataFrame(pd.concat([table.reset_index(drop=True), attributes], axis=1),
                                geometry=frame.geometry.to_numpy(), crs="EPSG:4326")
    kind, _, provenance = layer.partition("-")
    if kind not in AREA_KINDS or not provenance:
        raise UnknownLayer(f"unknown layer {layer!r}; use a resource kind or KIND-PROVENANCE "
                           "(e.g. school_district-official)")
    frame = repo.areas_frame(kind=kind, provenance=provenance, city=city)
    frame["population"] = [(p or {}).get("population") for p in frame["properties"]]
    return frame[[*AREA_FIELDS, "geometry"]]


def attribution_of(repo: Repository, layer: str) -> str:
    """Every attribution line of the layer's datasets, joined (an area layer's own, per provenance)."""
    kind, _, provenance = layer.partition("-")
    if provenance:
        return " / ".join(repo.area_attributions().get((kind, provenance), []))
    return " / ".join(repo.attributions().get(kind, []))
