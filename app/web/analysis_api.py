"""Analysis endpoints: coverage, reach and site suggestions (JSON)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from app.domain.demand import MEASURES
from app.domain.layers import PUBLIC_KINDS
from app.domain.said import in_language
from app.domain.targets import CATEGORIES, TARGET_GROUPS
from app.domain.walking import DEFAULT_DETOUR, DEFAULT_PACE
from app.outputs import tables
from app.services import coverage as coverage_use
from app.services import reach as reach_use
from app.services import stored, suggestions
from app.services.analysis import UNIT_TYPES, Query
from app.services.catchment_fit import catchment_fit
from app.web import params
from app.web.access import visible_cities
from app.web.i18n import LANGUAGES
from app.web.params import BadParameter

bp = Blueprint("analysis_api", __name__, url_prefix="/api/v1/analysis")


def _points(args, name: str) -> tuple[tuple[float, float], ...]:
    raw = args.get(name) or ""
    points = []
    for part in filter(None, raw.split(";")):
        values = part.split(",")
        if len(values) != 2 or not all(params.DECIMAL.match(v.strip()) for v in values):
            raise BadParameter(name, f"{part[:40]!r} is not lon,lat")
        lon, lat = (float(v) for v in values)
        if not (122 <= lon <= 154 and 20 <= lat <= 46):
            raise BadParameter(name, f"{part!r} is not a point in Japan (lon,lat)")
        points.append((lon, lat))
    if len(points) > 20:
        raise BadParameter(name, "at most 20 points")
    return tuple(points)


def _ids(args, name: str) -> tuple[int, ...]:
    raw = args.get(name) or ""
    parts = [p for p in raw.split(",") if p]
    if not all(p.isascii() and p.isdigit() and len(p) < 10 for p in parts):
        raise BadParameter(name, "expected comma-separated resource ids")
    return tuple(int(p) for p in parts[:200])


def query_from(args) -> Query:
    """A validated analysis query from request arguments."""
    kinds = params.kinds(args) or ["salon"]
    if len(kinds) != 1 or kinds[0] not in PUBLIC_KINDS:
        raise BadParameter("kind", "give one public resource kind")
    minutes = params.walking(args, "minutes")
    metres = params.walking(args, "metres")
    if minutes is not None and metres is not None:
        raise BadParameter("metres", "give minutes or metres, not both")
    model = params.choice(args, "model", ("straight", "network")) or "straight"
    measure = params.choice(args, "measure", MEASURES)
    area_kind = params.area_kind(args, "area_kind") or "school_district"
    return Query(kind=kinds[0], area_kind=area_kind, minutes=minutes, metres=metres,
                 pace=params.walking(args, "pace", default=DEFAULT_PACE),
                 detour=params.walking(args, "detour", default=DEFAULT_DETOUR), model=model,
                 city=params.city(args), measure=measure, hazard=params.hazard(args),
                 add=_points(args, "add"), remove=_ids(args, "remove"),
                 network=params.text(args, "network", max_length=80),
                 units=params.choice(args, "units", UNIT_TYPES),
                 target=params.choice(args, "target", TARGET_GROUPS),
                 category=params.choice(args, "category", CATEGORIES), visible_cities=visible_cities())


def _answer(result: dict, query: Query, name: str):
    """JSON, or the per-area result as a file with ``format=csv|geojson|gpkg``."""
    fmt = params.choice(request.args, "format", ("json", *tables.FORMATS)) or "json"
    lang = params.choice(request.args, "lang", LANGUAGES)
    if lang:  # the page's language: its limits in its words, never English on a Japanese page
        result = {**result, "data_limits": [in_language(s, lang) for s in result.get("data_limits", [])]}
    if fmt == "json":
        return jsonify(result)
    areas = stored.areas_frame(kind=query.area_kind, city=query.city)
    body = tables.result_bytes(result, name, areas, fmt, lang)
    return current_app.response_class(body, mimetype=tables.FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="fureai_{name}.{fmt}"'})


@bp.get("/coverage")
def coverage():
    query = query_from(request.args)
    return _answer(coverage_use.coverage(query), query, "coverage")


@bp.get("/reach")
def reach():
    query = query_from({**request.args.to_dict(), "kind": "shelter"})
    # The file of the table on screen: per area (the shares), or per shelter (against its capacity).
    table = params.choice(request.args, "table", ("areas", "shelters")) or "areas"
    return _answer(reach_use.reach(query), query, "reach" if table == "areas" else "shelters")


@bp.get("/suggest")
def suggest():
    args = request.args
    k = params.integer(args, "k", default=3, lo=1, hi=20)
    candidates = params.kinds(args, "candidates") or ["hub", "school", "shelter"]
    return jsonify(suggestions.suggest(query_from(args), tuple(candidates), k))


@bp.get("/catchments")
def catchments():
    """Declared catchments (町丁目 a salon says it serves) against who can walk to it."""
    return jsonify(catchment_fit(query_from(request.args)))
