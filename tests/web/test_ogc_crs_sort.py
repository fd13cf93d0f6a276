"""OGC API – Features beyond Part 1's core, on the demo's shelters (both backends).

Coordinates in a chosen CRS and a bbox written in one (Part 2), sorting, chosen properties, CSV.
"""

from __future__ import annotations

import csv
import io

import pytest

from app.outputs.crs import CRS84, EPSG_URI

ITEMS = "/ogcapi/collections/shelter/items?city_code=13214&limit=5&sortby=name"


def _coordinates(answer) -> list[list[float]]:
    return [f["geometry"]["coordinates"] for f in answer.get_json()["features"]]


def test_the_service_declares_its_crs_and_conformance(demo_client):
    conforms = demo_client.get("/ogcapi/conformance").get_json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conforms
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30" in conforms
    shelter = demo_client.get("/ogcapi/collections/shelter").get_json()
    assert shelter["storageCrs"] == CRS84 and f"{EPSG_URI}6668" in shelter["crs"] and \
        f"{EPSG_URI}6677" in shelter["crs"]
    paths = demo_client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/ogcapi/collections/{collectionId}/items" in paths


def test_coordinates_come_in_the_crs_asked_for_in_its_axis_order(demo_client):
    plain = demo_client.get(ITEMS)
    assert plain.headers["Content-Crs"] == f"<{CRS84}>"
    jgd = demo_client.get(f"{ITEMS}&crs={EPSG_URI}6668")
    assert jgd.headers["Content-Crs"] == f"<{EPSG_URI}6668>"
    for (lon, lat), (first, second) in zip(_coordinates(plain), _coordinates(jgd), strict=True):
        assert first == pytest.approx(lat, abs=1e-6) and second == pytest.approx(lon, abs=1e-6)  # latitude first
    metres = _coordinates(demo_client.get(f"{ITEMS}&crs={EPSG_URI}6677"))
    assert all(-60_000 < north < 0 and -60_000 < east < 0 for north, east in metres)  # zone IX, west of origin
    refused = demo_client.get(f"{ITEMS}&crs=EPSG:9999")
    assert refused.status_code == 400 and refused.get_json()["code"] == "InvalidParameterValue"
    assert "crs" in refused.get_json()["description"] and EPSG_URI in refused.get_json()["description"]


def test_a_bbox_written_in_another_crs_finds_the_same_places(demo_client):
    box = "139.46,35.69,139.49,35.71"
    base = "/ogcapi/collections/shelter/items?limit=100&sortby=name&bbox="
    plain = [f["id"] for f in demo_client.get(base + box).get_json()["features"]]
    swapped = "35.69,139.46,35.71,139.49"
    jgd = [f["id"] for f in demo_client.get(f"{base}{swapped}&bbox-crs={EPSG_URI}6668").get_json()["features"]]
    assert plain and jgd == plain


def test_sortby_properties_and_csv(demo_client):
    names = [f["properties"]["name"] for f in demo_client.get(
        "/ogcapi/collections/shelter/items?city_code=13214&limit=1000&sortby=-name").get_json()["features"]]
    assert names == sorted(names, reverse=True) and len(names) > 5
    slim = demo_client.get(f"{ITEMS}&properties=name,capacity").get_json()["features"]
    assert all(set(f["properties"]) <= {"name", "capacity"} for f in slim)
    bad = demo_client.get("/ogcapi/collections/shelter/items?sortby=geometry")
    assert bad.status_code == 400 and "sortby" in bad.get_json()["description"]
    table = demo_client.get(f"{ITEMS}&f=csv&crs={EPSG_URI}6677")
    rows = list(csv.DictReader(io.StringIO(table.data.decode("utf-8-sig"))))
    assert table.mimetype == "text/csv" and len(rows) == 5 and rows[0]["wkt"].startswith("POINT (-")
    areas = demo_client.get("/ogcapi/collections/school_district-official/items?sortby=name")
    assert areas.status_code == 400 and "sortby" in areas.get_json()["description"]

