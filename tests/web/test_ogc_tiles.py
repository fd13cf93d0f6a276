"""OGC API – Tiles on both backends: what a tile holds, where, for whom; GDAL as an independent reader.

Every expected set comes from the stored rows or the OGC items of the same layer, cut with
shapely to the tile's own square; nothing is written down.
"""

from __future__ import annotations

import shutil
import subprocess

import mapbox_vector_tile
import morecantile
import pytest
from shapely.geometry import box, shape

from app.domain import tiles as tiling
from tests.web.helpers import SECRET

TMS = morecantile.tms.get("WebMercatorQuad")
KOKUBUNJI = (139.462, 35.705)  # 国分寺 station, where the demo's shelters are dense


def _url(cid: str, z: int, y: int, x: int) -> str:
    return f"/ogcapi/collections/{cid}/tiles/WebMercatorQuad/{z}/{y}/{x}"


def _decoded(body: bytes, layer: str) -> list[dict]:
    return mapbox_vector_tile.decode(body)[layer]["features"]


def _lonlat(tile, x: float, y: float) -> tuple[float, float]:
    """A point of the tile's grid (y up, as the decoder gives it) back in lon/lat."""
    left, bottom, right, top = TMS.xy_bounds(tile)
    return TMS.lnglat(left + (right - left) * x / tiling.EXTENT, bottom + (top - bottom) * y / tiling.EXTENT)


def _items(client, cid: str, bbox) -> list[dict]:
    answer = client.get(f"/ogcapi/collections/{cid}/items?limit=1000&bbox={','.join(map(str, bbox))}")
    assert answer.status_code == 200
    return answer.get_json()["features"]


@pytest.mark.parametrize("zoom", [12, 15])
def test_a_tile_holds_the_layers_places_in_its_square_and_puts_them_where_they_are(demo_client, zoom):
    tile = TMS.tile(*KOKUBUNJI, zoom)
    answer = demo_client.get(_url("shelter", zoom, tile.y, tile.x))
    assert answer.status_code == 200 and answer.mimetype == "application/vnd.mapbox-vector-tile"
    held = {f["id"]: f for f in _decoded(answer.data, "shelter")}
    square = box(*tiling.tile(zoom, tile.y, tile.x).lonlat)  # the tile and its buffer
    expected = {f["id"]: f for f in _items(demo_client, "shelter", square.bounds)
                if square.contains(shape(f["geometry"]))}
    assert expected and set(held) == set(expected)
    cell = (TMS.bounds(tile).right - TMS.bounds(tile).left) / tiling.EXTENT
    for fid, feature in held.items():
        lon, lat = _lonlat(tile, *feature["geometry"]["coordinates"])
        want = expected[fid]["geometry"]["coordinates"]
        assert abs(lon - want[0]) <= cell and abs(lat - want[1]) <= cell
        assert feature["properties"]["name"] == expected[fid]["properties"]["name"]
        assert feature["properties"]["kind"] == "shelter"


def test_an_area_tile_holds_the_districts_meeting_it_clipped_to_it(demo_client):
    tile = TMS.tile(139.50, 35.70, 13)  # 小金井: official school districts
    answer = demo_client.get(_url("school_district-official", 13, tile.y, tile.x))
    assert answer.status_code == 200
    held = _decoded(answer.data, "school_district-official")
    square = box(*TMS.bounds(tile))
    expected = {f["id"] for f in _items(demo_client, "school_district-official", square.bounds)
                if shape(f["geometry"]).intersection(square).area > 1e-9}
    assert expected and {f["id"] for f in held} == expected
    assert {f["geometry"]["type"] for f in held} <= {"Polygon", "MultiPolygon"}
    for feature in held:  # clipped to the tile and its buffer, on the tile's grid
        xs = [p[0] for ring in _rings(feature["geometry"]) for p in ring]
        assert min(xs) >= -tiling.BUFFER and max(xs) <= tiling.EXTENT + tiling.BUFFER


def _rings(geometry: dict) -> list:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def test_a_held_tile_is_not_sent_again_and_an_empty_one_says_so(demo_client):
    tile = TMS.tile(*KOKUBUNJI, 14)
    first = demo_client.get(_url("shelter", 14, tile.y, tile.x))
    again = demo_client.get(_url("shelter", 14, tile.y, tile.x), headers={"If-None-Match": first.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")
    assert "public" in first.headers["Cache-Control"]
    sea = TMS.tile(141.0, 30.0, 14)  # the Pacific: nothing of ours
    assert demo_client.get(_url("shelter", 14, sea.y, sea.x)).status_code == 204
    assert demo_client.get(_url("shelter", tiling.MIN_ZOOM - 1, 0, 0)).status_code == 404
    assert demo_client.get(_url("shelter", 14, 2**14, 0)).status_code == 404
    assert demo_client.get(_url("shelter", 14, tile.y, tile.x).replace("WebMercatorQuad", "WorldCRS84Quad")
                           ).status_code == 404
    assert demo_client.get(_url("no_such_layer", 14, tile.y, tile.x)).status_code == 404
    bad = demo_client.get(_url("shelter", 14, tile.y, tile.x) + "?colour=red")
    assert bad.status_code == 400 and "colour" in bad.get_json()["description"]


def test_tilesets_and_the_tiling_scheme_are_described(demo_client):
    conformance = demo_client.get("/ogcapi/conformance").get_json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt" in conformance
    links = demo_client.get("/ogcapi/collections/shelter").get_json()["links"]
    [tiles_link] = [x for x in links if x["rel"].endswith("tilesets-vector")]
    listed = demo_client.get(tiles_link["href"].split("5000", 1)[-1]).get_json()["tilesets"]
    assert [t["tileMatrixSetURI"] for t in listed] == [
        "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"]
    tileset = demo_client.get("/ogcapi/collections/shelter/tiles/WebMercatorQuad").get_json()
    [template] = [x for x in tileset["links"] if x["rel"] == "item"]
    assert template["href"].endswith("/shelter/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}")
    zooms = [int(x["tileMatrix"]) for x in tileset["tileMatrixSetLimits"]]
    assert zooms == list(range(tiling.MIN_ZOOM, tiling.MAX_ZOOM + 1))
    assert set(tileset["layers"][0]["propertiesSchema"]["properties"]) == {"name", "kind", "category",
                                                                          "city_code"}
    scheme = demo_client.get("/ogcapi/tileMatrixSets/WebMercatorQuad").get_json()
    assert scheme["id"] == "WebMercatorQuad" and len(scheme["tileMatrices"]) == 25
    assert demo_client.get("/ogcapi/tileMatrixSets/Nowhere").status_code == 404


def test_a_coordinators_tiles_hold_their_citys_vacant_house_and_no_one_else_learns_of_it(world):
    client = world.app.test_client()
    lon, lat = float(SECRET["lon"]), float(SECRET["lat"])
    tile = TMS.tile(lon, lat, 15)
    url = _url("vacant_house", 15, tile.y, tile.x)
    assert client.get(url).status_code == 404
    assert client.get("/ogcapi/collections/vacant_house/tiles").status_code == 404
    own = {"Authorization": f"Bearer {world.accounts.issue_token('kokubunji', 'gis')}"}
    mine = client.get(url, headers=own)
    assert mine.status_code == 200 and "private" in mine.headers["Cache-Control"]
    assert [f["properties"]["name"] for f in _decoded(mine.data, "vacant_house")] == [SECRET["name"]]
    other = {"Authorization": f"Bearer {world.accounts.issue_token('koganei', 'gis')}"}
    assert client.get(url, headers=other).status_code == 204
    # The public's shelter tile over the same ground names none of the private places.
    public = client.get(_url("salon", 15, tile.y, tile.x))
    assert SECRET["name"].encode() not in public.data and "秘密".encode() not in public.data


@pytest.fixture(scope="module")
def gdal():
    if shutil.which("ogrinfo") is None:
        pytest.fail("GDAL's ogrinfo is missing; make test installs gdal-bin")
    return shutil.which("ogrinfo")


def test_gdal_reads_a_served_tile_with_its_mvt_driver(live_server, demo_client, gdal):
    tile = TMS.tile(*KOKUBUNJI, 14)
    url = _url("shelter", 14, tile.y, tile.x)
    # f=mvt: GDAL takes a URL ending in a bare number for a directory of tiles, not a tile.
    read = subprocess.run([gdal, "-ro", "-al", "-oo", f"X={tile.x}", "-oo", f"Y={tile.y}", "-oo", f"Z={tile.z}",
                           "-oo", "CLIP=NO", f"MVT:/vsicurl/{live_server}{url}?f=mvt"],
                          capture_output=True, text=True, timeout=120)
    assert read.returncode == 0, read.stderr
    names = {f["properties"]["name"] for f in _decoded(demo_client.get(url).data, "shelter")}
    assert names and all(f"name (String) = {name}" in read.stdout for name in names)
    # CLIP=NO: the places in the tile's buffer (drawn there so that a symbol is not cut) are read too.
    assert read.stdout.count("OGRFeature(shelter)") == len(names)
    assert "PROJCRS[\"WGS 84 / Pseudo-Mercator\"" in read.stdout


def test_a_hazard_keeps_the_places_designated_for_it(demo_client, demo_repo):
    tile = TMS.tile(*KOKUBUNJI, 13)
    url = _url("emergency_site", 13, tile.y, tile.x)
    every = {f["id"] for f in _decoded(demo_client.get(url).data, "emergency_site")}
    flood = demo_client.get(url + "?hazard=flood")
    kept = {f["id"] for f in _decoded(flood.data, "emergency_site")} if flood.status_code == 200 else set()
    designated = {r["id"] for r in demo_repo.find_resources(kinds=["emergency_site"], hazard="flood",
                                                            limit=100_000)}
    assert kept == every & designated and kept != every
    assert flood.headers["ETag"] != demo_client.get(url).headers["ETag"]
    assert demo_client.get(url + "?hazard=meteor").status_code == 400
    areas = demo_client.get(_url("school_district-official", 13, tile.y, tile.x) + "?hazard=flood")
    assert areas.status_code == 400 and "hazard" in areas.get_json()["description"]
