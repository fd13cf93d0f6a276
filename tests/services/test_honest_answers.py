"""Answers that mean what they say: places count for their own people, gaps are unknown, not low.

Small worlds declared here (a made-up district and made-up places), and the demo's 西東京 and
武蔵野, on both backends.
"""

from __future__ import annotations

import csv

import pytest

from app.domain.targets import serves, target_groups
from app.services import imports
from app.services.analysis import Analyzer, Query
from app.services.coverage import coverage
from app.services.reach import reach
from app.services.suggestions import suggest
from app.storage.networks import NetworkStore
from tests import source_counts
from tests.conftest import OPEN_DATA_DIR, open_data
from tests.importers.helpers import write_csv
from tests.services.worlds import CELLS, add_places


def _coverage(repo, tmp_path, **query):
    return coverage(Analyzer(repo, NetworkStore(repo.engine, tmp_path)), Query(minutes=30, city="13214", **query))


def test_a_childrens_place_never_counts_for_older_people(tiny, tmp_path):
    repo, centre = tiny
    add_places(repo, tmp_path, centre, ("架空こども食堂", "子ども", "子ども食堂", ""))
    older = _coverage(repo, tmp_path, target="older")
    assert older["totals"]["covered"] == 0 and older["demand"]["measure"] == "age65"
    assert [r["reason"] for r in older["resources"]["left_out"]] == ["for children, not for older people"]
    children = _coverage(repo, tmp_path, target="children")
    assert children["demand"]["measure"] == "children" and children["totals"]["covered"] > 0
    assert children["totals"]["population"] == pytest.approx(60 * len(CELLS), rel=0.02)


def test_an_everyone_place_counts_for_every_group(tiny, tmp_path):
    repo, centre = tiny
    add_places(repo, tmp_path, centre, ("架空の多世代カフェ", "誰でも", "", ""))
    for target in ("older", "children", "foreign_residents", "older_living_alone", "everyone"):
        result = _coverage(repo, tmp_path, target=target)
        assert result["totals"]["covered"] == result["totals"]["population"] > 0, target
    assert _coverage(repo, tmp_path, target="older_living_alone")["demand"]["measure"] == "older_living_alone"


def test_a_private_salon_counts_for_its_coordinator_not_for_the_public(tiny, tmp_path):
    repo, centre = tiny
    add_places(repo, tmp_path, centre, ("架空の自宅サロン", "高齢者", "", "1"))
    public = _coverage(repo, tmp_path, target="older")
    # How many were not shown is a published count too: one (fewer than 3) is hidden, not told.
    assert public["totals"]["covered"] == 0 and public["resources"]["private_not_shown"] is None
    assert public["resources"]["private_not_shown_status"] == "hidden"
    assert "架空の自宅サロン" not in str(public)
    own = _coverage(repo, tmp_path, target="older", visible_cities=("13214",))
    assert own["totals"]["covered"] > 0 and own["resources"]["private_counted"] == 1


def test_a_city_without_a_list_is_unknown_not_zero(tiny, tmp_path):
    repo, _ = tiny
    imports.import_shelters(repo, open_data("shelters/gsi/evacuation_132144.json"))
    emergency = tmp_path / "emergency_132144.json"
    emergency.write_text('{"type": "unavailable", "code": "132144", "dataType": "emergency", '
                         '"name": "架空", "message": "公開されていません"}', encoding="utf-8")
    imports.import_shelters(repo, emergency)
    result = reach(Analyzer(repo, NetworkStore(repo.engine, tmp_path)), Query(kind="shelter", minutes=15,
                                                                             city="13214"))
    assert [a["pct_emergency_site"] for a in result["areas"]] == [None]
    assert result["layers"]["emergency_site"]["pct_covered"] is None
    assert any("publishes no 指定緊急避難場所 list" in line for line in result["data_limits"])
    assert any("approximate" in line for line in result["data_limits"])


def test_the_rules_as_words():
    assert target_groups("65歳以上のひとり暮らし、日中ひとり暮らし及び準ずる方") == ["older_living_alone"]
    assert target_groups("国籍や性別も問わずに誰でも") == ["everyone"]
    assert serves(["older"], "older_living_alone") and not serves(["older_living_alone"], "older")
    assert serves(["children"], None)  # no target asked: every place counts, as before


def _nishitokyo_salons() -> list[dict]:
    with (OPEN_DATA_DIR / "facts/salons_nishitokyo.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_demo_nishitokyo_older_coverage_leaves_out_the_childrens_places(demo_client):
    everything = demo_client.get("/api/v1/analysis/coverage?city=13229&minutes=10").get_json()
    older = demo_client.get("/api/v1/analysis/coverage?city=13229&minutes=10&target=older").get_json()
    left = {r["name"] for r in older["resources"]["left_out"]}
    childrens = {r["name"] for r in _nishitokyo_salons() if "子ども" in r["category"] or "キッズ" in r["name"]}
    placed = {f["properties"]["name"] for f in demo_client.get(
        "/api/v1/resources?kind=salon&city=13229").get_json()["features"]}
    assert left == childrens & placed and left
    assert older["totals"]["pct_covered"] < everything["totals"]["pct_covered"] / 3
    children = demo_client.get("/api/v1/analysis/coverage?city=13229&minutes=10&target=children").get_json()
    assert children["demand"]["measure"] == "children" and children["totals"]["covered"] > 0


def test_demo_musashino_reach_names_the_missing_list(demo_client):
    reach = demo_client.get("/api/v1/analysis/reach?city=13203&minutes=15").get_json()
    assert reach["layers"]["emergency_site"]["pct_covered"] is None
    assert all(a["pct_emergency_site"] is None for a in reach["areas"])
    assert any(line.startswith("武蔵野市 publishes no 指定緊急避難場所 list") for line in reach["data_limits"])
    assert all(a["pct_shelter"] is not None for a in reach["areas"])


def test_the_new_census_measures_are_read_with_secrecy(city_repo_measures):
    units = city_repo_measures.population_frame("mesh250").set_index("code")
    assert units.loc["5339430011", "children"] == 44 and units.loc["5339430011", "foreign"] == 9
    assert units.loc["5339430433", ["children", "age85", "older_living_alone"]].isna().all()


@pytest.fixture
def city_repo_measures(repo, tmp_path):
    header = ["KEY_CODE", "HTKSYORI", "HTKSAKI", "GASSAN", "T001142001", "T001142004", "T001142019",
              "T001142025", "T001142031", "T001142049"]
    write_csv(tmp_path / "mesh_2020.csv", [header, ["5339430011", "0", "", "", "392", "44", "89", "5", "9", "20"],
                                           ["5339430433", "2", "5339430434", "", "2", "*", "*", "*", "*", "*"]])
    imports.import_population(repo, tmp_path / "mesh_2020.csv")
    return repo


def test_districts_fall_back_to_the_city_saying_so(repo, tmp_path):
    imports.import_boundaries(repo, open_data("boundaries/n03_2022_cities.geojson"), "city")
    imports.import_population(repo, open_data("population/estat_chome_2015_points.geojson"))
    result = coverage(Analyzer(repo, NetworkStore(repo.engine, tmp_path)), Query(city="13221", minutes=10))
    assert [a["area_name"] for a in result["areas"]] == ["清瀬市"]
    assert any("whole city is answered as one area" in line for line in result["data_limits"])


def test_approximate_districts_for_one_city_leave_the_others(runner, app):
    repo = app.extensions["repository"]
    imports.import_boundaries(repo, open_data("boundaries/n03_2022_cities.geojson"), "city")
    imports.import_resources(repo, open_data("schools/elementary_schools_gsi.geojson"), "school")
    imports.build_approximate_districts(repo, {"13221"})
    before = repo.areas_frame(kind="school_district")
    assert "13221" not in set(before["city_code"])
    made = runner.invoke(args=["areas", "approximate", "--city", "13221"])
    assert made.exit_code == 0, made.output
    after = repo.areas_frame(kind="school_district")
    kiyose = after[after["city_code"] == "13221"]
    assert len(kiyose) == len({s["name"] for s in source_counts.schools() if s["city_code6"].startswith("13221")})
    assert set(after.loc[after["city_code"] != "13221", "code"]) == set(before["code"])
    assert (kiyose["provenance"] == "approximate").all()
    refused = runner.invoke(args=["areas", "approximate", "--city", "99999"])
    assert refused.exit_code == 1 and "no city 99999" in refused.output


def test_disaster_parks_with_their_equipment(demo_repo):
    parks = demo_repo.resources_frame(kinds=["disaster_park"])
    assert len(parks) == source_counts.facts_rows("disaster_parks_*.csv")
    equipment = {r.name: r.attributes["equipment_kinds"] for r in parks.itertuples()}
    assert equipment["南町ひだまり公園"] == ["manhole_toilet"]
    assert set(equipment["武蔵国分寺公園(都立防災公園)"]) == {"manhole_toilet", "disaster_vendor", "emergency_lighting"}


def test_vacant_houses_are_candidate_sites_for_their_coordinator_only(tiny, tmp_path):
    repo, centre = tiny
    path = write_csv(tmp_path / "vacant.csv", [["名称", "緯度", "経度", "市区町村"],
                                               ["架空の空き家", f"{centre.y:.6f}", f"{centre.x:.6f}", "国分寺市"]])
    imports.import_resources(repo, path, "vacant_house", key="t:vacant")
    analyzer = Analyzer(repo, NetworkStore(repo.engine, tmp_path))
    query = Query(minutes=10, city="13214", target="older")
    public = suggest(analyzer, query, candidate_kinds=("vacant_house",))
    assert public["picks"] == [] and "架空の空き家" not in str(public)
    own = suggest(analyzer, Query(minutes=10, city="13214", target="older", visible_cities=("13214",)),
                           candidate_kinds=("vacant_house",))
    assert [p["name"] for p in own["picks"]] == ["架空の空き家"] and own["private_candidates"] == 1


def test_city_figures_from_the_facts(demo_client):
    with (OPEN_DATA_DIR / "facts/shelter_capacity.csv").open(encoding="utf-8-sig") as handle:
        totals = [r for r in csv.DictReader(handle) if r["level"] == "city_total" and r["capacity"]]
    reach = demo_client.get("/api/v1/analysis/reach?city=13214&minutes=15").get_json()
    kokubunji = [r for r in totals if r["city"] == "国分寺市"]
    # One figure per city (the same total stated twice is said, never added), 「約18000」 as written.
    [capacity] = reach["city_capacity"]
    assert capacity["capacity"] == 18000.0 and len(capacity["also_stated"]) == len(kokubunji) - 1
    # 65+ against a capacity for everyone is no ratio: only the whole population is compared with it.
    assert capacity["demand"] > 0 and capacity["measure"] == "age65" and capacity["demand_per_place"] is None
    total = demo_client.get("/api/v1/analysis/reach?city=13214&minutes=15&measure=total").get_json()
    assert total["city_capacity"][0]["demand_per_place"] > 0
    vacant = demo_client.get("/api/v1/statistics?city=13203&topic=vacant_houses").get_json()["statistics"]
    detached = [s for s in vacant if s["label"].startswith("空き家 ") and "戸建住宅" in s["label"]]
    assert [s["value"] for s in detached] == [295.0] and detached[0]["unit"] == "dwellings"
    # 「8棟 / 38戸」: 8 buildings and 38 dwellings, never 8 dwellings; the 速報 figures give way.
    rented = {(s["value"], s["unit"]) for s in vacant if s["label"].startswith("管理不全") and "賃貸" in s["label"]}
    assert rented == {(8.0, "buildings"), (38.0, "dwellings")}
    assert not any("速報" in s["label"] for s in vacant)
    assert any("二次情報" in s["label"] and s["value"] == 14.1 for s in vacant)
    assert demo_client.get("/api/v1/statistics?topic=nonsense").status_code == 400
