"""Which desk is mine: a 相談窓口's 担当区域 from a 町丁目 list answers inside it, and only there."""

from __future__ import annotations

import pytest

from app.domain.said import in_language
from app.services import imports
from app.services.area_tables import build_declared_catchments, load_chome_index
from app.services.card import household_card
from app.services.directory import responsible
from tests.conftest import OPEN_DATA_DIR, open_data
from tests.importers.helpers import write_csv

INSIDE = (139.4720, 35.7065)  # 国分寺市 東恋ケ窪三丁目 (a real place; the desk is made up)


def _built(repo):
    """The desk's 担当区域 from the 町丁目 table, and a point well inside it."""
    build_declared_catchments(repo, load_chome_index(repo, OPEN_DATA_DIR), "consultation_desk")
    point = repo.areas_frame(kind="catchment").geometry.iloc[0].representative_point()
    return point.x, point.y


@pytest.fixture
def desk(repo, tmp_path):
    imports.import_boundaries(repo, open_data("boundaries/n03_2022_cities.geojson"), "city")
    path = write_csv(tmp_path / "窓口.csv", [
        ["名称", "種別", "緯度", "経度", "市区町村", "担当区域", "電話番号"],
        ["架空地域包括支援センター", "地域包括支援センター", "35.7085", "139.4700", "国分寺市", "東恋ヶ窪3丁目",
         "000-0000-0000"]])
    report = imports.import_resources(repo, path, "consultation_desk")
    assert report.stored == 1
    return repo


def test_a_point_inside_the_area_gets_its_desk_and_one_outside_none(desk):
    point = _built(desk)
    inside = responsible(desk, *point)
    assert [d["name"] for d in inside["desks"]] == ["架空地域包括支援センター"] and inside["note"] == ""
    assert [d["name"] for d in household_card(desk, *point).desks] == ["架空地域包括支援センター"]
    outside = responsible(desk, 139.4350, 35.7100)  # 西町, in the same city
    assert outside["desks"] == [] and "none of the 担当区域 published for 国分寺市" in outside["note"]


def test_a_city_without_published_areas_says_so(desk):
    answer = responsible(desk, *INSIDE)
    assert answer["desks"] == [] and "no 担当区域" in answer["note"] and "ask the city" in answer["note"]
    card = household_card(desk, *INSIDE)
    assert card.desks == [] and any("相談窓口" in in_language(line, "ja") for line in card.limits)


def test_the_api_answers_for_a_point(app, desk):
    lon, lat = _built(desk)
    client = app.test_client()
    found = client.get(f"/api/v1/responsible?lon={lon}&lat={lat}").get_json()
    assert [d["properties"]["name"] for d in found["desks"]] == ["架空地域包括支援センター"]
    assert client.get("/api/v1/responsible?lon=139.47").status_code == 400
