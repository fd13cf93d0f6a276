"""OGC API – Tiles: Mapbox Vector Tiles of every published layer, in WebMercatorQuad.

``/tileMatrixSets`` describes the one tiling scheme; each collection lists its tileset and
describes it (zooms served, the layer inside, its properties); a tile answers MVT with an ETag
(304 when held), 204 when the tile holds nothing, 404 outside the zooms served. A restricted
collection is tiled for those who may read it and no one else learns it exists (404).
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, jsonify, request

from app.domain import tiles as tiling
from app.services import tiles
from app.web import params
from app.web.access import visible_cities
from app.web.ogc_common import layer_info, link, respond
from app.web.params import BadParameter

bp = Blueprint("ogc_tiles", __name__, url_prefix="/ogcapi")

MVT = "application/vnd.mapbox-vector-tile"
TMS_URI = f"http://www.opengis.net/def/tilematrixset/OGC/1.0/{tiling.MATRIX_SET}"
MERCATOR = "http://www.opengis.net/def/crs/EPSG/0/3857"
HALF_WORLD = 20037508.342789244  # metres from the origin to WebMercatorQuad's edge
CONFORMANCE = [f"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/{c}"
               for c in ("core", "tileset", "tilesets-list", "geodata-tilesets", "oas30", "mvt")]
TILESETS_REL = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
SCHEME_REL = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"


def _no_arguments(*allowed: str) -> None:
    unknown = [k for k in request.args if k not in allowed]
    if unknown:
        raise BadParameter(unknown[0], f"not a parameter here; use {' or '.join(allowed) or 'none'}")


@bp.get("/tileMatrixSets")
def matrix_sets():
    """The tiling schemes offered: WebMercatorQuad alone."""
    _no_arguments("f")
    entry = {"id": tiling.MATRIX_SET, "title": "Google Maps Compatible for the World", "uri": TMS_URI,
             "links": [link("ogc_tiles.matrix_set", "self", "application/json", tiling.MATRIX_SET,
                            tms=tiling.MATRIX_SET)]}
    return respond({"tileMatrixSets": [entry]}, "ogc_landing.html")


@bp.get("/tileMatrixSets/<tms>")
def matrix_set(tms):
    """The tile matrix set's definition (OGC Two Dimensional Tile Matrix Set 2.0, JSON)."""
    _no_arguments("f")
    if tms != tiling.MATRIX_SET:
        abort(404)
    return jsonify(_described())


def _described() -> dict:
    """TMS 2.0 as the standard writes it, with the 1.0 names beside (GDAL before 3.7 reads only those)."""
    body = tiling.matrix_set().model_dump(mode="json", exclude_none=True)
    world = {"type": "BoundingBoxType", "crs": MERCATOR, "lowerCorner": [-HALF_WORLD, -HALF_WORLD],
             "upperCorner": [HALF_WORLD, HALF_WORLD]}
    body.update(type="TileMatrixSetType", identifier=body["id"], supportedCRS=MERCATOR, boundingBox=world)
    for matrix in body["tileMatrices"]:
        matrix.update(identifier=matrix["id"], topLeftCorner=matrix["pointOfOrigin"])
    return body


@bp.get("/collections/<cid>/tiles")
def tilesets(cid):
    """The collection's tilesets: one, vector, in WebMercatorQuad."""
    _no_arguments("f")
    info = layer_info(cid)
    return respond({"tilesets": [_tileset_summary(info.id)], "links": [
        link("ogc_tiles.tilesets", "self", "application/json", cid=cid)]}, "ogc_landing.html")


def _tileset_summary(cid: str) -> dict:
    template = link("ogc_tiles.tileset", "item", MVT, "tiles", cid=cid, tms=tiling.MATRIX_SET)
    # A URI template, its variables as the standard spells them: url_for would escape the braces.
    template["href"] += "/{tileMatrix}/{tileRow}/{tileCol}"
    template["templated"] = True
    return {"title": cid, "dataType": "vector", "crs": MERCATOR, "tileMatrixSetURI": TMS_URI,
            "links": [link("ogc_tiles.tileset", "self", "application/json", cid=cid, tms=tiling.MATRIX_SET),
                      link("ogc_tiles.matrix_set", SCHEME_REL, "application/json", tms=tiling.MATRIX_SET),
                      template]}


@bp.get("/collections/<cid>/tiles/<tms>")
def tileset(cid, tms):
    """A tileset's metadata: the zooms served and the one layer inside, with its properties."""
    _no_arguments("f")
    info = layer_info(cid)
    if tms != tiling.MATRIX_SET:
        abort(404)
    fields = tiling.AREA_PROPERTIES if info.ref.is_area else tiling.PLACE_PROPERTIES
    layer = {"id": cid, "title": info.label_ja, "dataType": "vector",
             "geometryDimension": 2 if info.ref.is_area else 0,
             "minTileMatrix": str(tiling.MIN_ZOOM), "maxTileMatrix": str(tiling.MAX_ZOOM),
             "propertiesSchema": {"type": "object",
                                  "properties": {k: {"type": "string"} for k in fields}}}
    body = {**_tileset_summary(cid), "title": info.label_ja, "description": info.label_en,
            "tileMatrixSetLimits": tiling.limits(), "layers": [layer]}
    return respond(body, "ogc_landing.html")


@bp.get("/collections/<cid>/tiles/<tms>/<int:zoom>/<int:row>/<int:col>")
def tile(cid, tms, zoom, row, col):
    """One Mapbox Vector Tile; 304 for the ETag held, 204 when nothing is in it.

    ``hazard`` keeps the places designated for it (places only), as on items.
    """
    _no_arguments("f", "hazard")
    if request.args.get("f", "mvt") != "mvt":
        raise BadParameter("f", "tiles are Mapbox Vector Tiles only; use f=mvt or leave f out")
    info = layer_info(cid)
    if tms != tiling.MATRIX_SET:
        abort(404)
    hazard = params.hazard(request.args) if request.args.get("hazard") else None
    if hazard and info.ref.is_area:
        raise BadParameter("hazard", "areas are not designated for hazards; hazard is offered for places")
    held = tuple(re.findall(r'"(mvt\.[0-9a-f]+)"', request.headers.get("If-None-Match", "")))
    try:
        answer = tiles.layer_tile(info, zoom, row, col, restricted_cities=visible_cities(), hazard=hazard,
                                  held=held)
    except tiles.NoSuchTile:
        abort(404)
    headers = {"ETag": f'"{answer.etag}"',
               "Cache-Control": "private, no-cache" if answer.private else "public, no-cache"}
    if answer.body is None:
        return "", 304, headers
    if not answer.body:
        return "", 204, headers
    return current_app.response_class(answer.body, mimetype=MVT, headers=headers)
