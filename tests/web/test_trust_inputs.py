"""Trust, part 2: bad input (6), edits (7), lost updates (8), files refused with the row (9).

Both backends.
"""

from __future__ import annotations

import io
import json

import pytest

from app.services import imports
from app.services.errors import ImportFailed, NoSuchResource
from tests.importers.helpers import write_csv
from tests.web.helpers import _csrf, _login

BAD_QUERIES = [
    "/api/v1/resources?limit=²", "/api/v1/resources?limit=--5", "/api/v1/resources?offset=١٢",
    "/api/v1/resources?limit=99999999999999999999", "/api/v1/nearest?lat=1e999&lon=139",
    "/api/v1/nearest?lat=35.7&lon=139.4&n=+-3", "/api/v1/resources?q=%00", "/api/v1/resources?city=１３２１４",
    "/api/v1/analysis/coverage?remove=99999999999999999999", "/api/v1/analysis/coverage?add=1,2,3",
    "/api/v1/areas?bbox=1,2,3,nan", "/api/v1/privacy/counts?kind=../../etc",
]
HUGE_IDS = ["/api/v1/resources/99999999999999999999", "/api/v1/resources/0",
            "/ogcapi/collections/shelter/items/99999999999999999999", "/workspace/resources/9999999999999/edit"]


@pytest.mark.parametrize("path", BAD_QUERIES)
def test_6_bad_parameters_get_400_naming_them(world, path):
    response = world.app.test_client().get(path)
    assert response.status_code == 400, (path, response.get_data(as_text=True)[:200])
    assert set(response.get_json()) >= {"error", "parameter"}


def test_6_ids_out_of_range_are_not_found(world):
    client = _login(world.app, "kokubunji")
    for path in HUGE_IDS:
        assert client.get(path).status_code == 404, path


def test_6_bodies_and_fields_that_cannot_be_used(world):
    token = world.accounts.issue_token("kokubunji")
    client, headers = world.app.test_client(), {"Authorization": f"Bearer {token}"}
    for body in ([1, 2], "text", 3):
        answer = client.post("/api/v1/resources", headers=headers, data=json.dumps(body),
                             content_type="application/json")
        assert answer.status_code == 400 and answer.get_json()["parameter"] == "body"
    absurd = client.post("/api/v1/resources", headers=headers, json={
        "kind": "shelter", "city_code": "13214", "name": "巨大", "capacity": "9" * 25, "lat": "35.7", "lon": "139.48"})
    assert absurd.status_code == 400 and "capacity" in absurd.get_json()["errors"][0]
    for name in ("..", "../../x.csv", "\x00.csv"):
        answer = client.post("/api/v1/import", headers=headers, data={
            "kind": "salon", "city_code": "13214", "on_existing": "add",  # the same row again: both kept
            "file": (io.BytesIO("名称,住所\r\nA,国分寺市本町1\r\n".encode()), name)})
        assert answer.status_code == 201, (name, answer.get_data(as_text=True)[:200])
    huge_cell = "名称,備考\r\nA," + "x" * 200_000 + "\r\n"
    answer = client.post("/api/v1/import", headers=headers, data={
        "kind": "salon", "city_code": "13214", "file": (io.BytesIO(huge_cell.encode()), "huge.csv")})
    assert answer.status_code == 400 and "row 2" in answer.get_json()["errors"][0]


def test_6_geojson_of_the_wrong_shape_is_rejected_with_the_feature(world, tmp_path):
    for content, expected in (({"type": "FeatureCollection", "features": [1, 2]}, "row 1"),
                              ({"type": "FeatureCollection", "features": "none"}, "no features"),
                              ({"features": [{"properties": {"name": "x"}, "geometry": {"type": "Point",
                                                                                         "coordinates": "x"}}]},
                               "row 1, column 'geometry': the geometry is not a Point")):
        path = tmp_path / "points.geojson"
        path.write_text(json.dumps(content), encoding="utf-8")
        with pytest.raises(ImportFailed, match=expected):
            imports.import_resources(world.repo, path, "hub")


def _imported_salon(world, tmp_path) -> dict:
    path = write_csv(tmp_path / "s.csv", [["名称", "会場", "市区町村", "category", "source_id"],
                                          ["編集サロン", "国分寺市立第八小学校", "国分寺市", "地域交流会", "S9"]])
    imports.import_resources(world.repo, path, "salon", key="t:salons")
    [row] = [r for r in world.repo.find_resources(kinds=["salon"]) if r["name"] == "編集サロン"]
    assert row["placement"] == "venue_match"
    return world.accounts.resource(row["id"])


def test_7_an_edit_changes_only_what_was_edited(world, tmp_path):
    salon = _imported_salon(world, tmp_path)
    client = _login(world.app, "kokubunji")
    form = {"csrf_token": _csrf(client, "/workspace"), "kind": "salon", "city_code": "13214", "name": "改名サロン",
            "address": "", "venue_name": "", "lat": f"{salon['lat']:.6f}", "lon": f"{salon['lon']:.6f}",
            "version": str(salon["version"])}
    assert client.post(f"/workspace/resources/{salon['id']}/edit", data=form).status_code == 302
    after = world.accounts.resource(salon["id"])
    assert after["name"] == "改名サロン"
    assert (after["placement"], after["placement_detail"]) == (salon["placement"], salon["placement_detail"])
    assert after["attributes"]["category"] == "地域交流会" and after["attributes"]["source_id"] == "S9"
    moved = {**form, "lat": "35.70111", "lon": "139.46111", "version": str(after["version"])}
    assert client.post(f"/workspace/resources/{salon['id']}/edit", data=moved).status_code == 302
    again = world.accounts.resource(salon["id"])
    assert (again["placement"], again["placement_detail"]) == ("moved", "moved by coordinator")
    assert again["lat"] == pytest.approx(35.70111) and again["attributes"]["source_id"] == "S9"


def test_8_no_lost_updates(world, tmp_path):
    salon = _imported_salon(world, tmp_path)
    token = world.accounts.issue_token("kokubunji")
    client, auth = world.app.test_client(), {"Authorization": f"Bearer {token}"}
    read = client.get(f"/api/v1/resources/{salon['id']}")
    etag = read.headers["ETag"]
    assert etag == f'"{salon["version"]}"'
    assert client.patch(f"/api/v1/resources/{salon['id']}", headers=auth, json={"name": "A"}).status_code == 428
    first = client.patch(f"/api/v1/resources/{salon['id']}", headers={**auth, "If-Match": etag}, json={"name": "A"})
    assert first.status_code == 200 and first.headers["ETag"] != etag
    second = client.patch(f"/api/v1/resources/{salon['id']}", headers={**auth, "If-Match": etag},
                          json={"notes": "B"})
    assert second.status_code == 412 and second.get_json()["current"]["properties"]["name"] == "A"
    assert world.accounts.resource(salon["id"])["attributes"].get("notes") is None
    gone = client.delete(f"/api/v1/resources/{salon['id']}", headers={**auth, "If-Match": etag})
    assert gone.status_code == 412
    # A change that loses a race with a delete: 404 and nothing saved, never a 500.
    now = f'"{world.accounts.resource(salon["id"])["version"]}"'
    world.accounts.set_deleted(salon["id"], True, {"id": None, "username": "racer"})
    late = client.patch(f"/api/v1/resources/{salon['id']}", headers={**auth, "If-Match": now}, json={"name": "D"})
    assert late.status_code == 404
    # The write itself refuses a deleted row (the race between the read and the write).
    with pytest.raises(NoSuchResource):
        world.accounts.update(salon["id"], {"name": "D"}, {"id": None, "username": "racer"}, int(now.strip('"')) + 1)
    assert world.accounts.resource(salon["id"])["name"] == "A"
    world.accounts.set_deleted(salon["id"], False, {"id": None, "username": "racer"})
    browser = _login(world.app, "kokubunji")
    stale = browser.post(f"/workspace/resources/{salon['id']}/edit", data={
        "csrf_token": _csrf(browser, "/workspace"), "kind": "salon", "city_code": "13214", "name": "C",
        "version": str(salon["version"])})
    page = stale.get_data(as_text=True)
    assert stale.status_code == 412 and "他の人が変更しました" in page and ">A<" in page
    assert world.accounts.resource(salon["id"])["name"] == "A"


def test_9_boundaries_whose_coordinates_cannot_be_degrees(world, tmp_path):
    square = [[-36000, -30000], [-35000, -30000], [-35000, -29000], [-36000, -29000], [-36000, -30000]]
    path = tmp_path / "projected.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
        "name": "架空地区"}, "geometry": {"type": "Polygon", "coordinates": [square]}}]}), encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"projected\.geojson: coordinates such as .* --crs"):
        imports.import_boundaries(world.repo, path, "daily_living_area", name_col="name")
    report = imports.import_boundaries(world.repo, path, "daily_living_area", name_col="name", crs="EPSG:6677")
    assert report.stored == 1
    [area] = world.repo.find_areas(kind="daily_living_area")
    lon, lat = area["geometry"]["coordinates"][0][0][0]
    assert 139 < lon < 140 and 35 < lat < 36  # metres of Plane Rectangular IX, near 国分寺


def _areas_file(path, *features) -> None:
    """A GeoJSON file of made-up areas: (name, city code, ring) each."""
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
        "name": name, "city": city}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for name, city, ring in features]}), encoding="utf-8")


def _ring(x: float, y: float, side: float) -> list:
    return [[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]


def test_projected_boundaries_with_small_coordinates_are_refused_where_they_land(world, tmp_path):
    """Found by the red team: metres near a zone's origin pass for degrees (here, the Sahara) and were stored."""
    path = tmp_path / "small.geojson"
    _areas_file(path, ("架空地区一", "", _ring(10, 20, 30)), ("架空地区二", "", _ring(-40, 15, 30)))
    with pytest.raises(ImportFailed) as refused:
        imports.import_boundaries(world.repo, path, "daily_living_area", name_col="name")
    assert [(e.row, e.column) for e in refused.value.errors] == [(1, "geometry"), (2, "geometry")]
    assert "outside Japan" in str(refused.value.errors[0]) and "--crs" in str(refused.value.errors[0])
    assert world.repo.find_areas(kind="daily_living_area") == []


def test_polygons_nowhere_near_their_city_are_refused(world, tmp_path):
    """Found by the red team: a district that names 国分寺 but lies in Osaka was stored as 国分寺's."""
    path = tmp_path / "far.geojson"
    _areas_file(path, ("架空学区近", "13214", _ring(139.46, 35.70, 0.005)),
                ("架空学区遠", "13214", _ring(135.50, 34.69, 0.005)))
    with pytest.raises(ImportFailed) as refused:
        imports.import_boundaries(world.repo, path, "school_district", name_col="name", city_col="city",
                                  set_name="架空")
    [error] = refused.value.errors
    assert error.column == "geometry" and "架空学区遠 lies" in error.message and "国分寺市" in error.message
    assert not {"架空学区近", "架空学区遠"} & {a["name"] for a in world.repo.find_areas(kind="school_district",
                                                                                  limit=5000)}
    # The same file without the stray area is stored: an area at its city's edge is its city's.
    _areas_file(path, ("架空学区近", "13214", _ring(139.46, 35.70, 0.005)))
    assert imports.import_boundaries(world.repo, path, "school_district", name_col="name", city_col="city",
                                     set_name="架空").stored == 1


@pytest.mark.parametrize(("content", "expected"), [
    ("名称,住所\r\nA,国分寺市\x00本町\r\n".encode(), "row 2: contains a NUL byte"),
    ('名称,備考\r\nA,"開いたまま\r\nB,x\r\nC,y\r\n'.encode(), "row 2"),
    ("名称,住所\r\nＡ,国分寺市\r\n".encode() + "Ｂ,小金井市\r\n".encode("cp932"), "row 3: this line is not utf-8-sig"),
])
def test_9_nul_bytes_folded_rows_and_mixed_encodings(world, tmp_path, content, expected):
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=expected):
        imports.import_resources(world.repo, path, "salon", city="13214")


def test_an_address_change_places_the_point_anew_or_says_it_cannot(world, tmp_path):
    """Editing an address moves the point to it (its 町丁目's), or takes it off the map, never silently stays."""
    path = write_csv(tmp_path / "a.csv", [["名称", "住所", "市区町村"], ["住所変更サロン", "国分寺市本町2-1", "国分寺市"]])
    imports.import_resources(world.repo, path, "salon", key="t:address")
    [row] = [r for r in world.repo.find_resources(kinds=["salon"]) if r["name"] == "住所変更サロン"]
    before = world.accounts.resource(row["id"])
    token = world.accounts.issue_token("kokubunji")
    client = world.app.test_client()
    auth = {"Authorization": f"Bearer {token}", "If-Match": f'"{before["version"]}"'}
    moved = client.patch(f"/api/v1/resources/{row['id']}", headers=auth, json={"address": "国分寺市西町4-12-3"})
    assert moved.status_code == 200, moved.get_json()
    after = world.accounts.resource(row["id"])
    assert (after["lon"], after["lat"]) != (before["lon"], before["lat"])
    assert after["placement"] == "chome_centroid" and "西町" in after["placement_detail"] + after["address"]
    auth["If-Match"] = moved.headers["ETag"]
    lost = client.patch(f"/api/v1/resources/{row['id']}", headers=auth, json={"address": "どこにもない町1-1"})
    assert lost.status_code == 200 and lost.get_json()["placement"] == "not_placed"
    assert world.accounts.resource(row["id"])["lon"] is None


def test_the_same_list_under_a_new_file_name_is_recognised(world):
    """Councils rename the monthly file: the rows are recognised, and replacing or adding is asked for."""
    token = world.accounts.issue_token("kokubunji")
    client, auth = world.app.test_client(), {"Authorization": f"Bearer {token}"}
    rows = "名称,住所\r\n架空サロン月例一,国分寺市本町2-1\r\n架空サロン月例二,国分寺市光町1-46-8\r\n".encode()

    def send(name, **extra):
        return client.post("/api/v1/import", headers=auth, data={
            "kind": "salon", "city_code": "13214", "file": (io.BytesIO(rows), name), **extra})

    def stored():
        return sum(1 for r in world.repo.find_resources(kinds=["salon"], restricted_cities=("13214",), limit=5000)
                   if r["name"].startswith("架空サロン月例"))

    assert send("サロン一覧_11月.csv").status_code == 201 and stored() == 2
    asked = send("サロン一覧_12月.csv")
    assert asked.status_code == 409 and asked.get_json()["parameter"] == "on_existing" and stored() == 2
    assert send("サロン一覧_12月.csv", on_existing="replace").status_code == 201 and stored() == 2
    assert send("サロン一覧_1月.csv", on_existing="add").status_code == 201 and stored() == 4
    browser = _login(world.app, "kokubunji")
    preview = browser.post("/workspace/upload", data={
        "csrf_token": _csrf(browser, "/workspace/upload"), "kind": "salon", "city_code": "13214",
        "file": (io.BytesIO(rows), "サロン一覧_2月.csv")}, content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "置き換える" in page and "追加する" in page


def test_a_list_imported_again_keeps_the_coordinators_work(world, tmp_path):
    """Edits, a deletion and a pending correction survive the next month's list; a clash is listed."""
    rows = [["名称", "住所", "市区町村", "収容人数"], ["再取込サロン一", "国分寺市本町2-1", "国分寺市", ""],
            ["再取込サロン二", "国分寺市光町1-46-8", "国分寺市", ""], ["再取込サロン三", "国分寺市西町4-12-3", "国分寺市", "30"]]
    path = write_csv(tmp_path / "monthly.csv", rows)
    imports.import_resources(world.repo, path, "hub", key="t:monthly")

    def by_name(name):
        return next(world.accounts.resource(r["id"]) for r in world.repo.find_resources(
            kinds=["hub"], placed_only=False, limit=500, include_deleted=True) if r["name"] == name)

    actor = {"id": None, "username": "kokubunji"}
    one, two, three = by_name("再取込サロン一"), by_name("再取込サロン二"), by_name("再取込サロン三")
    world.accounts.update(one["id"], {"name": "再取込サロン一（改名）"}, actor, one["version"])
    world.accounts.update(three["id"], {"capacity": 25}, actor, three["version"])
    world.accounts.set_deleted(two["id"], True, actor)
    pending = world.accounts.submit_correction(by_name("再取込サロン一（改名）"), {"notes": "架空の訂正"}, "")
    rows[3][3] = "40"  # the council changed the capacity the coordinator had corrected
    imports.import_resources(world.repo, write_csv(tmp_path / "monthly.csv", rows), "hub", key="t:monthly")
    # And the month after: still the coordinator's (the kept edit is itself recorded).
    assert by_name("再取込サロン三")["capacity"] == 25 and by_name("再取込サロン一（改名）")
    assert by_name("再取込サロン二")["deleted_at"] is not None
    renamed = by_name("再取込サロン一（改名）")  # a new row (its id may be new), with the edit laid over it
    assert by_name("再取込サロン二")["deleted_at"] is not None
    assert by_name("再取込サロン三")["capacity"] == 25  # the coordinator's value, the clash listed below
    correction = world.accounts.correction(pending)
    assert correction["status"] == "pending" and correction["resource_id"] == renamed["id"]
    imports.import_resources(world.repo, write_csv(tmp_path / "monthly.csv", rows), "hub", key="t:monthly")
    # And the month after: still the coordinator's (the kept edit is itself recorded).
    assert by_name("再取込サロン三")["capacity"] == 25 and by_name("再取込サロン一（改名）")
    assert by_name("再取込サロン二")["deleted_at"] is not None


def _edit_form(browser, rid: int, row: dict, **fields) -> dict:
    """The edit form's fields as stored, with ``fields`` changed."""
    return {"csrf_token": _csrf(browser, f"/workspace/resources/{rid}/edit"), "version": str(row["version"]),
            "kind": row["kind"], "city_code": row["city_code"], "name": row["name"], "address": row["address"],
            "lat": "" if row["lat"] is None else str(row["lat"]), "lon": "" if row["lon"] is None else str(row["lon"]),
            **fields}


def test_an_address_change_in_the_form_shows_the_new_position_before_saving(world, tmp_path):
    """The form shows where the new address puts the place, saves it only on the next press, and a drag wins."""
    path = write_csv(tmp_path / "f.csv", [["名称", "住所", "市区町村"], ["位置確認サロン", "国分寺市本町2-1", "国分寺市"]])
    imports.import_resources(world.repo, path, "salon", key="t:position")
    [found] = [r for r in world.repo.find_resources(kinds=["salon"]) if r["name"] == "位置確認サロン"]
    rid, before = found["id"], world.accounts.resource(found["id"])
    browser = _login(world.app, "kokubunji")
    shown = browser.post(f"/workspace/resources/{rid}/edit",
                         data=_edit_form(browser, rid, before, address="国分寺市西町4-12-3"))
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and 'id="position-preview"' in page and "まだ保存していません" in page
    assert "この位置で保存" in page and world.accounts.resource(rid) == before  # nothing saved yet
    lat, lon = (page.split(f'name="preview_{k}" value="')[1].split('"')[0] for k in ("lat", "lon"))
    assert f'name="lat" id="lat" value="{lat}"' in page  # the form's point (and its map) is the new one
    saved = browser.post(f"/workspace/resources/{rid}/edit", data=_edit_form(
        browser, rid, before, address="国分寺市西町4-12-3", lat=lat, lon=lon, position_seen="国分寺市西町4-12-3",
        preview_lat=lat, preview_lon=lon))
    assert saved.status_code == 302
    after = world.accounts.resource(rid)
    assert after["address"] == "国分寺市西町4-12-3" and after["placement"] == "chome_centroid"
    assert abs(after["lat"] - float(lat)) < 1e-5 and abs(after["lon"] - float(lon)) < 1e-5
    # A new address that cannot be placed says so first; dragging the marker after the preview is a move.
    lost = browser.post(f"/workspace/resources/{rid}/edit", data=_edit_form(
        browser, rid, after, address="どこにもない町1-1")).get_data(as_text=True)
    assert "このまま保存すると、この場所は地図から外れます" in lost and world.accounts.resource(rid) == after
    dragged = browser.post(f"/workspace/resources/{rid}/edit", data=_edit_form(
        browser, rid, after, address="どこにもない町1-1", lat="35.70500", lon="139.47000",
        position_seen="どこにもない町1-1", preview_lat="", preview_lon=""))
    assert dragged.status_code == 302
    final = world.accounts.resource(rid)
    assert final["placement"] == "moved" and (final["lon"], final["lat"]) == (139.47, 35.705)


def test_a_places_history_reads_as_what_changed_not_as_json(world, tmp_path):
    """Found trying it as a coordinator: the history was raw JSON with 'update' and field codes."""
    path = write_csv(tmp_path / "h.csv", [["名称", "住所", "市区町村", "緯度", "経度"],
                                          ["履歴サロン", "国分寺市本町2-1", "国分寺市", "35.7009", "139.4804"]])
    imports.import_resources(world.repo, path, "salon", key="t:history")
    [found] = [r for r in world.repo.find_resources(kinds=["salon"]) if r["name"] == "履歴サロン"]
    before = world.accounts.resource(found["id"])
    browser = _login(world.app, "kokubunji")
    saved = browser.post(f"/workspace/resources/{found['id']}/edit", data=_edit_form(
        browser, found["id"], before, name="履歴サロン（改名）", capacity="25", targets="older"))
    assert saved.status_code == 302
    page = browser.get(f"/workspace/resources/{found['id']}/history").get_data(as_text=True)
    assert "名称: 履歴サロン → 履歴サロン（改名）" in page and "定員: — → 25" in page
    assert "誰のための場所か: — → 高齢者" in page and ">変更<" in page
    assert "update" not in page and '{&#34;' not in page and '{"' not in page
