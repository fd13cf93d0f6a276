"""OGC API – Features on both backends, read by an independent client (GDAL's OAPIF driver)."""

from __future__ import annotations

import json
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest

from tests import source_counts

COLLECTIONS = {"salon", "hub", "shelter", "emergency_site", "school", "disaster_park", "city-official",
               "school_district-official", "school_district-approximate", "middle_school_district-official",
               "sediment_hazard-official", "meetings"}


def test_landing_conformance_collections(demo_client):
    landing = demo_client.get("/ogcapi").get_json()
    assert {link["rel"] for link in landing["links"]} >= {"self", "conformance", "data"}
    conformance = demo_client.get("/ogcapi/conformance").get_json()["conformsTo"]
    assert any(c.endswith("/conf/core") for c in conformance)
    body = demo_client.get("/ogcapi/collections").get_json()
    ids = {c["id"] for c in body["collections"]}
    assert ids == COLLECTIONS  # no vacant houses, no empty vending-machine layer
    shelter = demo_client.get("/ogcapi/collections/shelter").get_json()
    minx, miny, maxx, maxy = shelter["extent"]["spatial"]["bbox"][0]
    assert 139.4 < minx < maxx < 139.7 and 35.6 < miny < maxy < 35.8


def test_items_paging_links(demo_client):
    first = demo_client.get("/ogcapi/collections/shelter/items?limit=50").get_json()
    assert (first["numberMatched"], first["numberReturned"]) == (source_counts.gsi_sites("shelter"), 50)
    ids, page = [f["id"] for f in first["features"]], first
    while True:
        nxt = [link["href"] for link in page["links"] if link["rel"] == "next"]
        if not nxt:
            break
        assert nxt[0].startswith(demo_client.application.config["PUBLIC_URL"])  # never the Host header's
        page = demo_client.get(urlsplit(nxt[0])._replace(scheme="", netloc="").geturl()).get_json()
        ids += [f["id"] for f in page["features"]]
    assert len(ids) == len(set(ids)) == source_counts.gsi_sites("shelter")


def test_items_filters_and_single_item(demo_client):
    body = demo_client.get("/ogcapi/collections/emergency_site/items?city_code=13214&hazard=flood&limit=100")
    features = body.get_json()["features"]
    assert features and all(f["properties"]["city_code"] == "13214" and "flood" in f["properties"]["hazards"]
                            for f in features)
    one = demo_client.get(f"/ogcapi/collections/emergency_site/items/{features[0]['id']}").get_json()
    assert one["id"] == features[0]["id"] and one["geometry"]["type"] == "Point"
    assert demo_client.get(f"/ogcapi/collections/shelter/items/{features[0]['id']}").status_code == 404
    assert demo_client.get("/ogcapi/collections/vacant_house/items").status_code == 404
    bad = demo_client.get("/ogcapi/collections/shelter/items?colour=red")
    assert bad.status_code == 400 and "colour" in bad.get_json()["description"]
    areas = demo_client.get("/ogcapi/collections/school_district-official/items?limit=100").get_json()
    assert areas["numberMatched"] == 9 and areas["features"][0]["geometry"]["type"] == "MultiPolygon"


def test_html_pages(demo_client):
    page = demo_client.get("/ogcapi/collections/shelter/items?f=html&limit=5").get_data(as_text=True)
    assert "<table" in page and "指定避難所" in page and "next" in page
    assert "<html" in demo_client.get("/ogcapi/collections", headers={"Accept": "text/html"}).get_data(
        as_text=True)


@pytest.fixture(scope="module")
def ogr():
    if shutil.which("ogrinfo") is None:
        pytest.fail("GDAL's ogrinfo is missing; make test installs gdal-bin")
    return shutil.which("ogrinfo"), shutil.which("ogr2ogr")


def test_gdal_lists_collections_and_reads_every_feature_with_paging(live_server, ogr, tmp_path):
    ogrinfo, ogr2ogr = ogr
    source = f"OAPIF:{live_server}/ogcapi"
    listing = subprocess.run([ogrinfo, "-ro", "-q", source], capture_output=True, text=True, timeout=120)
    assert listing.returncode == 0, listing.stderr
    for collection in COLLECTIONS:
        assert f": {collection} " in listing.stdout
    out = tmp_path / "shelters.geojson"
    copy = subprocess.run([ogr2ogr, "-f", "GeoJSON", str(out), source, "shelter", "-oo", "PAGE_SIZE=40"],
                          capture_output=True, text=True, timeout=120)
    assert copy.returncode == 0, copy.stderr
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert len(features) == source_counts.gsi_sites("shelter")
    assert "国分寺市立第十小学校" in {f["properties"]["name"] for f in features}


def test_items_need_no_listing_and_count_only_full_pages(demo_client):
    """A collection is known from its id; numberMatched is exact whether counted or not."""
    page = demo_client.get("/ogcapi/collections/shelter/items?limit=5").get_json()
    whole = demo_client.get("/ogcapi/collections/shelter/items?limit=1000").get_json()
    assert page["numberReturned"] == 5 and page["numberMatched"] == whole["numberReturned"]
    assert whole["numberMatched"] == whole["numberReturned"]
    for unknown in ("nonsense", "school_district-guessed", "vacant_house"):
        assert demo_client.get(f"/ogcapi/collections/{unknown}/items").status_code == 404


def test_absolute_links_start_at_the_public_url_not_the_host_header(demo_client):
    landing = demo_client.get("/ogcapi", headers={"Host": "evil.example"}).get_json()
    hrefs = [link["href"] for link in landing["links"]]
    assert hrefs and not any("evil.example" in h for h in hrefs)
    assert all(h.startswith(demo_client.application.config["PUBLIC_URL"]) for h in hrefs)


def test_a_page_asked_again_is_the_same_until_the_data_changes_and_a_holder_is_told_304(world):
    client = world.app.test_client()
    url = "/ogcapi/collections/shelter/items?limit=1000&city_code=13214"
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")
    assert client.get(url).data == first.data
    shelter = next(f for f in first.get_json()["features"] if f["id"] == world.shelter)
    token = world.accounts.issue_token("kokubunji")
    read = client.get(f"/api/v1/resources/{world.shelter}")
    edited = client.patch(f"/api/v1/resources/{world.shelter}", json={"name": "架空の新しい名前"},
                          headers={"Authorization": f"Bearer {token}", "If-Match": read.headers["ETag"]})
    assert edited.status_code == 200
    after = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
    names = {f["id"]: f["properties"]["name"] for f in after.get_json()["features"]}
    assert names[world.shelter] == "架空の新しい名前" != shelter["properties"]["name"]
    # A coordinator's answer (their restricted places in it) is kept apart from the public's.
    own = client.get("/ogcapi/collections/salon/items?limit=1000", headers={"Authorization": f"Bearer {token}"})
    public = client.get("/ogcapi/collections/salon/items?limit=1000")
    assert own.get_json()["numberMatched"] == public.get_json()["numberMatched"] + 1
