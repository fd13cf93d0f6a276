"""The right place for the right person: who each site is for, the hazard asked, what is unknown or old.

A small world declared once (国分寺's real boundary, a made-up district and people, and made-up
shelters, sites and salons near its centre), varied per test, on both backends.
"""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar

from app.domain.persons import care_groups
from app.domain.said import in_language
from app.domain.targets import in_target_area
from app.domain.walking import WalkingModel
from app.outputs.calendar import ics_bytes
from app.outputs.card import card_sections
from app.services import imports
from app.services.analysis import Analyzer, Query
from app.services.calendar import listings, upcoming
from app.services.card import household_card, nearest_welfare
from app.services.coverage import coverage
from app.services.nearby import near_answer
from app.services.persons import with_destinations
from app.services.reach import reach
from app.storage.networks import NetworkStore
from tests.importers.helpers import polygon_feature, write_csv, write_geojson

KOKUBUNJI = "東京都国分寺市"


def _site(name: str, lon: float, lat: float, **props) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"共通ID": f"X-{name}", "施設・場所名": name, "住所": f"{KOKUBUNJI}架空町{len(name)}",
                           "都道府県名及び市町村名": KOKUBUNJI, **props}}


@pytest.fixture
def shelters(tiny, tmp_path):
    """Made-up 指定避難所 around the centre of the tiny world.

    At the centre a nursery for 妊婦・乳幼児; 300 m north a school open to all; 600 m south a centre
    for 高齢者; 900 m east a site for 障害者.
    """
    repo, centre = tiny
    x, y = centre.x, centre.y
    write_geojson(tmp_path / "evacuation_132144.json", [
        _site("架空保育園", x, y, 受入対象者="妊婦・乳幼児"),
        _site("架空第一小学校", x, y + 0.0027),
        _site("架空高齢者センター", x, y - 0.0054, 受入対象者="高齢者"),
        _site("架空障害者福祉センター", x + 0.0099, y, 受入対象者="障害者"),
    ])
    imports.import_shelters(repo, tmp_path / "evacuation_132144.json")
    return repo, centre


def test_an_infant_only_shelter_is_never_an_older_persons_welfare_shelter(shelters):
    repo, centre = shelters
    card = household_card(repo, centre.x, centre.y)
    assert card.shelter["name"] == "架空第一小学校"  # the general line never names a reserved site
    assert card.welfare["older_disabled"]["name"] == "架空高齢者センター"
    assert card.welfare["pregnant_infants"]["name"] == "架空保育園"
    sections = dict(card_sections(card))
    assert "架空保育園" not in " ".join(sections["避難所（指定避難所）"] + sections["福祉避難所（高齢者・障害者など）"])
    frail = care_groups(["walking"], "85歳以上")
    assert nearest_welfare(repo, centre.x, centre.y, frail, WalkingModel())["name"] == "架空高齢者センター"
    younger = care_groups(["wheelchair"], "65歳未満")
    assert nearest_welfare(repo, centre.x, centre.y, younger, WalkingModel())["name"] == "架空障害者福祉センター"


def test_the_register_plans_each_person_to_a_site_for_them(shelters):
    repo, centre = shelters
    people = [{"lon": centre.x, "lat": centre.y, "pace": 30.0, "needs": ["wheelchair"], "age_band": "75〜84歳"},
              {"lon": centre.x, "lat": centre.y, "pace": 43.0, "needs": [], "age_band": "65歳未満"}]
    older, other = with_destinations(repo, people)
    assert older["destination"]["name"] == "架空高齢者センター" and older["shelter"]["name"] == "架空第一小学校"
    # Someone needing care in general: only a site for 要配慮者 as a whole would do, and there is none.
    assert other["destination"] is None


def test_welfare_reach_counts_only_sites_for_the_group(shelters, tmp_path):
    repo, _ = shelters
    analyzer = Analyzer(repo, NetworkStore(repo.engine, tmp_path))
    older = reach(analyzer, Query(kind="shelter", minutes=15, city="13214"))
    assert older["layers"]["shelter"]["facilities"] == 1  # the school: no reserved site is general
    assert older["layers"]["welfare_shelter"]["facilities"] == 1  # the 高齢者 centre only
    assert [s["name"] for s in older["catchments"]["shelters"]] == ["架空第一小学校"]
    infants = reach(analyzer, Query(kind="shelter", minutes=15, city="13214", target="parents_with_infants",
                                      measure="total"))
    assert infants["layers"]["welfare_shelter"]["facilities"] == 1 and infants["welfare_groups"] == [
        "pregnant", "parents_with_infants"]


def test_a_site_not_designated_for_the_hazard_is_never_the_answer(tiny, tmp_path):
    repo, centre = tiny
    x, y = centre.x, centre.y
    write_geojson(tmp_path / "emergency_132144.json", [
        _site("架空運動公園", x, y + 0.0005, 地震="1", 洪水=""),
        _site("架空清明小学校", x, y - 0.0040, 地震="1", 洪水="1"),
    ])
    imports.import_shelters(repo, tmp_path / "emergency_132144.json")
    flood = near_answer(repo, x, y, 5, WalkingModel(), kinds=["emergency_site"], hazard="flood")
    assert [r["name"] for r in flood["results"]] == ["架空清明小学校"]
    card = household_card(repo, x, y)
    assert card.emergency["flood"]["name"] == "架空清明小学校"
    assert card.emergency["earthquake"]["name"] == "架空運動公園"
    assert "tsunami" in card.no_site and "tsunami" not in card.emergency  # said once, not eight times


def test_a_point_inside_a_hazard_area_says_so_first(tiny, tmp_path):
    repo, centre = tiny
    x, y = centre.x, centre.y
    ring = [(x - 0.001, y - 0.001), (x + 0.001, y - 0.001), (x + 0.001, y + 0.001), (x - 0.001, y + 0.001),
            (x - 0.001, y - 0.001)]
    write_geojson(tmp_path / "a26.geojson", [polygon_feature({"name": "架空危険箇所", "code": "Z1"}, ring)])
    imports.import_boundaries(repo, tmp_path / "a26.geojson", "sediment_hazard", set_name="架空 A26",
                              name_col="name", code_col="code")
    inside = household_card(repo, x, y)
    first = dict(card_sections(inside))["この場所の危険"][0]
    assert inside.risks[0].inside is True and "中です" in first and "土砂災害" in first
    outside = household_card(repo, x + 0.004, y)
    assert outside.risks[0].inside is False and "外です" in in_language(outside.risks[0].sentence, "ja")
    answer = near_answer(repo, x, y, 3, WalkingModel(), kinds=["shelter"])
    assert answer["risks"][0].inside is True
    # No flood areas are held: unknown, never said as safe.
    assert any(r.hazard == "flood" and r.inside is None for r in answer["risks"])


def test_nothing_beyond_a_walk_is_offered_as_near(shelters):
    repo, centre = shelters
    answer = near_answer(repo, centre.x, centre.y, 5, WalkingModel(), kinds=["shelter"], minutes=10)
    assert [r["name"] for r in answer["results"]] == ["架空第一小学校"]  # the nursery is not anyone's shelter
    far = near_answer(repo, centre.x - 0.03, centre.y, 5, WalkingModel(), kinds=["shelter"], minutes=5)
    assert far["results"] == [] and far["note"] == "歩いて行ける範囲にありません" and far["beyond"] is not None
    salons = near_answer(repo, centre.x, centre.y, 5, WalkingModel(), kinds=["salon"])
    assert salons["results"] == [] and salons["note"] == "この市の一覧はまだ入っていません"


def _coverage(repo, tmp_path, **query):
    return coverage(Analyzer(repo, NetworkStore(repo.engine, tmp_path)), Query(minutes=30, city="13214", **query))


def test_a_city_without_a_list_is_unknown_not_zero_for_salons(tiny, tmp_path):
    repo, _ = tiny
    result = _coverage(repo, tmp_path, target="older")
    assert result["totals"]["pct_covered"] is None and result["totals"]["population"] > 0
    assert all(a["pct_covered"] is None and a["covered"] is None for a in result["areas"])
    assert any("no サロン・地域交流会 list is loaded" in line for line in result["data_limits"])


def _salons(repo, tmp_path, centre, *rows):
    """Salons at ``centre``: (name, 対象, 日程, 備考, 対象地域) each."""
    path = write_csv(tmp_path / "salons.csv", [["名称", "緯度", "経度", "市区町村", "対象", "開催日時", "備考", "対象地域"],
                                               *[[n, f"{centre.y:.6f}", f"{centre.x:.6f}", "国分寺市", *rest]
                                                 for n, *rest in rows]])
    imports.import_resources(repo, path, "salon", key="t:salons")


def test_a_subgroups_place_counts_for_the_subgroup_and_is_said_for_the_group(tiny, tmp_path):
    repo, centre = tiny
    _salons(repo, tmp_path, centre, ("架空交流会", "65歳以上のひとり暮らし", "", "", ""))
    older = _coverage(repo, tmp_path, target="older")
    assert older["totals"]["covered"] == 0 and older["totals"]["pct_covered"] == 0
    assert any("target=older_living_alone" in line for line in older["data_limits"])
    alone = _coverage(repo, tmp_path, target="older_living_alone")
    assert alone["totals"]["covered"] > 0


def test_a_closed_place_is_not_counted_and_an_old_one_is_named(tiny, tmp_path):
    repo, centre = tiny
    _salons(repo, tmp_path, centre, ("架空キッチン", "高齢者", "毎月一度12日(コロナ前の記載)",
                                     "記事はコロナで会場が使えなくなった旨", ""))
    result = _coverage(repo, tmp_path, target="older")
    assert result["totals"]["covered"] == 0
    assert result["resources"]["left_out"][0]["reason"].startswith("its note says it closed")
    assert any("架空キッチン" in line and "closed" in line for line in result["data_limits"])
    _salons(repo, tmp_path, centre, ("架空昼食会", "高齢者", "年1回; 11月4日(土)午前11時45分から(2017年の記事)", "", ""))
    old = _coverage(repo, tmp_path, target="older")
    assert old["totals"]["covered"] > 0 and any("架空昼食会 (2017)" in line for line in old["data_limits"])


def test_an_old_schedule_is_never_confirmed(tiny, tmp_path):
    repo, centre = tiny
    _salons(repo, tmp_path, centre, ("架空サロン古", "高齢者", "毎月第2水曜日 10時～12時(2018年4月の取材記事)", "", ""),
            ("架空サロン前", "高齢者", "毎月第3水曜日 10時～12時(コロナ前の記載)", "", ""),
            ("架空サロン新", "高齢者", "毎月第2水曜日 10時～12時", "令和8年4月時点", ""))
    today = date(2026, 12, 7)
    found = listings(repo, today)
    events = Calendar.from_ical(ics_bytes(found, today, "test"))
    status = {str(e["summary"]): str(e["status"]) for e in events.walk("VEVENT")}
    assert status == {"架空サロン古": "TENTATIVE", "架空サロン前": "TENTATIVE", "架空サロン新": "CONFIRMED"}
    assert {e["row"]["name"] for e in upcoming(found, today, 60)} == {"架空サロン新"}


def test_a_target_area_limits_the_card(tiny, tmp_path):
    repo, centre = tiny
    _salons(repo, tmp_path, centre, ("架空こいがくぼ会", "高齢者", "", "", "東恋ヶ窪 2~3 丁目"))
    assert [s["name"] for s in household_card(repo, centre.x, centre.y, town="東恋ケ窪二丁目").salons] == [
        "架空こいがくぼ会"]
    elsewhere = household_card(repo, centre.x, centre.y, town="本町二丁目")
    assert elsewhere.salons == [] and elsewhere.salon_note
    assert in_target_area("東元町、南町", "南町三丁目") and in_target_area("戸倉", "東戸倉一丁目") is False
