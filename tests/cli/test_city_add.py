"""``fureai city add``: a municipality from the shared open data, as the demo builds it; again, no duplicates."""

from __future__ import annotations

import json

from tests.conftest import OPEN_DATA_DIR

KIYOSE = "13221"


def _gsi(prefix: str) -> int:
    [path] = sorted((OPEN_DATA_DIR / "shelters/gsi").glob(f"{prefix}_{KIYOSE}*.json"))
    return len(json.loads(path.read_text(encoding="utf-8-sig")).get("features") or [])


def _schools() -> int:
    data = json.loads((OPEN_DATA_DIR / "schools/elementary_schools_gsi.geojson").read_text(encoding="utf-8-sig"))
    return len({f["properties"]["name"] for f in data["features"] if f["properties"]["city_code6"][:5] == KIYOSE})


def _stored(repo) -> dict:
    return {kind: len(repo.resources_frame(kinds=[kind], city=KIYOSE))
            for kind in ("shelter", "emergency_site", "school")} | {
        "districts": len(repo.areas_frame(kind="school_district", city=KIYOSE)),
        "cities": len(repo.areas_frame(kind="city", city=KIYOSE))}


def test_a_city_from_the_open_files_and_again_without_duplicates(runner, app):
    repo = app.extensions["repository"]
    first = runner.invoke(args=["city", "add", KIYOSE, "--from", str(OPEN_DATA_DIR)])
    assert first.exit_code == 0, first.output
    expected = {"shelter": _gsi("evacuation"), "emergency_site": _gsi("emergency"), "school": _schools(),
                "districts": _schools(), "cities": 1}
    assert _stored(repo) == expected
    assert "approximate districts from its schools" in first.output and "analyses:" in first.output
    assert "population: estat_mesh250m_2020_age.csv" in first.output
    mesh = {d["key"]: d["imported_at"] for d in repo.datasets() if d["layer"] == "population"}
    again = runner.invoke(args=["city", "add", KIYOSE, "--from", str(OPEN_DATA_DIR)])
    assert again.exit_code == 0 and "boundary: already stored" in again.output
    assert _stored(repo) == expected
    # The regional mesh is not read again: its cells lie in the city although they belong to none.
    assert "population: the 2020 mesh already covers the city" in again.output
    assert {d["key"]: d["imported_at"] for d in repo.datasets() if d["layer"] == "population"} == mesh
    reach = runner.invoke(args=["analyze", "reach", "--city", KIYOSE, "--minutes", "10"])
    assert reach.exit_code == 0 and "approximate" in reach.output


def test_a_wrong_code_or_a_city_without_files_is_explained(runner, tmp_path):
    assert "not a 5-digit municipality code" in runner.invoke(args=["city", "add", "kiyose", "--from",
                                                                    str(OPEN_DATA_DIR)]).output
    empty = runner.invoke(args=["city", "add", "01100", "--from", str(tmp_path)])
    assert empty.exit_code == 1 and "no boundary of city 01100" in empty.output


def test_without_an_extract_the_walking_network_is_said_missing(runner):
    done = runner.invoke(args=["city", "add", KIYOSE, "--from", str(OPEN_DATA_DIR)])
    assert "walking network: no .osm.pbf extract found" in done.output


def test_schools_from_a27_points_when_the_gsi_list_is_not_there(runner, app, tmp_path):
    """小金井 from folders holding only N03 and the A27 school points: its schools and approximate districts."""
    import shutil

    koganei = "13210"
    for relative in ("boundaries/n03_2022_cities.geojson", "schools/a27p_2016_elementary_points.geojson"):
        shutil.copy(OPEN_DATA_DIR / relative, tmp_path / relative.split("/")[1])
    data = json.loads((OPEN_DATA_DIR / "schools/a27p_2016_elementary_points.geojson").read_text(encoding="utf-8"))
    names = {f["properties"]["A27_003"] for f in data["features"] if f["properties"]["A27_001"] == koganei}
    done = runner.invoke(args=["city", "add", koganei, "--from", str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert f"schools: {len(names)} from a27p_2016_elementary_points.geojson" in done.output
    repo = app.extensions["repository"]
    assert set(repo.resources_frame(kinds=["school"], city=koganei)["name"]) == names
    assert len(repo.areas_frame(kind="school_district", city=koganei)) == len(names)


def test_a_city_from_the_publishers_national_shelter_list(runner, app, tmp_path):
    """清瀬's rows of a national 指定避難所 CSV (made-up rows in the publisher's columns); not the others'."""
    import shutil

    shutil.copy(OPEN_DATA_DIR / "boundaries/n03_2022_cities.geojson", tmp_path / "n03.geojson")
    rows = [["共通ID", "施設・場所名", "住所", "緯度", "経度", "都道府県名及び市町村名"],
            ["X1322100001", "架空第一避難所", "東京都清瀬市元町1-1-1", "35.7730", "139.5200", "東京都清瀬市"],
            ["X1322100002", "架空第二避難所", "東京都清瀬市中里2-2-2", "35.7800", "139.5300", "東京都清瀬市"],
            ["X1321400001", "架空よその避難所", "東京都国分寺市本町1-1-1", "35.7000", "139.4800", "東京都国分寺市"]]
    (tmp_path / "指定避難所_全国.csv").write_text("".join(",".join(r) + "\r\n" for r in rows), encoding="utf-8")
    done = runner.invoke(args=["city", "add", KIYOSE, "--from", str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert "evacuation: 指定避難所_全国.csv (the publisher's national list): 2 rows of 清瀬市" in done.output
    assert "emergency: no file found" in done.output
    stored = app.extensions["repository"].resources_frame(kinds=["shelter"])
    assert sorted(stored["name"]) == ["架空第一避難所", "架空第二避難所"]
    assert set(stored["city_code"]) == {KIYOSE}


def test_an_unseen_city_gets_its_schools_from_its_own_shelter_list(runner, app, tmp_path):
    """清瀬 from its national files only (no derived school list): schools, districts, honest gaps."""
    import shutil

    shutil.copy(OPEN_DATA_DIR / "boundaries/n03_2022_cities.geojson", tmp_path / "n03.geojson")
    for path in (OPEN_DATA_DIR / "shelters/gsi").glob(f"*_{KIYOSE}*.json"):
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(OPEN_DATA_DIR / "population/estat_mesh250m_2020_age.csv", tmp_path / "estat_mesh250m_2020_age.csv")
    done = runner.invoke(args=["city", "add", KIYOSE, "--from", str(tmp_path)])
    assert done.exit_code == 0, done.output
    evacuation = json.loads(next((OPEN_DATA_DIR / "shelters/gsi").glob(f"evacuation_{KIYOSE}*.json"))
                            .read_text(encoding="utf-8-sig"))
    schools = {f["properties"]["施設・場所名"] for f in evacuation["features"]
               if "小学校" in f["properties"]["施設・場所名"]}
    assert f"schools: {len(schools)} from the city's 指定避難所 list" in done.output
    repo = app.extensions["repository"]
    assert set(repo.resources_frame(kinds=["school"], city=KIYOSE)["name"]) == schools
    assert len(repo.areas_frame(kind="school_district", city=KIYOSE)) == len(schools)
    assert "no known gap" not in done.output
    assert "analyses: no salon list — salon coverage" in done.output


def test_a_folder_holding_json_that_is_no_layer_is_read_past(runner, tmp_path):
    """A JSON array (or any JSON that is not a FeatureCollection) beside the files is not a crash."""
    import shutil

    shutil.copy(OPEN_DATA_DIR / "boundaries/n03_2022_cities.geojson", tmp_path / "n03.geojson")
    (tmp_path / "list.geojson").write_text("[1, 2, 3]", encoding="utf-8")
    (tmp_path / "odd.geojson").write_text('{"features": [1, {"properties": "x"}]}', encoding="utf-8")
    done = runner.invoke(args=["city", "add", KIYOSE, "--from", str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert "boundary: n03.geojson" in done.output
