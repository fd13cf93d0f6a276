"""JSON API (GeoJSON for features). Every bad parameter is a 400 with a reason."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from app.domain.kinds import AREA_KINDS, HAZARDS, RESOURCE_KINDS
from app.domain.risk import NEAR_MINUTES
from app.domain.walking import DEFAULT_PACE, WalkingModel
from app.outputs import tables
from app.services import exports, get_geocoder, get_repository, programmes
from app.services.directory import DESK_KIND, responsible
from app.services.nearby import near_answer
from app.services.places import find_places
from app.web import params
from app.web.access import PUBLIC_KINDS, visible_cities
from app.web.features import area_feature, resource_feature
from app.web.i18n import plain_strings
from app.web.params import BadParameter

bp = Blueprint("api", __name__)


@bp.get("/healthz")
def healthz():
    repo = get_repository()
    return jsonify({"status": "ok", "database": repo.dialect.name, "datasets": repo.dataset_count()})


@bp.get("/api/v1/datasets")
def datasets():
    return jsonify({"datasets": [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in d.items() if k != "id"}
        for d in get_repository().datasets()]})


@bp.get("/api/v1/layers")
def layers():
    repo = get_repository()
    counts = repo.layer_counts(city=params.city(request.args))
    attributions, area_credits = repo.attributions(), repo.area_attributions()
    resource_layers = [{
        "id": key, "type": "resource", "kind": key, "label_ja": kind.label_ja,
        "label_en": kind.label_en, "count": counts["resources"].get(key, 0),
        "attribution": sorted(attributions.get(key, ())),
        "available": counts["resources"].get(key, 0) > 0,
    } for key, kind in RESOURCE_KINDS.items() if kind.public]
    ja, en = plain_strings("ja"), plain_strings("en")
    area_layers = [{
        "id": f"{kind}:{provenance}", "type": "area", "kind": kind, "provenance": provenance,
        "label_ja": AREA_KINDS[kind].label_ja + ja.get(f"provenance_{provenance}", ""),
        "label_en": AREA_KINDS[kind].label_en + en.get(f"provenance_{provenance}", ""),
        "count": count, "attribution": area_credits.get((kind, provenance), []),
    } for kind, provenance, count in counts["areas"] if kind in AREA_KINDS]
    return jsonify({"layers": resource_layers + area_layers})


@bp.get("/api/v1/resources")
def resources():
    args = request.args
    limit_cap = current_app.config["API_MAX_LIMIT"]
    visible = visible_cities()
    filters = {
        "kinds": params.kinds(args) or PUBLIC_KINDS,
        "bbox": params.bbox(args), "city": params.city(args), "q": params.text(args, "q"),
        "hazard": params.hazard(args), "placed_only": args.get("placed", "1") != "0",
        "restricted_cities": visible,
    }
    if any(k not in PUBLIC_KINDS for k in filters["kinds"]) and not visible:
        raise BadParameter("kind", "restricted layers are not public")
    limit = params.integer(args, "limit", default=current_app.config["API_DEFAULT_LIMIT"],
                           lo=1, hi=limit_cap)
    offset = params.integer(args, "offset", default=0, lo=0, hi=10_000_000)
    repo = get_repository()
    rows = programmes.attach(repo, repo.find_resources(limit=limit, offset=offset, **filters))
    # A page that is not full already tells the total; count only when there may be more.
    matched = offset + len(rows) if len(rows) < limit and (rows or offset == 0) else \
        repo.count_resources(**filters)
    return jsonify({"type": "FeatureCollection", "numberMatched": matched,
                    "numberReturned": len(rows), "features": [resource_feature(r) for r in rows]})


@bp.get("/api/v1/areas")
def areas():
    args = request.args
    rows = get_repository().find_areas(kind=params.area_kind(args), city=params.city(args),
                              bbox=params.bbox(args), provenance=params.provenance(args),
                              limit=params.integer(args, "limit", default=500, lo=1, hi=2000))
    return jsonify({"type": "FeatureCollection", "numberReturned": len(rows),
                    "features": [area_feature(r) for r in rows]})


def _lonlat(args) -> tuple[float, float]:
    return (params.required_number(args, "lon", lo=-180, hi=180),
            params.required_number(args, "lat", lo=-90, hi=90))


@bp.get("/api/v1/areas/at")
def areas_at():
    lon, lat = _lonlat(request.args)
    rows = get_repository().areas_at(lon, lat)
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
    answer = near_answer(get_repository(), lon, lat, n, model, kinds=kinds, hazard=hazard, minutes=minutes)
    return jsonify({"origin": {"lon": lon, "lat": lat}, "walking": model.describe(),
                    "risks": [{"hazard": r.hazard, "inside": r.inside, "text": r.sentence, "source": r.source}
                              for r in answer["risks"]],
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
    rows = get_repository().city_statistics(city=params.city(request.args), topic=topic)
    shown = [{k: v for k, v in r.items() if k not in ("id", "dataset_id")} for r in rows]
    return jsonify({"statistics": shown})


@bp.get("/api/v1/responsible")
def responsible_desks():
    """The desks whose 担当区域 holds the point (``kind``: consultation_desk by default)."""
    lon, lat = _lonlat(request.args)
    kind = params.choice(request.args, "kind", PUBLIC_KINDS) or DESK_KIND
    found = responsible(get_repository(), lon, lat, kind)
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
    found = find_places(get_repository(), get_geocoder(), q, limit=limit, visible_cities=visible_cities(),
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
        body, _ = tables.layer_bytes(get_repository(), layer, fmt, city=params.city(request.args))
    except exports.UnknownLayer as exc:
        raise BadParameter("layer", str(exc)) from None
    return current_app.response_class(body, mimetype=tables.FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="fureai_{layer}.{fmt}"'})
