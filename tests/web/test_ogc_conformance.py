"""Every conformance class the OGC API declares is checked here against what the service does.

A class declared without a probe below fails the first test; each probe asks the service what the
class promises and checks the answer against the stored rows (shapely, never written down).
"""

from __future__ import annotations

import json
from urllib.parse import quote

import mapbox_vector_tile
import pytest
from shapely.geometry import Point, box, shape

F1 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
F2 = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/"
F3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
CQL = "http://www.opengis.net/spec/cql2/1.0/conf/"
TILES = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/"
ITEMS = "/ogcapi/collections/shelter/items?limit=1000"
TILE = "/ogcapi/collections/shelter/tiles/WebMercatorQuad/14/6450/14539"


def _ids(client, query: str) -> set[int]:
    answer = client.get(f"{ITEMS}&{query}")
    assert answer.status_code == 200, (query, answer.get_data(as_text=True)[:300])
    return {f["id"] for f in answer.get_json()["features"]}


def _stored(repo) -> list[dict]:
    return repo.find_resources(kinds=["shelter"], placed_only=True, limit=100_000)


def _where(repo, test) -> set[int]:
    return {r["id"] for r in _stored(repo) if test(r)}


def core(client, repo):
    landing = client.get("/ogcapi").get_json()
    assert {"self", "conformance", "data", "service-desc"} <= {x["rel"] for x in landing["links"]}
    page = client.get("/ogcapi/collections/shelter/items?limit=5").get_json()
    assert page["numberReturned"] == 5 and page["numberMatched"] == len(_stored(repo))
    assert client.get("/ogcapi/collections/no_such").status_code == 404


def geojson(client, repo):
    answer = client.get("/ogcapi/collections/shelter/items?limit=2")
    assert answer.mimetype == "application/geo+json" and answer.get_json()["type"] == "FeatureCollection"


def html(client, repo):
    assert client.get("/ogcapi/collections/shelter/items?f=html&limit=2").mimetype == "text/html"


def oas30(client, repo):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/ogcapi/collections/{collectionId}/items",
            "/ogcapi/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"} <= set(paths)


def crs(client, repo):
    answer = client.get(f"{ITEMS}&crs=http://www.opengis.net/def/crs/EPSG/0/6677")
    assert answer.headers["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/6677>"
    northing, easting = answer.get_json()["features"][0]["geometry"]["coordinates"]
    assert -100_000 < northing < 0 and -100_000 < easting < 100_000  # zone IX, metres from its origin


def queryables(client, repo):
    schema = client.get("/ogcapi/collections/shelter/queryables")
    assert schema.mimetype == "application/schema+json" and "capacity" in schema.get_json()["properties"]


def queryables_as_parameters(client, repo):
    assert _ids(client, "welfare_shelter=true") == _where(repo, lambda r: r["welfare_shelter"])


def cql2_text(client, repo):
    assert _ids(client, "filter=" + quote("city_code = '13214'")) == _where(repo, lambda r: r["city_code"] == "13214")


def cql2_json(client, repo):
    tree = {"op": "=", "args": [{"property": "city_code"}, "13214"]}
    assert _ids(client, "filter-lang=cql2-json&filter=" + quote(json.dumps(tree))) == \
        _where(repo, lambda r: r["city_code"] == "13214")


def basic_cql2(client, repo):
    query = "city_code = '13214' AND NOT welfare_shelter = true OR id = -1"
    assert _ids(client, "filter=" + quote(query)) == _where(
        repo, lambda r: r["city_code"] == "13214" and not r["welfare_shelter"])


def advanced_comparison(client, repo):
    assert _ids(client, "filter=" + quote("name LIKE '%小学校%'")) == _where(repo, lambda r: "小学校" in r["name"])
    assert _ids(client, "filter=" + quote("city_code IN ('13214','13210')")) == _where(
        repo, lambda r: r["city_code"] in ("13214", "13210"))
    low, high = sorted(r["id"] for r in _stored(repo))[5], sorted(r["id"] for r in _stored(repo))[15]
    assert _ids(client, "filter=" + quote(f"id BETWEEN {low} AND {high}")) == _where(
        repo, lambda r: low <= r["id"] <= high)


def _point_and_box(repo):
    first = shape(_stored(repo)[0]["geometry"])
    return first, box(first.x - 0.01, first.y - 0.01, first.x + 0.01, first.y + 0.01)


def basic_spatial(client, repo):
    first, _around = _point_and_box(repo)
    assert _stored(repo)[0]["id"] in _ids(client, "filter=" + quote(f"S_INTERSECTS(geometry,{first.wkt})"))


def basic_spatial_plus(client, repo):
    _first, around = _point_and_box(repo)
    assert _ids(client, "filter=" + quote(f"S_INTERSECTS(geometry,{around.wkt})")) == _where(
        repo, lambda r: around.intersects(shape(r["geometry"])))


def spatial_functions(client, repo):
    first, around = _point_and_box(repo)
    for name, test in (("S_WITHIN", lambda g: g.within(around)), ("S_DISJOINT", lambda g: g.disjoint(around)),
                       ("S_TOUCHES", lambda g: g.touches(around)), ("S_OVERLAPS", lambda g: g.overlaps(around)),
                       ("S_CROSSES", lambda g: g.crosses(around))):
        assert _ids(client, "filter=" + quote(f"{name}(geometry,{around.wkt})")) == _where(
            repo, lambda r, test=test: test(shape(r["geometry"]))), name
    assert _ids(client, "filter=" + quote(f"S_EQUALS(geometry,{Point(first.x, first.y).wkt})")) == _where(
        repo, lambda r: shape(r["geometry"]).equals(first))
    wide = box(*around.buffer(1).bounds)
    assert _ids(client, "filter=" + quote(f"S_CONTAINS({wide.wkt},geometry)")) == _where(
        repo, lambda r: wide.contains(shape(r["geometry"])))


def filter_(client, repo):
    bad = client.get(f"{ITEMS}&filter=" + quote("colour = 'red'"))
    assert bad.status_code == 400 and "colour" in bad.get_json()["description"]


def tiles_core(client, repo):
    answer = client.get(TILE)
    assert answer.status_code == 200 and mapbox_vector_tile.decode(answer.data)["shelter"]["features"]


def tileset(client, repo):
    meta = client.get("/ogcapi/collections/shelter/tiles/WebMercatorQuad").get_json()
    assert meta["dataType"] == "vector" and meta["tileMatrixSetLimits"]


def tilesets_list(client, repo):
    assert client.get("/ogcapi/collections/shelter/tiles").get_json()["tilesets"]


def geodata_tilesets(client, repo):
    links = client.get("/ogcapi/collections/shelter").get_json()["links"]
    assert any(x["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector" for x in links)


def mvt(client, repo):
    assert client.get(TILE).mimetype == "application/vnd.mapbox-vector-tile"


PROBES = {
    F1 + "core": core, F1 + "geojson": geojson, F1 + "html": html, F1 + "oas30": oas30, F2 + "crs": crs,
    F3 + "queryables": queryables, F3 + "queryables-query-parameters": queryables_as_parameters,
    F3 + "filter": filter_, F3 + "features-filter": filter_,
    CQL + "cql2-text": cql2_text, CQL + "cql2-json": cql2_json, CQL + "basic-cql2": basic_cql2,
    CQL + "advanced-comparison-operators": advanced_comparison,
    CQL + "basic-spatial-functions": basic_spatial, CQL + "basic-spatial-functions-plus": basic_spatial_plus,
    CQL + "spatial-functions": spatial_functions,
    TILES + "core": tiles_core, TILES + "tileset": tileset, TILES + "tilesets-list": tilesets_list,
    TILES + "geodata-tilesets": geodata_tilesets, TILES + "oas30": oas30, TILES + "mvt": mvt,
}


def test_every_declared_class_has_a_probe_and_every_probe_is_declared(demo_client):
    assert set(demo_client.get("/ogcapi/conformance").get_json()["conformsTo"]) == set(PROBES)


@pytest.mark.parametrize("declared", sorted(PROBES), ids=lambda c: c.split("/spec/")[1])
def test_each_declared_class_does_what_it_says(demo_client, demo_repo, declared):
    PROBES[declared](demo_client, demo_repo)
