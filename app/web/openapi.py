"""The OpenAPI 3.1 description of ``/api/v1`` and ``/ogcapi``, built from the vocabularies the checks use.

Served at ``/api/v1/openapi.json`` (linked from the OGC API landing page as ``service-desc``),
validated in the tests, and fuzzed there with schemathesis.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from app.domain.demand import MEASURES
from app.domain.kinds import AREA_KINDS, HAZARDS, PROVENANCES, RESOURCE_KINDS
from app.domain.layers import PUBLIC_KINDS
from app.domain.targets import CATEGORIES, TARGET_GROUPS
from app.domain.walking import BOUNDS
from app.outputs.crs import SUPPORTED
from app.services.analysis import UNIT_TYPES

bp = Blueprint("openapi", __name__)
KIND_ENUM = list(PUBLIC_KINDS)
MEDIA = "application/vnd.oai.openapi+json;version=3.1"
ERROR = {"$ref": "#/components/schemas/Error"}


def _param(name, where="query", required=False, description="", **schema):
    return {"name": name, "in": where, "required": required, "description": description,
            "schema": schema or {"type": "string"}}


def _answers(ok: str, *codes: int, body: str = "application/json") -> dict:
    out = {ok: {"description": "OK", "content": {body: {"schema": {"type": "object"} if "json" in body
                                                          else {"type": "string"}}}}}
    for code in (400, *codes):
        out[str(code)] = {"description": _REASONS[code], "content": {"application/json": {"schema": ERROR}}}
    return out


_REASONS = {304: "not modified since the ETag sent in If-None-Match",
            400: "a parameter or body is not valid; `parameter` names it", 401: "no valid credentials",
            403: "not allowed for this user", 404: "no such thing (or not visible to you)",
            409: "a conflict: a list repeating a stored one (on_existing=replace|add), or a closed event",
            412: "changed since you read it (If-Match is stale)", 413: "upload larger than MAX_UPLOAD_MB",
            428: "If-Match is required", 503: "the database is busy, read-only or needs an upgrade"}

BBOX = _param("bbox", description="minlon,minlat,maxlon,maxlat (WGS 84)")
NEAR = r"^-?\d{1,3}(\.\d{1,8})?,-?\d{1,2}(\.\d{1,8})?$"
CITY = _param("city", description="5-digit city code such as 13214", pattern="^[0-9]{5,6}$")
LIMIT = _param("limit", type="integer", minimum=1, maximum=1000)
LON = _param("lon", required=True, type="number", minimum=-180, maximum=180)
LAT = _param("lat", required=True, type="number", minimum=-90, maximum=90)
RESOURCE_ID = _param("id", where="path", required=True, type="integer", minimum=1, maximum=2**31 - 1)


def _analysis_parameters() -> list[dict]:
    walking = [_param(name, type="number", minimum=lo, maximum=hi) for name, (lo, hi) in BOUNDS.items()]
    return [_param("kind", enum=KIND_ENUM), _param("area_kind", enum=list(AREA_KINDS)), CITY, *walking,
            _param("model", enum=["straight", "network"]), _param("measure", enum=list(MEASURES)),
            _param("hazard", enum=list(HAZARDS)), _param("units", enum=list(UNIT_TYPES)),
            _param("target", enum=list(TARGET_GROUPS)), _param("category", enum=list(CATEGORIES)),
            _param("add", description="what-if sites: lon,lat;lon,lat (at most 20)"),
            _param("remove", description="resource ids left out: 1,2,3"),
            _param("format", enum=["json", "csv", "geojson", "gpkg"]),
            _param("lang", enum=["en", "ja", "ja-easy"],
                   description="the language of data_limits (default English)")]


def _reads() -> dict:
    kinds = _param("kind", description="comma-separated resource kinds", enum=list(RESOURCE_KINDS))
    return {
        "/api/v1/datasets": {"get": {"summary": "every dataset with source and attribution",
                                     "responses": _answers("200")}},
        "/api/v1/layers": {"get": {"summary": "map layers with counts", "parameters": [CITY],
                                   "responses": _answers("200")}},
        "/api/v1/resources": {"get": {"summary": "resources as GeoJSON", "parameters": [
            kinds, BBOX, CITY, _param("q", maxLength=100), _param("hazard", enum=list(HAZARDS)), LIMIT,
            _param("offset", type="integer", minimum=0), _param("placed", enum=["0", "1"])],
            "responses": _answers("200")},
            "post": {"summary": "add a resource", "security": [{"token": []}],
                     "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                     "responses": _answers("201", 401, 403, 503)}},
        "/api/v1/areas": {"get": {"summary": "area polygons", "parameters": [
            _param("kind", enum=list(AREA_KINDS)), CITY, BBOX, _param("provenance", enum=list(PROVENANCES)),
            _param("limit", type="integer", minimum=1, maximum=2000)], "responses": _answers("200")}},
        "/api/v1/context": {"get": {"summary": "rivers, railways and stations in a box (our own base)",
                                    "parameters": [{**BBOX, "required": True}],
                                    "responses": _answers("200", 400)}},
        "/api/v1/areas/at": {"get": {"summary": "areas containing a point", "parameters": [LAT, LON],
                                     "responses": _answers("200")}},
        "/api/v1/nearest": {"get": {"summary": "nearest resources with walking minutes", "parameters": [
            LAT, LON, _param("kind", enum=KIND_ENUM), _param("n", type="integer", minimum=1, maximum=50),
            _param("pace", type="number", minimum=10, maximum=200), _param("hazard", enum=list(HAZARDS)),
            _param("minutes", type="number", minimum=1, maximum=180,
                   description="walking limit: farther places are not offered as near (default 30)"),
            _param("lang", enum=["en", "ja", "ja-easy"], description="the language of the risk sentences "
                   "(default English)")],
            "responses": _answers("200")}},
        "/api/v1/geocode": {"get": {"summary": "find an address, 町丁目, station or resource (offline)",
                                    "parameters": [_param("q", required=True, type="string", minLength=1,
                                                          maxLength=100),
                                                   _param("limit", type="integer", minimum=1, maximum=50),
                                                   _param("near", description="lon,lat: rank kinds of "
                                                          "place by distance from here", pattern=NEAR)],
                                    "responses": _answers("200")}},
        "/api/v1/responsible": {"get": {"summary": "the desks whose 担当区域 holds a point", "parameters": [
            LAT, LON, _param("kind", enum=KIND_ENUM)], "responses": _answers("200")}},
        "/api/v1/events": {"get": {"summary": "meetings of salons and hubs in the next days", "parameters": [
            CITY, _param("kind", enum=["salon", "hub", "drill"]), _param("target", enum=list(TARGET_GROUPS)),
            _param("days", type="integer", minimum=1, maximum=92)], "responses": _answers("200")}},
        "/api/v1/calendar.ics": {"get": {"summary": "the schedules as an iCalendar feed", "parameters": [
            CITY, _param("kind", enum=["salon", "hub", "drill"]), _param("target", enum=list(TARGET_GROUPS))],
            "responses": _answers("200", body="text/calendar")}},
        "/api/v1/statistics": {"get": {"summary": "figures published per city", "parameters": [
            CITY, _param("topic", enum=["shelter_capacity", "vacant_houses"])],
            "responses": _answers("200")}},
        "/api/v1/privacy/counts": {"get": {"summary": "restricted resources as counts per district",
                                           "parameters": [_param("kind", enum=list(RESOURCE_KINDS))],
                                           "responses": _answers("200")}},
    }


def _ogc() -> dict:
    """OGC API – Features: every path, with Part 2's CRS parameters (``outputs.crs``)."""
    fmt = _param("f", enum=["json", "html", "csv"], description="the answer's format (csv for items)")
    cid = _param("collectionId", where="path", required=True, description="a collection id from "
                 "/ogcapi/collections, e.g. shelter, school_district-official or event-1-sites")
    fid = _param("featureId", where="path", required=True, type="integer", minimum=1, maximum=2**31 - 1)
    crs_uri = _param("crs", enum=list(SUPPORTED), description="the CRS of the answer's coordinates")
    geo = "application/geo+json"
    items = [_param("limit", type="integer", minimum=1, maximum=1000), _param("offset", type="integer",
             minimum=0), _param("bbox", description="minx,miny,maxx,maxy in bbox-crs (CRS84 by default)"),
             _param("bbox-crs", enum=list(SUPPORTED)), crs_uri, fmt,
             _param("sortby", description="e.g. name,-capacity (places)"),
             _param("properties", description="comma-separated properties to keep"),
             _param("city_code", pattern="^[0-9]{5,6}$"), _param("name", maxLength=100),
             _param("hazard", enum=list(HAZARDS)),
             _param("filter", description="CQL2, e.g. name LIKE '%小学校%' AND capacity > 100 (places)"),
             _param("filter-lang", enum=["cql2-text", "cql2-json"]),
             _param("filter-crs", enum=[SUPPORTED[0]]),
             _param("datetime", description="meetings: 2026-12-10, an RFC 3339 time, or a/b with .. open")]
    return {
        "/ogcapi": {"get": {"summary": "OGC API landing page", "parameters": [fmt],
                            "responses": _answers("200")}},
        "/ogcapi/conformance": {"get": {"summary": "conformance classes", "parameters": [fmt],
                                        "responses": _answers("200")}},
        "/ogcapi/collections": {"get": {"summary": "the collections", "parameters": [fmt],
                                        "responses": _answers("200")}},
        "/ogcapi/collections/{collectionId}": {"get": {"summary": "one collection", "parameters": [cid, fmt],
                                                       "responses": _answers("200", 404)}},
        "/ogcapi/collections/{collectionId}/queryables": {"get": {
            "summary": "what a filter may name (JSON Schema)", "parameters": [cid],
            "responses": _answers("200", 404, body="application/schema+json")}},
        "/ogcapi/collections/{collectionId}/items": {"get": {
            "summary": "a collection's Features", "parameters": [cid, *items],
            "responses": _answers("200", 304, 404, body=geo)}},
        "/ogcapi/collections/meetings/items/{meetingId}": {"get": {
            "summary": "one meeting (a place's id and its time, e.g. 419-202612101700)",
            "parameters": [_param("meetingId", where="path", required=True,
                                  pattern="^[0-9]{1,10}-[0-9]{12}$"), fmt],
            "responses": _answers("200", 404, body=geo)}},
        "/ogcapi/collections/{collectionId}/items/{featureId}": {"get": {
            "summary": "one Feature", "parameters": [cid, fid, crs_uri, fmt,
                                                   _param("properties", description="properties to keep")],
            "responses": _answers("200", 304, 404, body=geo)}},
    }


def _writes() -> dict:
    match = _param("If-Match", where="header", description='the ETag of GET, e.g. "3"')
    return {
        "/api/v1/resources/{id}": {
            "get": {"summary": "one resource; its ETag is its version", "parameters": [RESOURCE_ID],
                    "responses": _answers("200", 404)},
            "patch": {"summary": "change fields or move", "parameters": [RESOURCE_ID, match],
                      "security": [{"token": []}],
                      "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                      "responses": _answers("200", 401, 403, 404, 412, 428, 503)},
            "delete": {"summary": "delete (an admin can undo)", "parameters": [RESOURCE_ID, match],
                       "security": [{"token": []}],
                       "responses": _answers("200", 401, 403, 404, 412, 428, 503)}},
        "/api/v1/import": {"post": {"summary": "import a list (all or nothing)", "security": [{"token": []}],
                                    "requestBody": {"content": {"multipart/form-data": {"schema": {
                                        "type": "object", "properties": {
                                            "file": {"type": "string", "contentMediaType": "text/csv"},
                                            "kind": {"type": "string"}, "city_code": {"type": "string"},
                                            "on_existing": {"type": "string",
                                                            "enum": ["replace", "add"]}}}}}},
                                    "responses": _answers("201", 400, 401, 403, 409, 413, 503)}},
    }


def _register() -> dict:
    kinds = ["chome", "school_district", "middle_school_district", "daily_living_area",
             "neighbourhood_association"]
    return {
        "/api/v1/persons": {"get": {"summary": "the registered people the caller may read (audited)",
                                    "security": [{"token": []}], "responses": _answers("200", 401, 503)}},
        "/api/v1/surveys/{id}": {"get": {"summary": "a survey's response rate and who know, per 町丁目",
                                         "parameters": [RESOURCE_ID], "responses": _answers("200", 404)}},
        "/api/v1/disaster-events": {"get": {"summary": "every disaster event (open and closed): name, city, "
                                                       "hazard, times", "responses": _answers("200")}},
        "/api/v1/events/{id}/sites": {"get": {
            "summary": "the sites of an event as the public sees them (ETag; no count below the threshold)",
            "parameters": [RESOURCE_ID, _param("format", enum=["json", "csv"])],
            "responses": {**_answers("200", 404), "304": {"description": "unchanged since the ETag sent"}}}},
        "/api/v1/events/{id}/sites/{site_id}": {"post": {
            "summary": "open, close or update a shelter in an event (coordinators of its city)",
            "security": [{"token": []}],
            "parameters": [RESOURCE_ID, {**RESOURCE_ID, "name": "site_id"}],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                "open": {"type": "boolean"}, "people": {"type": "integer", "minimum": 0},
                "capacity_day": {"type": "integer", "minimum": 0},
                "capacity_night": {"type": "integer", "minimum": 0},
                "state": {"type": "string", "enum": ["受入可", "混雑", "満員"]},
                "has": {"type": "array", "items": {"type": "string"}}}}}}},
            "responses": _answers("200", 400, 401, 403, 404, 409)}},
        "/api/v1/persons/counts": {"get": {"summary": "registered people per area, small counts hidden",
                                           "parameters": [_param("area_kind", enum=kinds)],
                                           "responses": _answers("200")}},
    }


def _analyses() -> dict:
    paths = {}
    for name, summary in (("coverage", "share of people within walking distance, per area"),
                          ("reach", "shelter and emergency-site reach, per area"),
                          ("suggest", "new sites that would add the most people"),
                          ("catchments", "declared catchments against walking")):
        parameters = _analysis_parameters()
        if name == "reach":
            parameters.append(_param("table", enum=["areas", "shelters"],
                                     description="the file's rows: areas (default) or shelters"))
        if name == "suggest":
            parameters += [_param("k", type="integer", minimum=1, maximum=20),
                           _param("candidates", description="candidate kinds, comma-separated")]
        paths[f"/api/v1/analysis/{name}"] = {"get": {"summary": summary, "parameters": parameters,
                                                     "responses": _answers("200")}}
    paths["/api/v1/export/{layer}.{format}"] = {"get": {
        "summary": "a public layer as a file", "parameters": [
            _param("layer", where="path", required=True, description="a resource kind, or KIND-PROVENANCE"),
            _param("format", where="path", required=True, enum=["csv", "geojson", "gpkg"]), CITY],
        "responses": _answers("200", body="application/octet-stream")}}
    return paths


def _tiles() -> dict:
    """OGC API – Tiles: the tiling scheme, each collection's tileset, and its vector tiles."""
    cid = _param("collectionId", where="path", required=True, description="a collection id, e.g. shelter")
    tms = _param("tileMatrixSetId", where="path", required=True, enum=["WebMercatorQuad"])
    f = _param("f", enum=["json"])
    cell = [_param(n, where="path", required=True, type="integer", minimum=0, maximum=2**31 - 1)
            for n in ("tileMatrix", "tileRow", "tileCol")]
    tiles = "/ogcapi/collections/{collectionId}/tiles"
    return {
        "/ogcapi/tileMatrixSets": {"get": {"summary": "the tiling schemes", "parameters": [f],
                                           "responses": _answers("200")}},
        "/ogcapi/tileMatrixSets/{tileMatrixSetId}": {"get": {
            "summary": "a tiling scheme (TMS 2.0)", "parameters": [tms, f],
            "responses": _answers("200", 404)}},
        tiles: {"get": {"summary": "a collection's tilesets", "parameters": [cid, f],
                        "responses": _answers("200", 404)}},
        tiles + "/{tileMatrixSetId}": {"get": {"summary": "a tileset's metadata", "parameters": [cid, tms, f],
                                               "responses": _answers("200", 404)}},
        tiles + "/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}": {"get": {
            "summary": "a Mapbox Vector Tile (204 when empty)", "parameters": [
                cid, tms, *cell, _param("f", enum=["mvt"]), _param("hazard", enum=list(HAZARDS))],
            "responses": {**_answers("200", 304, 404, body="application/vnd.mapbox-vector-tile"),
                          "204": {"description": "nothing in this tile"}}}},
    }


def document() -> dict:
    """The whole OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Fureai Map API", "version": "1",
                 "description": "Welfare resources, shelters, areas and analyses. Restricted data is "
                                "served only to coordinators of its city (session or bearer token)."},
        "paths": {**_reads(), **_writes(), **_register(), **_analyses(), **_ogc(), **_tiles()},
        "components": {
            "schemas": {"Error": {"type": "object", "required": ["error"], "properties": {
                "error": {"type": "string"}, "parameter": {"type": "string"}}}},
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                          "description": "fureai users token NAME prints one"}}},
    }


@bp.get("/api/v1/openapi.json")
def openapi_json():
    response = jsonify(document())
    response.mimetype = "application/json"
    return response
