"""OGC API – Features Part 3 on the demo's shelters (both backends), and OWSLib as a client.

Queryables, queryables as parameters, and CQL2 text and JSON filters translated to SQL.
Every expected set is computed here from the stored rows with shapely, never written down.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from shapely.geometry import box, shape

SHELTERS = "/ogcapi/collections/shelter"


def _ids(client, query: str) -> set[int]:
    answer = client.get(f"{SHELTERS}/items?limit=1000&{query}")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return {f["id"] for f in answer.get_json()["features"]}


def _stored(demo_repo) -> list[dict]:
    return demo_repo.find_resources(kinds=["shelter"], placed_only=True, limit=100_000)


def test_queryables_say_what_a_filter_may_name(demo_client):
    answer = demo_client.get(f"{SHELTERS}/queryables")
    schema = answer.get_json()
    assert answer.mimetype == "application/schema+json" and schema["additionalProperties"] is False
    assert schema["properties"]["capacity"] == {"type": "integer"}
    assert schema["properties"]["hazard_flood"] == {"type": "boolean"}
    assert schema["properties"]["geometry"] == {"format": "geometry-point"}
    links = demo_client.get(SHELTERS).get_json()["links"]
    assert any(link["rel"].endswith("/queryables") for link in links)


def test_cql2_text_and_json_say_the_same_and_match_the_rows(demo_client, demo_repo):
    rows = _stored(demo_repo)
    expected = {r["id"] for r in rows if "小学校" in r["name"] and r["city_code"] == "13214"}
    text = _ids(demo_client, "filter=" + quote("name LIKE '%小学校%' AND city_code = '13214'"))
    as_json = json.dumps({"op": "and", "args": [
        {"op": "like", "args": [{"property": "name"}, "%小学校%"]},
        {"op": "=", "args": [{"property": "city_code"}, "13214"]}]}, ensure_ascii=False)
    from_json = _ids(demo_client, "filter-lang=cql2-json&filter=" + quote(as_json))
    assert expected and text == expected and from_json == expected
    listed = _ids(demo_client, "filter=" + quote("city_code IN ('13214', '13210') AND NOT welfare_shelter = true"))
    assert listed == {r["id"] for r in rows if r["city_code"] in ("13214", "13210") and not r["welfare_shelter"]}


def test_spatial_predicates_on_a_district(demo_client, demo_repo):
    district = demo_client.get("/api/v1/areas?kind=school_district&city=13214&limit=1").get_json()["features"][0]
    polygon = shape(district["geometry"])
    inside = {r["id"] for r in _stored(demo_repo) if polygon.covers(shape(r["geometry"]))}
    within = _ids(demo_client, "filter=" + quote(f"S_WITHIN(geometry, {polygon.wkt})"))
    assert within == inside
    square = box(139.46, 35.69, 139.49, 35.71)
    boxed = _ids(demo_client, "filter=" + quote(f"S_INTERSECTS(geometry, {square.wkt})"))
    assert boxed and boxed == _ids(demo_client, "bbox=139.46,35.69,139.49,35.71")


def test_queryables_as_parameters(demo_client, demo_repo):
    welfare = _ids(demo_client, "welfare_shelter=true&city_code=13214")
    assert welfare == {r["id"] for r in _stored(demo_repo) if r["welfare_shelter"] and r["city_code"] == "13214"}
    bad = demo_client.get(f"{SHELTERS}/items?welfare_shelter=yes")
    assert bad.status_code == 400 and "welfare_shelter" in bad.get_json()["description"]


def test_a_filter_that_cannot_be_read_says_where_and_why(demo_client):
    for query, said in ((quote("foo = 1"), "'foo' is not a queryable"),
                        (quote("capacity >> 3"), "column 11"),
                        ("filter-lang=cql2-json&filter=" + quote("{not json"), "not CQL2 JSON"),
                        ("filter-lang=cql2-json&filter=" + quote(json.dumps({"op": "t_before", "args": [
                            {"property": "capacity"}, {"timestamp": "2026-01-01T00:00:00Z"}]})), "not dated")):
        url = f"{SHELTERS}/items?" + (query if query.startswith("filter-lang") else f"filter={query}")
        answer = demo_client.get(url)
        assert answer.status_code == 400, (query, answer.get_data(as_text=True))
        assert said in answer.get_json()["description"], (query, answer.get_json())
    areas = demo_client.get("/ogcapi/collections/school_district-official/items?filter=" + quote("capacity > 1"))
    assert areas.status_code == 400 and "capacity" in areas.get_json()["description"]


def test_owslib_reads_queryables_and_filters(live_server, demo_repo):
    from owslib.ogcapi.features import Features

    service = Features(f"{live_server}/ogcapi")
    assert "capacity" in service.collection_queryables("shelter")["properties"]
    found = service.collection_items("shelter", limit=1000, filter="city_code = '13214' AND welfare_shelter = true")
    expected = {r["id"] for r in _stored(demo_repo) if r["welfare_shelter"] and r["city_code"] == "13214"}
    assert {f["id"] for f in found["features"]} == expected


def test_a_coordinators_token_reads_its_citys_restricted_collection_and_no_one_else_learns_of_it(world):
    client = world.app.test_client()
    listed = {c["id"] for c in client.get("/ogcapi/collections").get_json()["collections"]}
    assert "vacant_house" not in listed
    assert client.get("/ogcapi/collections/vacant_house").status_code == 404
    assert client.get("/ogcapi/collections/vacant_house/items").status_code == 404  # 404, never 403
    own = {"Authorization": f"Bearer {world.accounts.issue_token('kokubunji', 'gis')}"}
    mine = client.get("/ogcapi/collections", headers=own).get_json()["collections"]
    [vacant] = [c for c in mine if c["id"] == "vacant_house"]
    assert vacant["extent"]["spatial"]["bbox"] == []  # no box over other cities' houses
    items = client.get("/ogcapi/collections/vacant_house/items", headers=own)
    assert items.status_code == 200 and "private" in items.headers["Cache-Control"]
    assert [f["properties"]["city_code"] for f in items.get_json()["features"]] == ["13214"]
    other = {"Authorization": f"Bearer {world.accounts.issue_token('koganei', 'gis')}"}
    assert client.get("/ogcapi/collections/vacant_house/items", headers=other).get_json()["features"] == []


def test_an_area_collection_filters_by_its_own_queryables_and_by_where_it_lies(demo_client, demo_repo):
    cid = "/ogcapi/collections/school_district-official"
    schema = demo_client.get(f"{cid}/queryables").get_json()["properties"]
    assert set(schema) == {"id", "code", "name", "city_code", "geometry"}
    stored = demo_repo.find_areas(kind="school_district", provenance="official", limit=1000)
    first = stored[0]
    point = shape(first["geometry"]).representative_point()
    inside = {a["id"] for a in stored if shape(a["geometry"]).contains(point)}
    found = demo_client.get(f"{cid}/items?limit=100&filter=" + quote(f"S_INTERSECTS(geometry,POINT({point.x} {point.y}))"))
    assert {f["id"] for f in found.get_json()["features"]} == inside == {first["id"]}
    named = demo_client.get(f"{cid}/items?limit=100&filter=" + quote(f"name = '{first['name']}'")).get_json()
    assert [f["id"] for f in named["features"]] == [a["id"] for a in stored if a["name"] == first["name"]]
    assert named["numberMatched"] == len(named["features"])
    by_param = demo_client.get(f"{cid}/items?limit=100&code={quote(first['code'])}").get_json()
    assert {f["properties"]["code"] for f in by_param["features"]} == {first["code"]}
