"""GSI shelter files: both lists, hazards, welfare sites, the unavailable file, broken files."""

from __future__ import annotations

import json

import pytest

from app.importers.report import ImportFailed
from app.services import imports
from tests.conftest import open_data
from tests.importers.helpers import write_csv


def test_evacuation_list(city_repo):
    report = imports.import_shelters(city_repo, open_data("shelters/gsi/evacuation_132144.json"))
    assert (report.read, report.stored) == (38, 38)
    shelters = city_repo.find_resources(kinds=["shelter"], limit=100)
    assert len(shelters) == 38 and {s["city_code"] for s in shelters} == {"13214"}
    welfare = [s for s in shelters if s["welfare_shelter"]]
    assert welfare and all(s["attributes"]["target_group"] for s in welfare)


def test_emergency_list_hazards(city_repo):
    imports.import_shelters(city_repo, open_data("shelters/gsi/emergency_132144.json"))
    sites = {s["name"]: s for s in city_repo.find_resources(kinds=["emergency_site"], limit=100)}
    assert len(sites) == 27
    assert sites["市立第十小学校"]["hazards"] == ["landslide", "earthquake", "large_fire"]
    flood = city_repo.find_resources(kinds=["emergency_site"], hazard="flood", limit=100)
    assert flood and all("flood" in s["hazards"] for s in flood)
    assert len(flood) < len(sites)


def test_unavailable_file_reported_and_skipped(city_repo):
    report = imports.import_shelters(city_repo, open_data("shelters/gsi/emergency_132039.json"))
    assert report.skipped and "公開されていません" in report.lines()[0]
    [record] = [d for d in city_repo.datasets() if d["key"] == "gsi:emergency_132039"]
    assert record["record_count"] == 0 and record["layer"] == "emergency_site"
    assert city_repo.find_resources(kinds=["emergency_site"]) == []


def test_same_site_linked_across_lists(city_repo):
    imports.import_shelters(city_repo, open_data("shelters/gsi/evacuation_132144.json"))
    imports.import_shelters(city_repo, open_data("shelters/gsi/emergency_132144.json"))
    shelters = city_repo.find_resources(kinds=["shelter"], limit=100)
    emergency = {e["site_key"]: e for e in city_repo.find_resources(kinds=["emergency_site"], limit=100)}
    linked = [s for s in shelters if s["site_key"] in emergency]
    assert len(linked) >= 20
    tenth = next(s for s in shelters if s["name"] == "国分寺市立第十小学校")
    assert emergency[tenth["site_key"]]["name"] == "市立第十小学校"


def test_publisher_csv_form(city_repo, tmp_path):
    path = write_csv(tmp_path / "指定緊急避難場所_国分寺.csv", [
        ["NO", "共通ID", "施設・場所名", "住所", "洪水", "地震", "大規模な火事", "緯度", "経度"],
        ["1", "E1", "テスト公園", "東京都国分寺市泉町1-1", "", "1", "1", "35.698", "139.474"],
    ], "cp932")
    report = imports.import_shelters(city_repo, path)
    assert report.layer == "emergency_site" and report.stored == 1
    [site] = city_repo.find_resources(kinds=["emergency_site"])
    assert site["hazards"] == ["earthquake", "large_fire"] and site["city_code"] == "13214"


@pytest.mark.parametrize("content, expected", [
    ("{not json", "not valid JSON"),
    ('{"type": "Feature"}', "expected a GeoJSON FeatureCollection"),
    ('{"type": "FeatureCollection", "features": []}', "no features"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
     '{"施設・場所名": "X", "共通ID": "1"}, "geometry": {"type": "Point", "coordinates": [35.7, 139.4]}}]}',
     "look swapped"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
     '{"施設・場所名": "", "共通ID": "1"}, "geometry": {"type": "Point", "coordinates": [139.4, 35.7]}}]}',
     "facility name is empty"),
    ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
     '{"住所": "x"}, "geometry": null}]}', "施設・場所名"),
])
def test_broken_files_rejected_and_nothing_lost(city_repo, tmp_path, content, expected):
    imports.import_shelters(city_repo, open_data("shelters/gsi/evacuation_132101.json"))
    path = tmp_path / "evacuation_999999.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        imports.import_shelters(city_repo, path)
    assert "evacuation_999999.json" in str(info.value) and expected in str(info.value)
    assert len(city_repo.find_resources(kinds=["shelter"], limit=100)) == 16


def test_duplicate_common_ids(city_repo, tmp_path):
    feature = {"type": "Feature", "properties": {"施設・場所名": "A", "共通ID": "E1", "住所": "国分寺市"},
               "geometry": {"type": "Point", "coordinates": [139.47, 35.70]}}
    path = tmp_path / "evacuation_1.json"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature, feature]}))
    with pytest.raises(ImportFailed, match="共通ID E1 already used by row 1"):
        imports.import_shelters(city_repo, path)


def test_shift_jis_geojson_rejected(city_repo, tmp_path):
    path = tmp_path / "evacuation_2.json"
    path.write_bytes('{"type": "FeatureCollection", "name": "避難所"}'.encode("cp932"))
    with pytest.raises(ImportFailed, match="GeoJSON must be UTF-8"):
        imports.import_shelters(city_repo, path)
