"""地区カルテ on a small world: figures equal what the world holds, rules as in coverage, privacy kept."""

from __future__ import annotations

import pytest

from app.outputs.profile import comparison_columns, comparison_frame, profile_sections
from app.outputs.tables import csv_bytes
from app.services.analysis import Analyzer
from app.services.profile import ProfileError, city_profiles, district_profile
from app.storage.networks import NetworkStore
from tests.services.worlds import CELLS, PEOPLE, add_places


def _profile(repo, tmp_path, **kwargs):
    analyzer = Analyzer(repo, NetworkStore(repo.engine, tmp_path))
    return district_profile(repo, analyzer, "school_district", "X1", minutes=30, **kwargs)


def test_the_population_is_what_the_cells_hold(tiny, tmp_path):
    repo, _ = tiny
    profile = _profile(repo, tmp_path)
    values = {row["measure"]: row["value"] for row in profile.population}
    for measure, per_cell in PEOPLE.items():
        assert values[measure] == pytest.approx(per_cell * len(CELLS), rel=0.02), measure
    units = {row["measure"]: row["unit"] for row in profile.population}
    assert units["older_living_alone"] == "households" and units["age65"] == "people"
    assert any("2015" in line for line in profile.limits)  # no 2015 cells in this world: said so


def test_coverage_per_group_follows_who_places_are_for(tiny, tmp_path):
    repo, centre = tiny
    add_places(repo, tmp_path, centre, ("架空こども食堂", "子ども", "子ども食堂", ""))
    coverage = {row["target"]: row["pct"] for row in _profile(repo, tmp_path).coverage}
    assert coverage["children"] == pytest.approx(100) and coverage["older"] == 0
    places = _profile(repo, tmp_path).places
    assert [(p["kind"], p["category"], p["count"]) for p in places] == [("salon", "子ども食堂", 1)]


def test_a_private_salon_is_counted_for_its_city_and_never_named_for_the_public(tiny, tmp_path):
    repo, centre = tiny
    add_places(repo, tmp_path, centre, ("架空の自宅サロン", "高齢者", "", "1"))
    public = _profile(repo, tmp_path)
    assert public.places == [] and {r["target"]: r["pct"] for r in public.coverage}["older"] == 0
    own = _profile(repo, tmp_path, visible_cities=("13214",))
    assert own.places[0]["private"] == 1 and {r["target"]: r["pct"] for r in own.coverage}["older"] == 100
    assert "架空の自宅サロン" not in str(profile_sections(public)) + str(profile_sections(own))


def test_reach_with_no_shelter_list_loaded_reads_as_no_data_not_zero(tiny, tmp_path):
    repo, _ = tiny
    profile = _profile(repo, tmp_path)
    assert profile.reach == {"pct_shelter": None, "pct_welfare_shelter": None, "pct_emergency_site": None}
    lines = [line for line in dict(profile_sections(profile))["徒歩圏の割合（人口に対する割合）"] if "避難" in line]
    assert len(lines) == 3 and all("データなし" in line for line in lines)
    assert any("no 指定避難所 are loaded for 国分寺市" in line for line in profile.limits)


def test_the_comparison_has_one_row_per_area_and_agrees_with_the_profile(tiny, tmp_path):
    repo, centre = tiny
    add_places(repo, tmp_path, centre, ("架空の多世代カフェ", "誰でも", "", ""))
    analyzer = Analyzer(repo, NetworkStore(repo.engine, tmp_path))
    frame = comparison_frame(city_profiles(repo, analyzer, "school_district", "13214", 30))
    columns = comparison_columns()
    assert list(frame[columns["area_code"]]) == ["X1"]
    assert frame[columns["age65"]].iloc[0] == pytest.approx(PEOPLE["age65"] * len(CELLS), rel=0.02)
    assert frame[columns["coverage_older"]].iloc[0] == pytest.approx(100)
    body = csv_bytes(frame)
    assert body.startswith(b"\xef\xbb\xbf") and "65歳以上人口" in body.decode("utf-8-sig")


def test_an_unknown_area_or_a_city_without_areas_is_explained(tiny, tmp_path):
    repo, _ = tiny
    analyzer = Analyzer(repo, NetworkStore(repo.engine, tmp_path))
    with pytest.raises(ProfileError, match="no school_district with code 'nowhere'"):
        district_profile(repo, analyzer, "school_district", "nowhere")
    with pytest.raises(ProfileError, match="fureai areas approximate --city 13210"):
        city_profiles(repo, analyzer, "school_district", "13210")
