"""One catalogue: a place is the same Feature from the API, OGC API, the list and the export."""

from __future__ import annotations

import json
import re

import pytest

CITY = "13214"


def _by_id(features: list[dict]) -> dict:
    return {f["id"]: f for f in features}


def _get(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    return response.get_json() if response.is_json else json.loads(response.data)


@pytest.mark.parametrize("kind", ["salon", "shelter"])
def test_a_place_is_the_same_feature_wherever_it_is_read(demo_client, kind):
    api = _by_id(_get(demo_client, f"/api/v1/resources?kind={kind}&city={CITY}&limit=1000")["features"])
    ogc = _by_id(_get(demo_client, f"/ogcapi/collections/{kind}/items?city_code={CITY}&limit=1000")["features"])
    exported = _get(demo_client, f"/api/v1/export/{kind}.geojson?city={CITY}")["features"]
    exported = {f["properties"]["id"]: f for f in exported}
    assert api and set(api) == set(ogc) == set(exported)
    listed = demo_client.get(f"/list?city={CITY}&layers={kind}").get_data(as_text=True)
    for fid, feature in api.items():
        flat = ogc[fid]["properties"]
        assert ogc[fid]["geometry"] == feature["geometry"]
        assert exported[fid]["geometry"]["coordinates"] == pytest.approx(feature["geometry"]["coordinates"])
        # A table has every place's columns: a field this place lacks is an empty cell there.
        assert {k: v for k, v in exported[fid]["properties"].items()
                if k != "id" and (k in flat or v is not None)} == flat
        nested = feature["properties"]
        for key, value in nested.items():
            if isinstance(value, str | int | float | bool) and key != "id":
                assert flat[key] == value, key
        for key, value in (nested.get("attributes") or {}).items():
            if key not in nested and isinstance(value, str | int | float | bool):
                assert flat[key] == value, key
        assert flat["hazards"] == ",".join(nested["hazards"])
        assert flat["programme"] == ((nested.get("programme") or {}).get("name") or "")
        row = re.search(rf'<tr id="place-{fid}">(.*?)</tr>', listed, re.S)
        assert row and nested["name"] in row.group(1) and (nested["address"] or "") in row.group(1)


def test_a_layer_id_is_spelled_one_way_everywhere(demo_client):
    layers = {layer["id"] for layer in _get(demo_client, "/api/v1/layers")["layers"] if layer["count"]}
    # Every collection but ``meetings`` (dated Features computed from the layers' schedules) is a layer.
    collections = {c["id"] for c in _get(demo_client, "/ogcapi/collections")["collections"]} - {"meetings"}
    assert layers == collections and "school_district-official" in layers
    page = demo_client.get("/").get_data(as_text=True)
    for layer in layers:
        assert ":" not in layer and f'"{layer}"' in page
        assert demo_client.get(f"/api/v1/export/{layer}.csv").status_code == 200
    assert demo_client.get("/ogcapi/collections/school_district:official").status_code == 404
    wrong = demo_client.get("/api/v1/export/school_district:official.csv")
    assert wrong.status_code == 400 and "school_district-official" in wrong.get_json()["error"]
