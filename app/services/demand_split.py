"""The population split of a kind's areas, kept in the database across workers and commands.

Splitting 5,788 mesh cells over every district is most of a cold analysis; the split only changes
when a dataset does. The first analysis after an import splits every area of the kind and keeps
it (``storage.splits``); later ones, in any process, read it and take their city's pieces.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from app.domain.demand import Demand
from app.domain.projection import METRIC_CRS
from app.storage.repository import Repository
from app.storage.splits import SplitStore

COLUMNS = ["area_code", "area_name", "area_city", "weight"]


def kept_split(repo: Repository, version: str, area_kind: str, city: str | None, measure: str | None,
               units: str | None, make) -> Demand:
    """The split of ``area_kind`` at data ``version`` (``make()`` splits every area of it), for ``city``.

    Returns
    -------
    Demand
        The pieces of ``city``'s areas (all when None), as ``split_demand`` would give them.
    """
    store = SplitStore(repo.engine)
    key = {"area_kind": area_kind, "units": units or "", "measure": measure or "",
           "data_version": version}
    found = store.load(key, city)  # a city reads its own pieces, whatever the size of the whole
    if found is None:
        whole = make()
        points = whole.pieces.geometry
        frame = pd.DataFrame({**{c: whole.pieces[c].to_numpy() for c in COLUMNS},
                              "x": points.x.to_numpy(), "y": points.y.to_numpy()})
        store.keep(key, whole.measure, whole.unit_type, frame)
        header = {"resolved_measure": whole.measure, "unit_type": whole.unit_type}
    else:
        header, frame = found
    if city:
        frame = frame[frame["area_city"] == city]
    pieces = gpd.GeoDataFrame(frame[COLUMNS].reset_index(drop=True),
                              geometry=gpd.points_from_xy(frame["x"], frame["y"]), crs=METRIC_CRS)
    return Demand(pieces=pieces, measure=header["resolved_measure"], unit_type=header["unit_type"])
