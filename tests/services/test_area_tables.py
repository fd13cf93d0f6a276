"""町丁目 lists → areas: the real facts tables, whole-city tables, and broken tables (both backends)."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from app.importers.report import ImportFailed
from app.services import imports
from app.services.analysis import Analyzer, Query
from app.services.area_tables import build_area_set, build_declared_catchments, load_chome_index
from app.services.catchment_fit import catchment_fit
from app.storage.networks import NetworkStore
from tests.conftest import OPEN_DATA_DIR, city_shape, open_data
from tests.importers.helpers import write_csv


@pytest.fixture
def index(city_repo):
    return load_chome_index(city_repo, OPEN_DATA_DIR)


@pytest.fixture
def city_repo(repo):
    imports.import_boundaries(repo, open_data("boundaries/n03_2022_cities.geojson"), "city")
    return repo


def _members(repo, kind, set_name):
    return {a["name"]: a for a in repo.find_areas(kind=kind, limit=1000) if a["set_name"] == set_name}


def test_daihachi_zone_from_the_facts_table(city_repo, index):
    report = build_area_set(city_repo, index, open_data("facts/school_zones_kokubunji.csv"),
                            "school_district", "国分寺 通学区域", where={"zone_type": "通学区域"})
    assert report.stored == 1 and report.not_placed == []  # no unknown names
    area = _members(city_repo, "school_district", "国分寺 通学区域")["第八小学校"]
    members = {m["town"]: m["partial"] for m in area["properties"]["members"]}
    assert members == {"西町三丁目": False, "西町四丁目": False, "西町五丁目": False,
                       "高木町一丁目": True, "高木町二丁目": True, "高木町三丁目": False}
    assert area["provenance"] == "derived" and area["city_code"] == "13214"
    assert area["properties"]["population"] == sum(m["population"] for m in area["properties"]["members"])
    point = shapely.Point(139.4350, 35.7103)  # 西町三丁目's 町丁目 point
    assert shapely.geometry.shape(area["geometry"]).contains(point)


def test_all_ten_chiiki_koryukai_catchments_resolve(city_repo, index):
    imports.import_resources(city_repo, open_data("facts/salons_kokubunji.csv"), "salon")
    report = build_declared_catchments(city_repo, index, "salon")
    assert report.stored == 10 and report.not_placed == []
    catchments = _members(city_repo, "catchment", "declared catchments (salon)")
    sasano = {m["town"] for m in catchments["ささの会"]["properties"]["members"]}
    assert sasano == {"東戸倉一丁目", "東戸倉二丁目"}
    assert len(catchments["ふれあい会"]["properties"]["members"]) == 14  # 富士本、高木町、光町、西町
    assert any("in no area: 東恋ケ窪一丁目" in n for n in report.notes)


def test_whole_city_population_sums_to_the_census(city_repo, index, tmp_path):
    path = write_csv(tmp_path / "圏域.csv", [
        ["圏域", "町丁目", "市区町村"],
        ["北部", "北町、新町、並木町、富士本、高木町、光町、西町", "国分寺市"],
        ["中部", "戸倉、東戸倉、日吉町、内藤", "国分寺市"],
        ["中部", "東恋ヶ窪、西恋ヶ窪、本多、泉町", "国分寺市"],
        ["南部", "本町、南町、東元町、西元町", "国分寺市"],
    ])
    report = build_area_set(city_repo, index, path, "daily_living_area", "圏域")
    assert report.stored == 3 and not any("in no area" in n for n in report.notes)
    areas = _members(city_repo, "daily_living_area", "圏域")
    assert sum(a["properties"]["population"] for a in areas.values()) == pytest.approx(122742)
    union = shapely.union_all([shapely.geometry.shape(a["geometry"]) for a in areas.values()])
    city = city_shape(city_repo, "13214")
    assert union.symmetric_difference(city).area / city.area < 0.001  # cells tile the city


def test_daily_living_areas_from_koganei_official_districts(city_repo, index, tmp_path):
    a27 = open_data("school_districts/koganei_a27_elementary_districts.geojson")
    imports.import_boundaries(city_repo, a27, "school_district", set_name="A27")
    path = write_csv(tmp_path / "koganei.csv", [
        ["圏域", "構成", "市区町村"],
        ["東", "小金井第一小学校・小金井第二小学校・小金井第三小学校", "小金井市"],
        ["中", "小金井第四小学校・前原小学校・東小学校", "小金井市"],
        ["西", "本町小学校・緑小学校・南小学校", "小金井市"],
    ])
    report = build_area_set(city_repo, index, path, "daily_living_area", "小金井 圏域", members_set="A27")
    assert report.stored == 3 and report.not_placed == []
    areas = gpd.GeoDataFrame(geometry=[shapely.geometry.shape(a["geometry"]) for a in
                                       _members(city_repo, "daily_living_area", "小金井 圏域").values()],
                             crs=4326).to_crs(6677)
    city = gpd.GeoSeries([city_shape(city_repo, "13210")],
                         crs=4326).to_crs(6677)
    assert areas.area.sum() == pytest.approx(city.area.iloc[0], rel=0.001)


@pytest.mark.parametrize("rows, expected", [
    ([["A", "東恋ヶ窪3～1丁目"]], "malformed range"),
    ([["A", "貫井北町1丁目"]], "is in 小金井市, not 国分寺市"),
    ([["A", ""]], "row 2, column '町丁目'"),
    ([["A", "本町"], ["", "本多"]], "row 3, column '圏域': area name is empty"),
])
def test_bad_tables_store_nothing(city_repo, index, tmp_path, rows, expected):
    path = write_csv(tmp_path / "bad.csv", [["圏域", "町丁目"], *rows])
    with pytest.raises(ImportFailed) as info:
        build_area_set(city_repo, index, path, "daily_living_area", "bad", city="13214")
    assert "bad.csv" in str(info.value) and expected in str(info.value)
    assert city_repo.find_areas(kind="daily_living_area") == []


def test_duplicate_names_and_cycles(city_repo, index, tmp_path):
    path = write_csv(tmp_path / "dup.csv", [["圏域", "code", "町丁目"], ["A", "1", "本町"],
                                            ["A", "2", "本多"]])
    with pytest.raises(ImportFailed, match="appears again with code '2'"):
        build_area_set(city_repo, index, path, "daily_living_area", "dup", city="13214")
    build_area_set(city_repo, index, write_csv(tmp_path / "base.csv", [["圏域", "町丁目"], ["A", "本町"]]),
                   "daily_living_area", "base", city="13214")
    cycle = write_csv(tmp_path / "cycle.csv", [["圏域", "構成"], ["A", "A"]])
    with pytest.raises(ImportFailed, match="cycle"):
        build_area_set(city_repo, index, cycle, "daily_living_area", "base", city="13214", members_set="base")


def test_unknown_names_reported_not_guessed(city_repo, index, tmp_path):
    path = write_csv(tmp_path / "u.csv", [["圏域", "町丁目"], ["A", "本町、幻町、東恋ヶ窪7丁目"]])
    report = build_area_set(city_repo, index, path, "daily_living_area", "u", city="13214")
    assert report.stored == 1
    assert any("幻町" in n for n in report.not_placed)
    assert any("東恋ケ窪7丁目" in n for n in report.not_placed)
    [area] = city_repo.find_areas(kind="daily_living_area")
    assert {m["town"] for m in area["properties"]["members"]} == {f"本町{n}丁目" for n in "一二三四"}


def test_declared_catchment_against_walking(city_repo, index, tmp_path):
    imports.import_population(city_repo, open_data("population/estat_mesh250m_2020_age.csv"))
    path = write_csv(tmp_path / "salons.csv", [
        ["名称", "緯度", "経度", "市区町村", "対象地域"],
        ["近いサロン", "35.7053", "139.4824", "国分寺市", "本多1～3丁目"],
        ["遠いサロン", "35.7053", "139.4824", "国分寺市", "西町"]])
    imports.import_resources(city_repo, path, "salon")
    build_declared_catchments(city_repo, index, "salon")
    result = catchment_fit(Analyzer(city_repo, NetworkStore(city_repo.engine, tmp_path)), Query(minutes=15))
    rows = {r["salon"]: r for r in result["catchments"]}
    assert rows["遠いサロン"]["pct_own"] == 0 and rows["近いサロン"]["pct_own"] > 50
    assert all(r["pct_own"] <= r["pct_any"] for r in rows.values())


def test_cli_parse_and_layers_label(runner, app):
    runner.invoke(args=["import", "boundaries", str(open_data("boundaries/n03_2022_cities.geojson")),
                        "--kind", "city"])
    good = runner.invoke(args=["areas", "parse", "東恋ヶ窪1～3丁目、西町3丁目(全域)", "--city", "13214"])
    assert good.exit_code == 0 and "東恋ケ窪二丁目" in good.output and "4 町丁目" in good.output
    bad = runner.invoke(args=["areas", "parse", "幻町", "--city", "13214"])
    assert bad.exit_code == 1 and "unknown: 幻町" in bad.output
    built = runner.invoke(args=["areas", "build", "--kind", "school_district", "--set", "facts",
                                "--table", str(open_data("facts/school_zones_kokubunji.csv")),
                                "--where", "zone_type=通学区域"])
    assert built.exit_code == 0 and "第八小学校: 6 members" in built.output
    layers = app.test_client().get("/api/v1/layers").get_json()["layers"]
    derived = next(x for x in layers if x["id"] == "school_district-derived")
    assert derived["label_en"].endswith("(derived from neighbourhood lists)") and derived["count"] == 1
