"""Council resource lists: encodings, headers, placement, and every kind of bad row."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from app.domain.placement import Venue, VenueIndex
from app.importers.report import ImportFailed
from app.importers.resources import PlacementContext, parse_resources
from app.services import imports
from tests.importers.helpers import write_csv

HEADER_JA = ["名称", "住所", "緯度", "経度", "開催日時", "対象", "定員", "備考"]


def _salons(repo):
    return repo.find_resources(kinds=["salon"], placed_only=False, limit=1000)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_encodings_detected(city_repo, geocoder, tmp_path, encoding):
    path = write_csv(tmp_path / "salons.csv", [
        HEADER_JA,
        ["ふれあいサロン東恋ヶ窪", "国分寺市東恋ヶ窪6-9-11", "", "", "毎月第2火曜 10時", "65歳以上",
         "20", ""],
    ], encoding)
    report = imports.import_resources(city_repo, path, "salon", geocoder=geocoder)
    assert report.stored == 1
    [salon] = _salons(city_repo)
    assert salon["name"] == "ふれあいサロン東恋ヶ窪"
    assert salon["placement"] == "chome_centroid" and "東恋ケ窪六丁目" in salon["placement_detail"]
    assert salon["capacity"] == 20 and salon["city_code"] == "13214"
    assert salon["attributes"]["schedule"] == "毎月第2火曜 10時"


def test_english_headers_and_coordinates(city_repo, tmp_path):
    path = write_csv(tmp_path / "hubs.csv", [
        ["name", "address", "lat", "lon", "capacity", "city"],
        ["Hub A", "", "35.7003", "139.4805", "約1,200人", "国分寺市"],
        ["Hub B", "", "３５．７１", "１３９．４６", "", "13214"],
    ])
    imports.import_resources(city_repo, path, "hub")
    rows = {r["name"]: r for r in city_repo.find_resources(kinds=["hub"])}
    assert rows["Hub A"]["geometry"]["coordinates"] == [139.4805, 35.7003]
    assert rows["Hub A"]["capacity"] == 1200
    assert rows["Hub B"]["geometry"]["coordinates"] == [139.46, 35.71]  # full-width digits
    assert rows["Hub B"]["capacity"] is None  # unknown stays unknown
    assert {r["placement"] for r in rows.values()} == {"coordinates"}


def test_standard_dataset_columns(city_repo, geocoder, tmp_path):
    path = write_csv(tmp_path / "standard.csv", [
        ["ID", "名称", "所在地_全国地方公共団体コード", "所在地_都道府県", "所在地_市区町村",
         "所在地_町字", "所在地_番地以下", "緯度", "経度", "収容人数"],
        ["1", "田無総合福祉センター", "132292", "東京都", "西東京市", "田無町五丁目", "5番12号", "", "",
         "150"],
    ])
    imports.import_resources(city_repo, path, "hub", geocoder=geocoder)
    [hub] = city_repo.find_resources(kinds=["hub"])
    assert hub["city_code"] == "13229" and hub["capacity"] == 150
    assert hub["address"] == "東京都西東京市田無町五丁目5番12号"
    assert "田無町五丁目" in hub["placement_detail"]


def test_xlsx(city_repo, geocoder, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["名称", "住所", "定員"])
    sheet.append(["サロンひかり", "国分寺市光町3-13-19", 30])
    book.save(tmp_path / "list.xlsx")
    report = imports.import_resources(city_repo, tmp_path / "list.xlsx", "salon", geocoder=geocoder)
    assert report.stored == 1 and report.placements == {"chome_centroid": 1}
    assert _salons(city_repo)[0]["capacity"] == 30


def test_unplaceable_rows_listed_not_dropped(city_repo, geocoder, tmp_path):
    path = write_csv(tmp_path / "salons.csv", [
        ["名称", "住所", "会場"],
        ["どこかのサロン", "", "知らない会館"],
        ["住所だけのサロン", "国分寺市存在しない町9丁目", ""],
    ])
    report = imports.import_resources(city_repo, path, "salon", geocoder=geocoder, city="13214")
    assert report.stored == 2 and report.placements == {"not_placed": 2}
    assert len(report.not_placed) == 2
    first = report.not_placed[0]
    assert (first.row, first.name) == (2, "どこかのサロン") and "知らない会館" in first.why
    assert str(first).startswith("row 2 どこかのサロン: ")  # as the command line prints it
    assert all(r["geometry"] is None for r in _salons(city_repo))


def test_a_row_of_another_city_is_refused_by_name(city_repo, geocoder, tmp_path):
    path = write_csv(tmp_path / "salons.csv", [
        ["名称", "住所"],
        ["架空の会", "東京都国分寺市西町4-12-3"],  # its own city, written out: placed
        ["架空サロン", "東京都府中市宮西町2-24"],  # 府中市 in 国分寺市's list
    ])
    with pytest.raises(ImportFailed) as refused:
        imports.import_resources(city_repo, path, "salon", geocoder=geocoder, city="13214")
    [error] = refused.value.errors
    assert error.row == 3 and "府中市, outside 国分寺市" in str(error) and "府中市's list" in str(error)
    assert _salons(city_repo) == []  # nothing written
    write_csv(path, [["名称", "住所"], ["架空の会", "東京都国分寺市西町4-12-3"]])
    report = imports.import_resources(city_repo, path, "salon", geocoder=geocoder, city="13214")
    assert report.placements == {"chome_centroid": 1}


def test_venue_matching_places_at_known_facility(city_repo, tmp_path):
    write_csv(tmp_path / "hubs.csv", [["名称", "緯度", "経度", "市区町村"],
                                      ["本多公民館・図書館", "35.7053", "139.4824", "国分寺市"]])
    imports.import_resources(city_repo, tmp_path / "hubs.csv", "hub")
    path = write_csv(tmp_path / "salons.csv", [["名称", "会場", "市区町村"],
                                               ["あずま会", "本多公民館", "国分寺市"]])
    report = imports.import_resources(city_repo, path, "salon")
    assert report.placements == {"venue_match": 1}
    assert _salons(city_repo)[0]["geometry"]["coordinates"] == [139.4824, 35.7053]


def _rejected(repo, path, kind="salon", **kwargs) -> str:
    with pytest.raises(ImportFailed) as info:
        imports.import_resources(repo, path, kind, **kwargs)
    return str(info.value)


@pytest.fixture
def stored_salon(city_repo, tmp_path):
    """One salon already stored, which a failed import must not touch."""
    path = write_csv(tmp_path / "existing.csv", [["名称", "緯度", "経度", "市区町村"],
                                                 ["既存サロン", "35.70", "139.48", "国分寺市"]])
    imports.import_resources(city_repo, path, "salon")
    return city_repo


def test_wrong_encoding_rejected(stored_salon, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("名称,住所\n".encode() + b"\xff\xfe\x80\x81,x\n")
    message = _rejected(stored_salon, path)
    assert "latin.csv" in message and "UTF-8" in message and "row 2" in message
    assert [s["name"] for s in _salons(stored_salon)] == ["既存サロン"]


def test_missing_name_column(stored_salon, tmp_path):
    path = write_csv(tmp_path / "noname.csv", [["住所", "緯度", "経度"], ["x", "35.7", "139.4"]])
    message = _rejected(stored_salon, path)
    assert "noname.csv" in message and "名称" in message and "Found: 住所, 緯度, 経度" in message
    assert len(_salons(stored_salon)) == 1


def test_one_coordinate_column_only(stored_salon, tmp_path):
    path = write_csv(tmp_path / "half.csv", [["名称", "緯度"], ["x", "35.7"]])
    assert "経度/lon" in _rejected(stored_salon, path, city="13214")


@pytest.mark.parametrize("lat, lon, expected", [
    ("139.48", "35.70", "swapped"),
    ("48.85", "2.35", "outside Japan"),
    ("north", "139.48", "not a decimal degree"),
    ("35.0", "135.75", "km outside 国分寺市"),  # Kyoto, for a Kokubunji row
])
def test_bad_coordinates(stored_salon, tmp_path, lat, lon, expected):
    path = write_csv(tmp_path / "bad.csv", [
        ["名称", "緯度", "経度", "市区町村"],
        ["良いサロン", "35.70", "139.48", "国分寺市"],
        ["悪いサロン", lat, lon, "国分寺市"],
    ])
    message = _rejected(stored_salon, path)
    assert "bad.csv, row 3" in message and expected in message
    assert [s["name"] for s in _salons(stored_salon)] == ["既存サロン"]  # nothing half-written


def test_empty_name_and_bad_capacity_all_reported(stored_salon, tmp_path):
    path = write_csv(tmp_path / "rows.csv", [
        ["名称", "緯度", "経度", "定員", "市区町村"],
        ["", "35.70", "139.48", "10", "国分寺市"],
        ["サロン", "35.70", "139.48", "たくさん", "国分寺市"],
    ])
    message = _rejected(stored_salon, path)
    assert "row 2, column '名称': name is empty" in message
    assert "row 3, column '定員'" in message and "たくさん" in message


def test_a_row_is_named_by_the_number_excel_shows_blank_rows_and_all(stored_salon, tmp_path):
    """A coordinator looks for the row in Excel: blank rows, and rows above the header, count."""
    path = write_csv(tmp_path / "gaps.csv", [
        ["名称", "緯度", "経度", "定員", "市区町村"],
        ["サロンA", "35.70", "139.48", "10", "国分寺市"],
        [],
        ["サロンB", "35.70", "139.48", "たくさん", "国分寺市"],
    ])
    assert "gaps.csv, row 4, column '定員'" in _rejected(stored_salon, path)
    book = Workbook()
    sheet = book.active
    sheet.cell(row=3, column=1, value="名称"), sheet.cell(row=3, column=2, value="定員")
    sheet.cell(row=4, column=1, value="サロンA"), sheet.cell(row=4, column=2, value="10")
    sheet.cell(row=7, column=1, value="サロンB"), sheet.cell(row=7, column=2, value="たくさん")
    sheet.cell(row=7, column=3, value="国分寺市")
    book.save(tmp_path / "gaps.xlsx")
    message = _rejected(stored_salon, tmp_path / "gaps.xlsx", city="13214")
    assert "gaps.xlsx, row 7, column '定員'" in message


def test_duplicate_ids(stored_salon, tmp_path):
    path = write_csv(tmp_path / "dup.csv", [
        ["ID", "名称", "緯度", "経度", "市区町村"],
        ["7", "A", "35.70", "139.48", "国分寺市"],
        ["7", "B", "35.70", "139.48", "国分寺市"],
    ])
    message = _rejected(stored_salon, path)
    assert "id '7' appears 2 times" in message and "row 2" in message and "row 3" in message


def test_unknown_city(stored_salon, tmp_path):
    path = write_csv(tmp_path / "city.csv", [["名称", "緯度", "経度", "市区町村"],
                                             ["A", "35.70", "139.48", "大阪市"]])
    assert "unknown city '大阪市'" in _rejected(stored_salon, path)


@pytest.mark.parametrize("content", [b"", b"   \r\n", "名称,住所\r\n".encode()])
def test_empty_files(stored_salon, tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    message = _rejected(stored_salon, path)
    assert "empty.csv" in message and ("empty" in message or "no rows" in message)


def test_reimport_replaces_own_rows_only(stored_salon, tmp_path):
    path = write_csv(tmp_path / "list.csv", [["名称", "緯度", "経度", "市区町村"],
                                             ["一", "35.70", "139.48", "国分寺市"],
                                             ["二", "35.70", "139.48", "国分寺市"]])
    imports.import_resources(stored_salon, path, "salon")
    write_csv(path, [["名称", "緯度", "経度", "市区町村"], ["三", "35.70", "139.48", "国分寺市"]])
    imports.import_resources(stored_salon, path, "salon")
    assert sorted(s["name"] for s in _salons(stored_salon)) == ["三", "既存サロン"]


def test_vacant_houses_are_restricted(city_repo, tmp_path):
    path = write_csv(tmp_path / "akiya.csv", [["名称", "緯度", "経度", "市区町村"],
                                              ["空き家1", "35.70", "139.48", "国分寺市"]])
    imports.import_resources(city_repo, path, "vacant_house")
    assert city_repo.find_resources(kinds=["vacant_house"]) == []
    [house] = city_repo.find_resources(kinds=["vacant_house"], include_restricted=True)
    assert house["restricted"] is True


def test_a_name_that_is_only_a_note_is_shown_as_what_the_place_is(tmp_path):
    path = write_csv(tmp_path / "facilities.csv", [["名称", "種別", "緯度", "経度"],
                                                   ["(施設名は記載なし; 架空のメモ)", "文化施設", "35.70", "139.48"]])
    [record], _ = parse_resources(path, "hub", PlacementContext(cities={}), city_code="99001")
    assert record["name"] == "文化施設（名称の記載なし）"
    assert record["attributes"]["name_as_written"] == "(施設名は記載なし; 架空のメモ)"


def test_a_row_held_at_a_venue_is_told_the_venues_address(tmp_path):
    venues = VenueIndex([Venue("架空公民館", "99001", 139.48, 35.70, "hub", address="架空市本町1-1")])
    rows = [["名称", "会場", "住所"], ["架空サロン", "架空公民館", ""], ["住所つきサロン", "架空公民館", "架空市本町2-2"]]
    path = write_csv(tmp_path / "salons.csv", rows)
    held, own = parse_resources(path, "salon", PlacementContext(cities={}, venues=venues), city_code="99001")[0]
    assert held["placement"] == "venue_match" and held["attributes"]["venue_address"] == "架空市本町1-1"
    assert "venue_address" not in own["attributes"]  # a row's own address is its own
