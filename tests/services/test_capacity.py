"""Capacity lists: matched to stored shelters like venues, kept across re-imports, used for load.

The world is made up here: 国分寺's real boundary, two fictional shelters (架空…) in the GSI
publisher's CSV form, and a fictional council capacity list.
"""

from __future__ import annotations

import pytest

from app.importers.report import ImportFailed
from app.services import imports
from app.services.analysis import Analyzer, Query
from app.services.capacity import import_capacity
from app.services.reach import reach
from app.storage.networks import NetworkStore
from tests.conftest import open_data
from tests.importers.helpers import write_csv
from tests.services.worlds import CELLS

SHELTERS = [["NO", "共通ID", "施設・場所名", "住所", "洪水", "地震", "緯度", "経度"],
            ["1", "X1", "架空第一小学校", "東京都国分寺市泉町1-1-1", "", "1", "35.6985", "139.4740"],
            ["2", "X2", "架空第二小学校", "東京都国分寺市本町2-2-2", "", "1", "35.7030", "139.4800"]]


@pytest.fixture
def shelters(repo, tmp_path):
    imports.import_boundaries(repo, open_data("boundaries/n03_2022_cities.geojson"), "city")
    imports.import_shelters(repo, write_csv(tmp_path / "指定避難所_国分寺.csv", SHELTERS))
    return repo


def _list(tmp_path, *rows, header=("施設名", "住所", "収容人数", "時点")):
    return write_csv(tmp_path / "capacity.csv", [list(header), *[list(r) for r in rows]])


def _capacities(repo):
    return {r["name"]: r["capacity"] for r in repo.resources_frame(kinds=["shelter"]).to_dict("records")}


def test_rows_attach_by_name_or_address(shelters, tmp_path):
    path = _list(tmp_path, ("架空第一小学校", "", "約480人", "2026-04-01"),
                 ("第二小(体育館)", "本町2-2-2", "350", ""))
    report = import_capacity(shelters, path, city="13214", as_of="2026-01-01")
    assert report.stored == 2 and report.placements["matched"] == 2
    assert _capacities(shelters) == {"架空第一小学校": 480, "架空第二小学校": 350}
    listed = {r["name"]: r for r in shelters.site_capacities()}
    assert listed["架空第一小学校"]["as_of"] == "2026-04-01" and listed["架空第二小学校"]["as_of"] == "2026-01-01"
    [feature] = shelters.find_resources(kinds=["shelter"], name="架空第一小学校")
    assert (feature["capacity"], feature["listed_capacity"], feature["listed_capacity_as_of"]) == \
        (None, 480, "2026-04-01")


def test_an_unmatched_row_rejects_the_file_and_nothing_changes(shelters, tmp_path):
    import_capacity(shelters, _list(tmp_path, ("架空第一小学校", "", "100", "")), city="13214")
    bad = _list(tmp_path, ("架空第一小学校", "", "200", ""), ("架空の市民会館", "", "90", ""))
    with pytest.raises(ImportFailed) as caught:
        import_capacity(shelters, bad, city="13214")
    assert "capacity.csv, row 3, column '施設名'" in str(caught.value)
    assert "架空の市民会館" in str(caught.value) and "matches no stored shelter" in str(caught.value)
    assert _capacities(shelters)["架空第一小学校"] == 100
    report = import_capacity(shelters, bad, city="13214", skip_unmatched=True)
    assert report.stored == 1 and len(report.not_placed) == 1 and "架空の市民会館" in report.not_placed[0]
    assert _capacities(shelters)["架空第一小学校"] == 200


@pytest.mark.parametrize("cell, message", [("", "capacity is empty or 0"), ("たくさん", "capacity 'たくさん' is not a whole number"),
                                           ("0", "capacity is empty or 0")])
def test_a_bad_capacity_cell_is_named(shelters, tmp_path, cell, message):
    with pytest.raises(ImportFailed, match=f"row 2, column '収容人数': {message}"):
        import_capacity(shelters, _list(tmp_path, ("架空第一小学校", "", cell, "")), city="13214")
    assert shelters.site_capacities() == []


def test_two_rows_for_one_site_are_refused(shelters, tmp_path):
    path = _list(tmp_path, ("架空第一小学校", "", "100", ""), ("架空第一小学校", "泉町1-1-1", "120", ""))
    with pytest.raises(ImportFailed, match=r"row 3.*is also row 2; keep one row per site"):
        import_capacity(shelters, path, city="13214")


def test_a_list_without_a_city_is_refused(shelters, tmp_path):
    with pytest.raises(ImportFailed, match="no city column; add one or pass --city CODE"):
        import_capacity(shelters, _list(tmp_path, ("架空第一小学校", "", "100", "")))


def test_capacities_survive_the_shelter_list_imported_again(shelters, tmp_path):
    import_capacity(shelters, _list(tmp_path, ("架空第一小学校", "", "100", "")), city="13214")
    imports.import_shelters(shelters, write_csv(tmp_path / "指定避難所_国分寺.csv", SHELTERS))
    assert _capacities(shelters)["架空第一小学校"] == 100
    [kept] = shelters.site_capacities()
    assert kept["site_found"]


def test_load_and_two_step_catchment_follow_the_capacities(shelters, tmp_path):
    header = ["KEY_CODE", "HTKSYORI", "HTKSAKI", "GASSAN", "T001142001"]
    write_csv(tmp_path / "mesh_2020.csv", [header, *[[c, "0", "", "", "400"] for c in CELLS]])
    imports.import_population(shelters, tmp_path / "mesh_2020.csv")
    analyzer = Analyzer(shelters, NetworkStore(shelters.engine, tmp_path))
    query = Query(area_kind="city", city="13214", measure="total")
    before = reach(analyzer, query)["catchments"]
    assert before["two_step_fca"] is None and "fureai import capacity" in before["two_step_fca_note"]
    import_capacity(shelters, _list(tmp_path, ("架空第一小学校", "", "100", "")), city="13214")
    after = reach(analyzer, query)["catchments"]
    assert (after["capacity_known"], after["capacity_unknown"]) == (1, 1)
    first = next(s for s in after["shelters"] if s["name"] == "架空第一小学校")
    assert first["capacity"] == 100 and first["load_ratio"] == pytest.approx(first["assigned"] / 100, rel=1e-3)
    assert after["two_step_fca"] and "1 without one are left out" in after["two_step_fca_note"]
