"""The JSON API on the demo database, both backends, including every bad parameter."""

from __future__ import annotations

import json

import pytest

from tests import source_counts
from tests.conftest import OPEN_DATA_DIR

KOKUBUNJI_STATION = {"lat": 35.7003, "lon": 139.4805}


def test_healthz(demo_client):
    body = demo_client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["datasets"] >= 25


def test_layers_report_counts_and_attribution(demo_client):
    layers = {layer["id"]: layer for layer in demo_client.get("/api/v1/layers").get_json()["layers"]}
    assert layers["shelter"]["count"] == source_counts.gsi_sites("shelter")
    assert layers["emergency_site"]["count"] == source_counts.gsi_sites("emergency_site")
    assert any("国土地理院" in a for a in layers["shelter"]["attribution"])
    assert "vacant_house" not in layers
    assert layers["school_district-approximate"]["label_en"].endswith("(approximate)")
    assert layers["school_district-official"]["count"] == 9
    # Each district layer carries its own credit: A27 for the official, the nearest-school note for
    # the approximate, never the other's.
    official, approximate = (layers[f"school_district-{p}"]["attribution"] for p in ("official", "approximate"))
    assert all("小学校区データ" in a for a in official) and all("近似" in a for a in approximate)


def test_resources_by_kind_and_bbox(demo_client):
    everything = demo_client.get("/api/v1/resources?kind=shelter&limit=1000").get_json()
    assert everything["numberMatched"] == source_counts.gsi_sites("shelter")
    box = "139.47,35.69,139.49,35.71"
    inside = demo_client.get(f"/api/v1/resources?kind=shelter&bbox={box}").get_json()
    assert 0 < inside["numberMatched"] < source_counts.gsi_sites("shelter")
    for feature in inside["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 139.47 <= lon <= 139.49 and 35.69 <= lat <= 35.71


def test_resources_paging_and_search(demo_client):
    first = demo_client.get("/api/v1/resources?kind=shelter&limit=10").get_json()
    second = demo_client.get("/api/v1/resources?kind=shelter&limit=10&offset=10").get_json()
    assert first["numberReturned"] == second["numberReturned"] == 10
    assert not {f["id"] for f in first["features"]} & {f["id"] for f in second["features"]}
    found = demo_client.get("/api/v1/resources?q=第十小学校&kind=shelter&city=13214").get_json()
    assert [f["properties"]["name"] for f in found["features"]] == ["国分寺市立第十小学校"]
    everywhere = demo_client.get("/api/v1/resources?q=第十小学校&kind=shelter").get_json()
    assert all("第十小学校" in f["properties"]["name"] for f in everywhere["features"])
    assert len(everywhere["features"]) > 1  # 清瀬 has one too


def test_hazard_filter(demo_client):
    flood = demo_client.get("/api/v1/resources?kind=emergency_site&hazard=flood&limit=500").get_json()
    assert flood["numberMatched"] > 0
    assert all("flood" in f["properties"]["hazards"] for f in flood["features"])
    total = demo_client.get("/api/v1/resources?kind=emergency_site&limit=500").get_json()
    assert flood["numberMatched"] < total["numberMatched"]


def test_areas_at_point(demo_client):
    body = demo_client.get("/api/v1/areas/at", query_string=KOKUBUNJI_STATION).get_json()
    kinds = {(a["kind"], a["name"]) for a in body["areas"]}
    assert ("city", "国分寺市") in kinds
    districts = [a for a in body["areas"] if a["kind"] == "school_district"]
    assert len(districts) == 1 and districts[0]["provenance"] == "approximate"


def test_areas_by_kind_and_city(demo_client):
    body = demo_client.get("/api/v1/areas?kind=school_district&city=13210").get_json()
    assert body["numberReturned"] == 9
    assert all(f["geometry"]["type"] == "MultiPolygon" for f in body["features"])


def test_nearest_shelter(demo_client):
    body = demo_client.get("/api/v1/nearest", query_string={**KOKUBUNJI_STATION,
                                                             "kind": "shelter", "n": 3}).get_json()
    results = body["results"]
    assert len(results) == 3
    distances = [r["distance_m"] for r in results]
    assert distances == sorted(distances)
    first = results[0]
    assert first["walk_minutes"] == pytest.approx(first["distance_m"] * 1.3 / 43, abs=0.1)
    assert body["walking"]["pace_m_per_min"] == 43
    # The risk here comes with the answer; a hazard never answered by a site not designated for it.
    assert body["risks"] and {"hazard", "inside", "text"} <= set(body["risks"][0])
    flood = demo_client.get("/api/v1/nearest", query_string={**KOKUBUNJI_STATION, "kind": "emergency_site",
                                                              "hazard": "flood", "n": 5}).get_json()
    assert flood["results"] and all("flood" in r["properties"]["hazards"] for r in flood["results"])


@pytest.mark.parametrize("query, parameter", [
    ("/api/v1/resources?bbox=abc", "bbox"),
    ("/api/v1/resources?bbox=1,2,3", "bbox"),
    ("/api/v1/resources?bbox=139.5,35.8,139.4,35.7", "bbox"),
    ("/api/v1/resources?bbox=139,35,200,36", "bbox"),
    ("/api/v1/resources?bbox=nan,35,139,36", "bbox"),
    ("/api/v1/resources?kind=castle", "kind"),
    ("/api/v1/resources?kind=vacant_house", "kind"),
    ("/api/v1/resources?limit=1000000", "limit"),
    ("/api/v1/resources?limit=ten", "limit"),
    ("/api/v1/resources?offset=-1", "offset"),
    ("/api/v1/resources?hazard=meteor", "hazard"),
    ("/api/v1/resources?city=kokubunji", "city"),
    ("/api/v1/areas?kind=ward", "kind"),
    ("/api/v1/areas/at?lat=35.7", "lon"),
    ("/api/v1/areas/at?lat=north&lon=139", "lat"),
    ("/api/v1/areas/at?lat=95&lon=139", "lat"),
    ("/api/v1/nearest?lat=35.7&lon=139.48&n=0", "n"),
    ("/api/v1/nearest?lat=35.7&lon=139.48&pace=fast", "pace"),
    ("/api/v1/nearest?lat=35.7&lon=139.48&pace=0", "pace"),
])
def test_bad_parameters_are_400(demo_client, query, parameter):
    response = demo_client.get(query)
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == parameter
    assert parameter in body["error"]


def test_areas_by_provenance(demo_client):
    approximate = demo_client.get("/api/v1/areas?kind=school_district&provenance=approximate").get_json()
    assert approximate["numberReturned"] == source_counts.approximate_districts()
    assert {f["properties"]["city_code"] for f in approximate["features"]} == set(source_counts.cities()) - {
        source_counts.KOGANEI}
    bad = demo_client.get("/api/v1/areas?provenance=guessed")
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "provenance"


def test_layers_per_city_say_where_data_is_missing(demo_client):
    layers = {x["id"]: x for x in demo_client.get("/api/v1/layers?city=13203").get_json()["layers"]}
    assert layers["emergency_site"]["count"] == 0 and not layers["emergency_site"]["available"]
    assert layers["shelter"]["count"] == 20


def test_number_matched_when_paging(demo_client):
    total = source_counts.gsi_sites("shelter")
    offset = (total - 1) // 50 * 50  # the last page
    page = demo_client.get(f"/api/v1/resources?kind=shelter&limit=50&offset={offset}").get_json()
    assert page["numberReturned"] == total - offset and page["numberMatched"] == total
    past_end = demo_client.get(f"/api/v1/resources?kind=shelter&limit=50&offset={total + 50}").get_json()
    assert past_end["numberReturned"] == 0 and past_end["numberMatched"] == total


def test_features_carry_source_and_links(demo_client):
    body = demo_client.get("/api/v1/resources?kind=shelter&q=国分寺市立第十小学校").get_json()
    [props] = [f["properties"] for f in body["features"]]
    assert "国土地理院" in props["source"] and props["source_date"] == "2025-10"
    assert [link["kind"] for link in props["linked"]] == ["emergency_site"]


def test_unknown_api_path_is_json_404(demo_client):
    response = demo_client.get("/api/v1/nothing")
    assert response.status_code == 404 and "error" in response.get_json()


def test_datasets_endpoint(demo_client):
    datasets = demo_client.get("/api/v1/datasets").get_json()["datasets"]
    mesh = next(d for d in datasets if d["key"] == "population:estat_mesh250m_2020_age")
    assert "e-Stat" in mesh["attribution"] and mesh["source_date"] == "2020"


def test_index_page_lists_datasets(demo_client):
    html = demo_client.get("/").get_data(as_text=True)
    assert "指定避難所" in html and "国土地理院" in html
    assert "データなし / no data loaded" not in html.split("寄付型")[0]


def test_geocode_finds_a_chome_a_station_and_a_resource(demo_client):
    towns = json.loads((OPEN_DATA_DIR / "address/geolonia-api/ja/東京都/国分寺市.json").read_text(encoding="utf-8"))
    town = next(t for t in towns if t["town"] == "西町四丁目")
    for q in ("西町4丁目", "西町四丁目", "西町４丁目"):
        [hit] = [r for r in demo_client.get(f"/api/v1/geocode?q={q}").get_json()["results"] if r["type"] == "chome"]
        assert (hit["label"], hit["city_code"]) == ("国分寺市西町四丁目", "13214")
        assert (hit["lat"], hit["lon"]) == (round(town["lat"], 6), round(town["lng"], 6))
    with_number = demo_client.get("/api/v1/geocode?q=西町4-12-3").get_json()["results"][0]
    assert with_number["type"] == "address" and "house number is not located" in with_number["note"]
    stations = json.loads((OPEN_DATA_DIR / "context/railway_stations_n02_2021.geojson").read_text(encoding="utf-8"))
    name = stations["features"][0]["properties"]["N02_005"]
    found = demo_client.get(f"/api/v1/geocode?q={name}駅").get_json()["results"]
    assert any(r["type"] == "station" and r["label"] == f"{name}駅" for r in found)
    school = demo_client.get("/api/v1/geocode?q=国分寺市立第十小学校").get_json()["results"]
    assert any(r["type"] == "resource" and r["feature"]["properties"]["kind"] == "shelter" for r in school)
    assert demo_client.get("/api/v1/geocode?q=%25").get_json()["results"] == []  # % is a character
    assert demo_client.get("/api/v1/geocode").status_code == 400
    assert demo_client.get("/api/v1/geocode?q=" + "あ" * 101).status_code == 400


def test_geocode_a_kind_of_place_gives_the_nearest_ones(demo_client):
    near = f"{KOKUBUNJI_STATION['lon']},{KOKUBUNJI_STATION['lat']}"
    welfare = demo_client.get(f"/api/v1/geocode?q=福祉避難所&near={near}&limit=3").get_json()["results"]
    assert len(welfare) == 3 and all(r["feature"]["properties"]["welfare_shelter"] for r in welfare)
    assert {r["feature"]["properties"]["kind"] for r in welfare} == {"shelter"}
    metres = [r["feature"]["properties"]["distance_m"] for r in welfare]
    assert metres == sorted(metres)  # nearest first
    cafeterias = demo_client.get(f"/api/v1/geocode?q=子ども食堂&near={near}").get_json()["results"]
    assert cafeterias and {r["feature"]["properties"]["category"] for r in cafeterias} == {"childrens_cafeteria"}
    assert demo_client.get("/api/v1/geocode?q=避難所&near=east").status_code == 400


def test_the_base_of_our_own_is_the_national_rivers_railways_and_stations(demo_client):
    """/api/v1/context: what a map draws when its tiles fail, credited; a view is required."""
    box = (139.44, 35.68, 139.50, 35.72)  # around 国分寺駅
    answer = demo_client.get("/api/v1/context?bbox=" + ",".join(map(str, box))).get_json()
    names = {f["properties"]["name"] for f in answer["features"] if f["properties"]["layer"] == "station"}
    assert source_counts.station_names(box, inside=True) <= names <= source_counts.station_names(box, inside=False)
    assert "国分寺" in names and {f["properties"]["layer"] for f in answer["features"]} == {"river", "railway", "station"}
    assert "「国土数値情報（鉄道データ）」（国土交通省）" in answer["attribution"]
    refused = demo_client.get("/api/v1/context")
    assert refused.status_code == 400 and refused.get_json()["parameter"] == "bbox"
