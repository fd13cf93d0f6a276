"""JSON API (GeoJSON for features). Every bad parameter is a 400 with a reason."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from app.domain.kinds import HAZARDS
from app.domain.layers import PUBLIC_KINDS
from app.domain.risk import NEAR_MINUTES
from app.domain.said import in_language
from app.domain.walking import DEFAULT_PACE, WalkingModel
from app.outputs import tables
from app.services import catalogue, stored
from app.services.catalogue import resource_feature
from app.services.directory import DESK_KIND, responsible
from app.services.nearby import near_answer
from app.services.places import find_places
from app.web import params
from app.web.access import visible_cities
from app.web.i18n import LANGUAGES, plain_strings
from app.web.params import BadParameter

bp = Blueprint("api", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok", **stored.health()})


@bp.get("/api/v1/datasets")
def datasets():
    return jsonify({"datasets": [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in d.items() if k != "id"}
        for d in stored.datasets()]})


@bp.get("/api/v1/layers")
def layers():
    """The public layers: places of each public kind, then areas of each kind and provenance."""
    found = catalogue.layers(city=params.city(request.args))
    ja, en = plain_strings("ja"), plain_strings("en")
    return jsonify({"layers": [_layer_json(layer, ja, en) for layer in found]})


def _layer_json(layer: catalogue.Layer, ja: dict, en: dict) -> dict:
    described = {"id": layer.id, "type": "area" if layer.ref.is_area else "resource", "kind": layer.ref.kind,
                 "count": layer.count, "attribution": list(layer.attribution)}
    if not layer.ref.is_area:
        return {**described, "label_ja": layer.label_ja, "label_en": layer.label_en,
                "attribution": sorted(layer.attribution), "available": layer.count > 0}
    suffix = f"provenance_{layer.ref.provenance}"
    return {**described, "provenance": layer.ref.provenance, "label_ja": layer.label_ja + ja.get(suffix, ""),
            "label_en": layer.label_en + en.get(suffix, "")}


@bp.get("/api/v1/resources")
def resources():
    args = request.args
    limit_cap = current_app.config["API_MAX_LIMIT"]
    visible = visible_cities()
    filters = {
        "kinds": params.kinds(args) or list(PUBLIC_KINDS),
        "bbox": params.bbox(args), "city": params.city(args), "q": params.text(args, "q"),
        "hazard": params.hazard(args), "placed_only": args.get("placed", "1") != "0",
        "restricted_cities": visible,
    }
    if any(k not in PUBLIC_KINDS for k in filters["kinds"]) and not visible:
        raise BadParameter("kind", "restricted layers are not public")
    limit = params.integer(args, "limit", default=current_app.config["API_DEFAULT_LIMIT"],
                           lo=1, hi=limit_cap)
    offset = params.integer(args, "offset", default=0, lo=0, hi=10_000_000)
    page = catalogue.place_page(limit=limit, offset=offset, **filters)
    return jsonify({"type": "FeatureCollection", "numberMatched": page.matched,
                    "numberReturned": len(page.features), "features": page.features})


@bp.get("/api/v1/areas")
def areas():
    args = request.args
    page = catalogue.area_page(kind=params.area_kind(args), city=params.city(args), bbox=params.bbox(args),
                               provenance=params.provenance(args),
                               limit=params.integer(args, "limit", default=500, lo=1, hi=2000))
    return jsonify({"type": "FeatureCollection", "numberReturned": len(page.features),
                    "features": page.features})


@bp.get("/api/v1/context")
def context():
    """Rivers, railways and stations in ``bbox``: what a map draws itself when its tiles fail."""
    bbox = params.bbox(request.args)
    if bbox is None:
        raise BadParameter("bbox", "required: minlon,minlat,maxlon,maxlat of the view")
    return jsonify(catalogue.context_collection(bbox))


def _lonlat(args) -> tuple[float, float]:
    return (params.required_number(args, "lon", lo=-180, hi=180),
            params.required_number(args, "lat", lo=-90, hi=90))


@bp.get("/api/v1/areas/at")
def areas_at():
    lon, lat = _lonlat(request.args)
    rows = stored.areas_at(lon, lat)
    return jsonify({"lon": lon, "lat": lat, "areas": rows})


@bp.get("/api/v1/nearest")
def nearest_resources():
    args = request.args
    lon, lat = _lonlat(args)
    kinds = params.kinds(args) or ["salon"]
    if any(k not in PUBLIC_KINDS for k in kinds):
        raise BadParameter("kind", "restricted layers are not public")
    n = params.integer(args, "n", default=5, lo=1, hi=50)
    model = WalkingModel(pace_m_per_min=params.walking(args, "pace", default=DEFAULT_PACE))
    hazard = params.hazard(args)
    minutes = params.number(args, "minutes", lo=1, hi=180, default=NEAR_MINUTES)
    lang = params.choice(args, "lang", LANGUAGES) or "en"
    answer = near_answer(lon, lat, n, model, kinds=kinds, hazard=hazard, minutes=minutes)
    return jsonify({"origin": {"lon": lon, "lat": lat}, "walking": model.describe(),
                    "risks": [{"hazard": r.hazard, "inside": r.inside, "source": r.source,
                               "text": in_language(r.sentence, lang)} for r in answer["risks"]],
                    "results": [_walked(r) for r in answer["results"]],
                    "beyond": _walked(answer["beyond"]) if answer["beyond"] else None,
                    "note": answer["note"], "limit_minutes": minutes, "hazard": hazard,
                    "hazards_known": list(HAZARDS)})


def _walked(row: dict) -> dict:
    return {**resource_feature(row), "distance_m": row["distance_m"], "walk_m": row["walk_m"],
            "walk_minutes": row["walk_minutes"]}


@bp.get("/api/v1/statistics")
def statistics():
    """Figures published per city (shelter capacity totals, vacant-house survey totals)."""
    topic = params.choice(request.args, "topic", ("shelter_capacity", "vacant_houses"))
    rows = stored.city_statistics(city=params.city(request.args), topic=topic)
    shown = [{k: v for k, v in r.items() if k not in ("id", "dataset_id")} for r in rows]
    return jsonify({"statistics": shown})


@bp.get("/api/v1/responsible")
def responsible_desks():
    """The desks whose 担当区域 holds the point (``kind``: consultation_desk by default)."""
    lon, lat = _lonlat(request.args)
    kind = params.choice(request.args, "kind", PUBLIC_KINDS) or DESK_KIND
    found = responsible(lon, lat, kind)
    return jsonify({"lon": lon, "lat": lat, "kind": kind, "city_code": found["city_code"],
                    "note": found["note"], "desks": [resource_feature(r) for r in found["desks"]]})


@bp.get("/api/v1/geocode")
def geocode():
    """A place a resident types: address or 町丁目, station, or resource name (offline)."""
    q = params.text(request.args, "q")
    if q is None:
        raise BadParameter("q", "required: an address (西町4-12-3), a 町丁目, a station or a name")
    limit = params.integer(request.args, "limit", default=10, lo=1, hi=50)
    near = params.point(request.args, "near")
    found = find_places(q, limit=limit, visible_cities=visible_cities(),
                        near=near)
    for place in found:
        if "row" in place:  # a resource comes with its Feature, for the map's popup
            place["feature"] = resource_feature(place.pop("row"))
    return jsonify({"query": q, "results": found})


@bp.get("/api/v1/export/<layer>.<fmt>")
def export_layer(layer: str, fmt: str):
    """A public layer as CSV (UTF-8 with BOM), GeoJSON or GeoPackage, with its attribution."""
    if fmt not in tables.FORMATS:
        raise BadParameter("format", f"unknown format {fmt!r}; use {', '.join(tables.FORMATS)}")
    try:
        body, _ = tables.layer_bytes(layer, fmt, city=params.city(request.args))
    except catalogue.UnknownLayer as exc:
        raise BadParameter("layer", str(exc)) from None
    return current_app.response_class(body, mimetype=tables.FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="fureai_{layer}.{fmt}"'})
