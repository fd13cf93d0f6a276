"""HTML pages: the map, its accessible list view, and the data sources page."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from app.domain.kinds import AREA_KINDS, HAZARDS, RESOURCE_KINDS
from app.web import params
from app.web.i18n import pick_language, strings
from app.web.mapbuild import build_map
from app.web.params import BadParameter

bp = Blueprint("pages", __name__)

# Symbol, colour and marker shape per kind: distinct in colour and, for print and colour-blind
# readers, in symbol and shape too.
STYLES = {
    "salon": ("サ", "S", "#c2185b", "circle"),
    "hub": ("拠", "H", "#6a1b9a", "square"),
    "vending_machine": ("自", "V", "#00796b", "square"),
    "shelter": ("避", "Sh", "#1565c0", "square"),
    "emergency_site": ("緊", "E", "#e65100", "diamond"),
    "school": ("学", "Sc", "#5d4037", "circle"),
    # Only signed-in coordinators get this layer, and only for their own cities.
    "vacant_house": ("空", "VH", "#37474f", "square"),
}
DEFAULT_LAYERS = ("salon", "hub", "vending_machine", "shelter", "emergency_site", "city:official",
                  "school_district:official", "school_district:approximate")
HAZARD_LABELS_JA = {k: v[1] for k, v in HAZARDS.items()}
DEFAULT_VIEW = (35.712, 139.505, 13)
PROVENANCE_LABELS = {"approximate": {"ja": "（近似）", "en": " (approximate)"},
                     "derived": {"ja": "（町丁目表から推定）", "en": " (derived from 町丁目 lists)"}}


def _repo():
    return current_app.extensions["repository"]


def _view(args, city_code):
    """Initial (lat, lon, zoom) from the permalink, else the city, else all cities."""
    try:
        lat = params.number(args, "lat", lo=20, hi=46)
        lon = params.number(args, "lon", lo=122, hi=154)
        zoom = params.integer(args, "z", default=0, lo=9, hi=18) if args.get("z") else None
    except BadParameter:
        lat = lon = zoom = None  # a broken permalink still opens the map
    if lat is not None and lon is not None:
        return lat, lon, zoom or 15
    cities = [c for c in _repo().cities() if not city_code or c["code"] == city_code]
    if not cities:
        return DEFAULT_VIEW
    minx = min(c["geom"].bounds[0] for c in cities)
    miny = min(c["geom"].bounds[1] for c in cities)
    maxx = max(c["geom"].bounds[2] for c in cities)
    maxy = max(c["geom"].bounds[3] for c in cities)
    return (miny + maxy) / 2, (minx + maxx) / 2, 14 if city_code else 13


def _layer_config(lang: str, city_code: str | None) -> tuple[list, list]:
    repo = _repo()
    counts = repo.layer_counts(city=city_code)
    unavailable = {(d["layer"], d["notes"].split(":")[1]) for d in repo.datasets()
                   if d["notes"].startswith("unavailable:")}
    attributions = repo.attributions()
    from app.web.api import restricted_cities

    visible = restricted_cities()
    kinds = []
    for key, (symbol_ja, symbol_en, colour, shape) in STYLES.items():
        kind = RESOURCE_KINDS[key]
        if not kind.public and not visible:
            continue
        count = counts["resources"].get(key, 0) if kind.public else repo.count_resources(
            kinds=[key], restricted_cities=visible, placed_only=True)
        missing_upstream = sorted(c for layer, c in unavailable if layer == key)
        kinds.append({"id": key, "label": kind.label_ja if lang == "ja" else kind.label_en,
                      "symbol": symbol_ja if lang == "ja" else symbol_en, "colour": colour,
                      "shape": shape, "count": count,
                      "missingCities": missing_upstream, "attribution": attributions.get(key, [])})
    areas = []
    for kind, provenance, count in counts["areas"]:
        if kind not in AREA_KINDS:
            continue
        label = AREA_KINDS[kind].label_ja if lang == "ja" else AREA_KINDS[kind].label_en
        if provenance in ("approximate", "derived"):
            label += PROVENANCE_LABELS[provenance][lang]
        areas.append({"id": f"{kind}:{provenance}", "kind": kind, "provenance": provenance,
                      "label": label, "count": count, "attribution": attributions.get(kind, [])})
    return kinds, areas


@bp.get("/")
def index():
    lang = pick_language(request.args.get("lang"))
    try:
        city_code = params.city(request.args)
    except BadParameter:
        city_code = None
    lat, lon, zoom = _view(request.args, city_code)
    kinds, areas = _layer_config(lang, city_code)
    requested = [v for v in (request.args.get("layers") or "").split(",") if v]
    config = {
        "lang": lang, "strings": strings(lang), "city": city_code,
        "cities": _repo().city_names(),
        "kinds": kinds, "areas": areas, "active": requested or list(DEFAULT_LAYERS),
        "hazards": [{"id": k, "label": HAZARD_LABELS_JA[k] if lang == "ja" else v[2]}
                    for k, v in HAZARDS.items()],
        "api": {"resources": url_for("api.resources"), "areas": url_for("api.areas"),
                "areasAt": url_for("api.areas_at"), "nearest": url_for("api.nearest_resources")},
        "listUrl": url_for("pages.list_view"), "printUrl": url_for("pages.print_district"),
    }
    parts = build_map(lang=lang, center=(lat, lon), zoom=zoom, base=request.args.get("base", ""),
                      asset_urls=_leaflet_urls(), page_config=config)
    return render_template("map.html", lang=lang, t=strings(lang), parts=parts, kinds=kinds,
                           areas=areas, config=config, attributions=_attributions())


def _leaflet_urls() -> dict[str, str]:
    return {"leaflet_js": url_for("assets.vendor", package="leaflet", filename="leaflet.js"),
            "leaflet_css": url_for("assets.vendor", package="leaflet", filename="leaflet.css")}


@bp.get("/analysis")
def analysis():
    """The coordinator's page: salon coverage per district, gaps, suggestions, what-ifs."""
    lang = pick_language(request.args.get("lang"))
    try:
        city_code = params.city(request.args) or "13214"
    except BadParameter:
        city_code = "13214"
    lat, lon, zoom = _view({}, city_code)
    kinds, areas = _layer_config(lang, city_code)
    config = {"lang": lang, "strings": strings(lang), "city": city_code,
              "cities": _repo().city_names(),
              "kinds": kinds,
              "areaKinds": [{"id": k, "label": v.label_ja if lang == "ja" else v.label_en}
                            for k, v in AREA_KINDS.items()
                            if k != "sediment_hazard" and any(a["kind"] == k for a in areas)],
              "api": {"coverage": url_for("analysis_api.coverage"),
                      "suggest": url_for("analysis_api.suggest"),
                      "areas": url_for("api.areas"), "resources": url_for("api.resources")}}
    parts = build_map(lang=lang, center=(lat, lon), zoom=zoom, base="", asset_urls=_leaflet_urls(),
                      page_config=config, init="fureaiAnalysis")
    return render_template("analysis.html", lang=lang, t=strings(lang), parts=parts, config=config,
                           attributions=_attributions())


def _attributions() -> list[str]:
    """Every attribution line once, for the page footer."""
    return list(dict.fromkeys(line for lines in _repo().attributions().values() for line in lines))


@bp.get("/list")
def list_view():
    """The same data as the map, as tables: one per layer, for keyboards and screen readers."""
    lang = pick_language(request.args.get("lang"))
    try:
        city_code = params.city(request.args)
        bbox = params.bbox(request.args)
    except BadParameter as exc:
        return render_template("error.html", lang=lang, message=str(exc)), 400
    from app.web.api import restricted_cities

    visible = restricted_cities()
    requested = [v for v in (request.args.get("layers") or "").split(",") if v]
    kinds = [k for k in STYLES if (not requested or k in requested)
             and (RESOURCE_KINDS[k].public or visible)]
    repo = _repo()
    tables = []
    for key in kinds:
        rows = repo.find_resources(kinds=[key], city=city_code, bbox=bbox, placed_only=bbox is not None,
                                   limit=current_app.config["API_MAX_LIMIT"], restricted_cities=visible)
        kind = RESOURCE_KINDS[key]
        tables.append({"id": key, "label": kind.label_ja if lang == "ja" else kind.label_en,
                       "rows": rows})
    from app.privacy import counts_by_district

    counts = [c for c in counts_by_district(repo, "vacant_house", current_app.config["PRIVACY_THRESHOLD"])
              if not city_code or c["city_code"] == city_code]
    return render_template("list.html", lang=lang, t=strings(lang), tables=tables, restricted_counts=counts,
                           city=city_code, cities=repo.city_names(),
                           hazard_labels={k: (HAZARD_LABELS_JA[k] if lang == "ja" else v[2])
                                          for k, v in HAZARDS.items()})


@bp.get("/print")
def print_district():
    """A printable PDF map of one district (``area_kind``, ``area`` code, ``paper`` A4/A3)."""
    from app.printing import PrintError, district_pdf

    args = request.args
    try:
        area_kind = params.area_kind(args, "area_kind") or "school_district"
        body = district_pdf(_repo(), area_kind, args.get("area", ""), args.get("paper", "A4"),
                            current_app.config["PUBLIC_URL"])
    except (PrintError, BadParameter) as exc:
        return jsonify({"error": str(exc)}), 400
    return current_app.response_class(body, mimetype="application/pdf", headers={
        "Content-Disposition": 'inline; filename="fureai_district.pdf"'})


@bp.get("/about")
def about():
    lang = pick_language(request.args.get("lang"))
    repo = _repo()
    return render_template("about.html", lang=lang, t=strings(lang), datasets=repo.datasets(),
                           counts=repo.layer_counts(), resource_kinds=RESOURCE_KINDS,
                           area_kinds=AREA_KINDS)


@bp.app_errorhandler(404)
def not_found(exc):
    if request.path.startswith("/api/"):
        return jsonify({"error": f"no such endpoint: {request.path}"}), 404
    return render_template("error.html", message="ページが見つかりません / Page not found"), 404


@bp.app_errorhandler(405)
def not_allowed(exc):
    return jsonify({"error": f"{request.method} is not allowed on {request.path}"}), 405


@bp.app_errorhandler(500)
def server_error(exc):
    if request.path.startswith("/api/"):
        return jsonify({"error": "internal error; the request was logged"}), 500
    return render_template("error.html", message="エラーが発生しました / Internal error"), 500
