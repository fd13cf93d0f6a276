"""The demo database built from the real open data, on both backends."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from app.services.demo import build_demo
from tests import source_counts
from tests.conftest import OPEN_DATA_DIR


def _gsi_counts(repo) -> Counter:
    return Counter(repo.resources_frame(kinds=["shelter", "emergency_site"], placed_only=True)["kind"])


def test_every_city_of_the_boundary_file(demo_repo):
    cities = dict(zip(demo_repo.cities_frame()["code"], demo_repo.cities_frame()["name"], strict=True))
    assert cities == source_counts.cities() and "13221" in cities  # 清瀬市 too


def test_gsi_lists_complete(demo_repo):
    assert _gsi_counts(demo_repo) == {"shelter": source_counts.gsi_sites("shelter"),
                                      "emergency_site": source_counts.gsi_sites("emergency_site")}


def test_musashino_has_no_emergency_list_and_says_so(demo_repo):
    datasets = {d["key"]: d for d in demo_repo.datasets()}
    assert datasets["gsi:evacuation_132039"]["record_count"] == 20
    missing = datasets["gsi:emergency_132039"]
    assert missing["record_count"] == 0 and missing["status"] == "unavailable"
    assert missing["city_code"] == "13203" and "unavailable" not in missing["notes"]
    expected = [("emergency_site", c) for c in sorted(source_counts.unavailable_gsi_cities())]
    assert demo_repo.unavailable_lists() == expected
    musashino = demo_repo.find_resources(kinds=["emergency_site"], city="13203")
    assert musashino == []


def test_schools(demo_repo):
    assert len(demo_repo.resources_frame(kinds=["school"], placed_only=True)) == len(source_counts.schools())


def test_shelters_linked_across_lists(demo_repo):
    emergency = demo_repo.find_resources(kinds=["emergency_site"], city="13214", limit=500)
    shelters = demo_repo.find_resources(kinds=["shelter"], city="13214", limit=500)
    shelter_keys = {s["site_key"] for s in shelters}
    flagged = [e for e in emergency if e["attributes"].get("same_address_in_other_list")]
    assert flagged, "GSI marks sites that are on both lists"
    assert all(e["site_key"] in shelter_keys for e in flagged)
    school = next(e for e in emergency if e["name"] == "市立第十小学校")
    assert set(school["hazards"]) == {"landslide", "earthquake", "large_fire"}


def test_koganei_official_districts_replace_approximate(demo_repo):
    koganei = demo_repo.find_areas(kind="school_district", city="13210")
    assert {a["provenance"] for a in koganei} == {"official"}
    assert len(koganei) == 9  # 10 polygons, 小金井第二小 in two parts
    others = demo_repo.find_areas(kind="school_district", city="13214")
    assert others and {a["provenance"] for a in others} == {"approximate"}


def test_every_fact_row_reported(demo_repo):
    """Every facility and salon row is stored, placed or explicitly not placed."""
    rows = demo_repo.find_resources(kinds=list(source_counts.facts_by_kind()), placed_only=False,
                                    limit=1000)
    counts = Counter(r["kind"] for r in rows)
    assert counts == source_counts.facts_by_kind()
    assert {r["placement"] for r in rows} <= {"coordinates", "chome_centroid", "venue_match",
                                               "not_placed"}
    for row in rows:
        assert (row["geometry"] is None) == (row["placement"] == "not_placed")
        assert row["placement_detail"]


def test_kokubunji_salons_at_their_venues(demo_repo):
    salons = {r["name"]: r for r in demo_repo.find_resources(kinds=["salon"], city="13214",
                                                             placed_only=False)}
    assert len(salons) == 10
    assert salons["あずま会"]["placement"] == "venue_match"
    assert "本多公民館" in salons["あずま会"]["placement_detail"]
    venues = demo_repo.find_resources(kinds=["shelter", "emergency_site", "hub"], q="本多公民館")
    assert salons["あずま会"]["geometry"]["coordinates"] in [v["geometry"]["coordinates"] for v in venues]
    assert salons["いずみ会"]["placement"] == "not_placed"  # 多喜窪公会堂 is in no list


def test_population_layers(demo_repo):
    layers = {(u, y): (n, total) for u, y, n, total in demo_repo.layer_counts()["population"]}
    assert layers[("mesh250", 2020)][0] == source_counts.mesh250_cells()
    assert layers[("chome", 2015)][0] == source_counts.chome_points()
    assert layers[("mesh500", 2015)][0] > 100
    mesh = demo_repo.population_frame("mesh250")
    secret = mesh[mesh["age65"].isna()]
    assert len(secret) and (secret["total"] >= 0).all()
    # The 町丁目 points carry each city's 2015 census population exactly (their JINKO column).
    chome = demo_repo.population_frame("chome")
    expected = sum(float(f["properties"].get("JINKO") or 0) for f in _chome_features()
                   if f["properties"]["city_code"] == "13214")
    assert chome.loc[chome["city_code"] == "13214", "total"].sum() == pytest.approx(expected, abs=1)



@pytest.mark.parametrize("unit_type", ["chome", "mesh250"])
def test_population_in_a_box_is_the_population_meeting_it(demo_repo, unit_type):
    """The bounded read (a district sheet's) equals the whole read cut to the box."""
    import shapely

    box = (139.46, 35.69, 139.49, 35.71)  # about 国分寺駅
    whole = demo_repo.population_frame(unit_type)
    expected = sorted(whole.loc[whole.intersects(shapely.box(*box)), "code"])
    found = demo_repo.population_frame(unit_type, bbox=box)
    assert expected and sorted(found["code"]) == expected and len(found) < len(whole)


def _chome_features():
    path = OPEN_DATA_DIR / "population/estat_chome_2015_points.geojson"
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def test_datasets_have_attribution(demo_repo):
    datasets = demo_repo.datasets()
    assert len(datasets) >= 25
    assert all(d["attribution"] for d in datasets)
    gsi = [d for d in datasets if d["key"].startswith("gsi:")]
    assert all("国土地理院" in d["attribution"] for d in gsi)


@pytest.mark.parametrize("backend_runs", [2])
def test_demo_rerun_replaces_only_its_own_rows(repo, backend_runs):
    for _ in range(backend_runs):
        build_demo(repo, OPEN_DATA_DIR)
    assert _gsi_counts(repo) == {"shelter": source_counts.gsi_sites("shelter"),
                                 "emergency_site": source_counts.gsi_sites("emergency_site")}
    assert len(repo.cities_frame()) == len(source_counts.cities())
