"""OGC API – Features, Part 1 (Core, GeoJSON, HTML) over the public layers."""

from __future__ import annotations

import re

import pandas as pd
from flask import Blueprint, abort, current_app, jsonify, request
from shapely.geometry import shape

from app.outputs import crs
from app.outputs.tables import csv_bytes
from app.services import catalogue, day_catalogue, kept
from app.services.errors import FilterRefused
from app.web import ogc_meetings, ogc_params, ogc_tiles, params
from app.web.access import visible_cities
from app.web.ogc_common import layer_info, link, respond, wants_html
from app.web.openapi import MEDIA
from app.web.params import BadParameter

bp = Blueprint("ogcapi", __name__, url_prefix="/ogcapi")

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    *(f"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/{c}"
      for c in ("queryables", "queryables-query-parameters", "filter", "features-filter")),
    *(f"http://www.opengis.net/spec/cql2/1.0/conf/{c}"
      for c in ("cql2-text", "cql2-json", "basic-cql2", "advanced-comparison-operators",
                "basic-spatial-functions", "basic-spatial-functions-plus", "spatial-functions")),
    *ogc_tiles.CONFORMANCE,
]
# Parameters of every places or areas collection, beside its filters.
OGC_ARGS = ("limit", "offset", "bbox", "bbox-crs", "crs", "f", "sortby", "properties", "filter",
            "filter-lang", "filter-crs")
DEFAULT_LIMIT, MAX_LIMIT = 10, 1000
RESOURCE_FILTERS = ("city_code", "name", "hazard")
AREA_FILTERS = ("city_code",)
MEETINGS = ogc_meetings.catalogue.COLLECTION_ID
STATUS_ID = re.compile(r"event-([1-9][0-9]{0,8})-sites")  # day_catalogue.status_collection_id


def collections() -> list[catalogue.Layer]:
    """The collections the caller may read that hold any.

    Public kinds of place and areas; for a coordinator (session or bearer token), also the
    restricted kinds of their own cities.
    """
    return [layer for layer in catalogue.layers(restricted_cities=visible_cities()) if layer.count]


def _collection_body(layer: catalogue.Layer) -> dict:
    # A restricted kind's extent over every city would draw where other cities' vacant houses are.
    bbox = catalogue.extent(layer) if layer.public else None
    cid = layer.id
    return {"id": cid, "title": _title(layer, "label_ja"), "description": _title(layer, "label_en"),
            "itemType": "feature", "crs": list(crs.SUPPORTED), "storageCrs": crs.STORAGE_CRS,
            "extent": {"spatial": {"bbox": [bbox] if bbox else [], "crs": crs.CRS84}},
            "links": _collection_links(cid, layer=True)}


def _collection_links(cid: str, layer: bool = False) -> list[dict]:
    """A collection's links: items (GeoJSON, HTML), a layer's queryables and vector tiles, itself."""
    return [link("ogcapi.items", "items", "application/geo+json", "items", cid=cid),
            link("ogcapi.items", "items", "text/html", "items (HTML)", cid=cid, f="html"),
            *([link("ogcapi.queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                    "application/schema+json", "queryables", cid=cid),
               link("ogc_tiles.tilesets", ogc_tiles.TILESETS_REL, "application/json", "vector tiles",
                    cid=cid)] if layer else []),
            link("ogcapi.collection", "self", "application/json", cid=cid)]


def _titles(layer: catalogue.Layer) -> dict:
    return {"title": _title(layer, "label_ja"), "description": _title(layer, "label_en")}


def _title(layer: catalogue.Layer, label: str) -> str:
    text = getattr(layer, label)
    return f"{text} ({layer.ref.provenance})" if layer.ref.is_area else text


@bp.get("")
@bp.get("/")
def landing():
    body = {"title": "Fureai Map — OGC API Features",
            "description": "福祉資源・避難所・区域 / welfare resources, shelters and areas",
            "links": [link("ogcapi.landing", "self", "application/json"),
                      link("ogcapi.landing", "alternate", "text/html", f="html"),
                      link("ogcapi.conformance", "conformance", "application/json"),
                      link("ogc_tiles.matrix_sets", "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes",
                           "application/json", "tiling schemes"),
                      link("openapi.openapi_json", "service-desc", MEDIA, "API definition (OpenAPI 3.1)"),
                      link("ogcapi.collections_list", "data", "application/json")]}
    return respond(body, "ogc_landing.html")


@bp.get("/conformance")
def conformance():
    return respond({"conformsTo": CONFORMANCE}, "ogc_landing.html")


@bp.get("/collections")
def collections_list():
    body = {"collections": [*(_collection_body(layer) for layer in collections()), ogc_meetings.body(),
                            *(_status_body(c) for c in day_catalogue.status_collections())],
            "links": [link("ogcapi.collections_list", "self", "application/json")]}
    return respond(body, "ogc_collections.html")


def _status_body(found: dict) -> dict:
    cid = found["id"]
    return {"id": cid, "title": found["title"], "description": found["description"], "itemType": "feature",
            "crs": [crs.CRS84], "links": _collection_links(cid)}


def _status_info(cid: str) -> dict | None:
    """The status collection ``cid`` names (any event, open or closed), None for a layer's id."""
    found = STATUS_ID.fullmatch(cid)
    if found is None:
        return None
    status = day_catalogue.status_collection(int(found.group(1)))
    if status is None:
        abort(404)
    return status


def _status_items(found: dict, fid: int | None = None):
    """An event's sites as Features; ``ETag`` and 304 as ``/api/v1/events/<id>/sites`` (polled)."""
    args = request.args
    limit = params.integer(args, "limit", default=DEFAULT_LIMIT, lo=1, hi=MAX_LIMIT)
    offset = params.integer(args, "offset", default=0, lo=0, hi=10_000_000)
    unknown = [k for k in args if k not in ("limit", "offset", "f")]
    if unknown:
        raise BadParameter(unknown[0], "not a parameter of this collection; use limit and offset")
    html = wants_html()
    held = re.findall(r'"ogc\.([^"]+)"', request.headers.get("If-None-Match", "")) if not html else []
    page, version = day_catalogue.status_page(found["event_id"], current_app.config["PRIVACY_THRESHOLD"],
                                          limit=1 if fid else limit, offset=0 if fid else offset,
                                          ids=[fid] if fid else None, known=held[0] if held else None)
    headers = {"ETag": f'"ogc.{version}"', "Cache-Control": "no-cache"}
    if page is None:
        return "", 304, headers
    info, cid = {"title": found["title"], "description": found["description"]}, found["id"]
    if fid is not None:
        if not page.features:
            abort(404)
        return respond(page.features[0], "ogc_items.html", "application/geo+json", cid=cid, info=info,
                        single=True), 200, headers
    body = {"type": "FeatureCollection", "features": page.features, "numberMatched": page.matched,
            "numberReturned": len(page.features),
            "links": [link("ogcapi.items", "self", "application/geo+json", cid=cid, offset=offset,
                            limit=limit)]}
    return respond(body, "ogc_items.html", "application/geo+json", cid=cid, info=info), 200, headers


@bp.get("/collections/<cid>")
def collection(cid):
    if cid == MEETINGS:
        return respond(ogc_meetings.body(), "ogc_collections.html", single=True)
    status = _status_info(cid)
    if status is not None:
        return respond(_status_body(status), "ogc_collections.html", single=True)
    return respond(_collection_body(layer_info(cid)), "ogc_collections.html", single=True)


def _query(layer: catalogue.Layer, limit: int, offset: int, bbox, filters: dict, ids=None,
           sort=None, cql=None) -> catalogue.Page:
    by_place = {"cql": cql} if layer.ref.is_area else {
        "name": filters.get("name"), "hazard": filters.get("hazard"), "sort": sort, "cql": cql,
        "restricted_cities": visible_cities()}
    try:
        return catalogue.layer_page(layer, limit=limit, offset=offset, flat=True, ids=ids, bbox=bbox,
                                    city=filters.get("city_code"), **by_place)
    except FilterRefused as exc:
        raise BadParameter("filter", str(exc)) from None


@bp.get("/collections/<cid>/queryables")
def queryables(cid):
    """What a filter may name in the collection, as a JSON Schema (Part 3)."""
    if cid == MEETINGS:
        title, properties = ogc_meetings.TITLE["title"], ogc_meetings.queryables()
    else:
        info = layer_info(cid)
        title = _title(info, "label_ja")
        properties = {n: ({"format": "geometry-point"} if kind == "geometry" else {"type": kind})
                      for n, kind in catalogue.queryables(info).items()}
    body = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
            "$id": link("ogcapi.queryables", "self", "application/schema+json", cid=cid)["href"],
            "title": title, "additionalProperties": False, "properties": properties}
    response = jsonify(body)
    response.mimetype = "application/schema+json"
    return response


@bp.get("/collections/<cid>/items")
def items(cid):
    if cid == MEETINGS:
        return ogc_meetings.items()
    status = _status_info(cid)
    if status is not None:
        return _status_items(status)
    info = layer_info(cid)
    target = ogc_params.crs_of(request.args)
    if wants_html() or request.args.get("f") == "csv":
        body = _layer_items(info, cid, target)
        if request.args.get("f") == "csv":
            return _csv(body["features"], cid, target)
        response = respond(body, "ogc_items.html", "application/geo+json", cid=cid, info=_titles(info))
        return response, 200, {"Content-Crs": f"<{target}>"}
    # The same page asked again (a city's whole view, opened by every resident) is built once per
    # data version; the viewer's scope is part of the key, so no one is given another's answer.
    key = ("ogc-items", request.full_path, visible_cities(), current_app.config["PUBLIC_URL"])
    etag, data = kept.kept_answer(
        key, lambda: current_app.json.dumps(_layer_items(info, cid, target)).encode())
    headers = {"Content-Crs": f"<{target}>", "ETag": f'"items.{etag}"'}
    if f'"items.{etag}"' in request.headers.get("If-None-Match", ""):
        return "", 304, headers
    return current_app.response_class(data, mimetype="application/geo+json", headers=headers)


def _layer_items(info: catalogue.Layer, cid: str, target: str) -> dict:
    """A page of a layer's items as the request asks (filters, sorting, CRS, properties), with its links."""
    args = request.args
    limit = params.integer(args, "limit", default=DEFAULT_LIMIT, lo=1, hi=MAX_LIMIT)
    offset = params.integer(args, "offset", default=0, lo=0, hi=10_000_000)
    allowed = AREA_FILTERS if info.ref.is_area else RESOURCE_FILTERS
    names = catalogue.queryables(info)
    unknown = [k for k in args if k not in (*OGC_ARGS, *allowed, *names)]
    if unknown:
        raise BadParameter(unknown[0], f"not a parameter of this collection; use {', '.join(allowed)} "
                                       f"or {', '.join(OGC_ARGS)}")
    filters = {k: args[k] for k in allowed if args.get(k)}
    if "hazard" in filters:
        params.hazard(args)
    sort = ogc_params.sort_of(args)
    if sort and info.ref.is_area:
        raise BadParameter("sortby", "areas come sorted by name; sortby is offered for places")
    cql = ogc_params.filter_of(args, names, skip=allowed)
    kept_names = ogc_params.properties_of(args)
    page = _query(info, limit, offset, ogc_params.bbox_of(args), filters, sort=sort, cql=cql)
    features = [ogc_params.keep_properties(crs.feature_in(f, target), kept_names) for f in page.features]
    return {"type": "FeatureCollection", "features": features, "numberMatched": page.matched,
            "numberReturned": len(features), "links": _page_links(cid, offset, limit, len(features),
                                                                  page.matched)}


def _page_links(cid: str, offset: int, limit: int, returned: int, matched: int) -> list[dict]:
    query = {k: v for k, v in request.args.items() if k not in ("offset", "f")}
    links = [link("ogcapi.items", "self", "application/geo+json", cid=cid, offset=offset, **query),
             link("ogcapi.items", "alternate", "text/html", cid=cid, offset=offset, f="html", **query)]
    if offset + returned < matched:
        links.append(link("ogcapi.items", "next", "application/geo+json", cid=cid,
                          offset=offset + limit, **query))
    if offset > 0:
        links.append(link("ogcapi.items", "prev", "application/geo+json", cid=cid,
                          offset=max(0, offset - limit), **query))
    return links


def _csv(features: list[dict], cid: str, target: str):
    """A page of Features as CSV: the id, each property, and the geometry as WKT (``wkt``) in ``target``."""
    rows = [{"id": f["id"], **f["properties"],
             "wkt": shape(f["geometry"]).wkt if f.get("geometry") else ""} for f in features]
    return current_app.response_class(csv_bytes(pd.DataFrame(rows)), mimetype="text/csv", headers={
        "Content-Crs": f"<{target}>", "Content-Disposition": f'attachment; filename="{cid}.csv"'})


@bp.get("/collections/meetings/items/<mid>")
def meeting(mid):
    """One meeting (its id is no number: a place and a time)."""
    return ogc_meetings.item(mid)


@bp.get("/collections/<cid>/items/<rid:fid>")
def item(cid, fid):
    status = _status_info(cid)
    if status is not None:
        return _status_items(status, fid)
    info = layer_info(cid)
    unknown = [k for k in request.args if k not in ("crs", "f", "properties")]
    if unknown:
        raise BadParameter(unknown[0], "not a parameter of a single Feature; use crs, f or properties")
    target = ogc_params.crs_of(request.args)
    features = _query(info, 1, 0, None, {}, ids=[fid]).features
    if not features:
        abort(404)
    feature = ogc_params.keep_properties(crs.feature_in(features[0], target),
                                         ogc_params.properties_of(request.args))
    feature["links"] = [link("ogcapi.item", "self", "application/geo+json", cid=cid, fid=fid),
                        link("ogcapi.collection", "collection", "application/json", cid=cid)]
    response = respond(feature, "ogc_items.html", "application/geo+json", cid=cid, info=_titles(info),
                        single=True)
    return response, 200, {"Content-Crs": f"<{target}>"}
