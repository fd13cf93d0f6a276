"""HTML pages: the map, its accessible list view, and the data sources page."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_login import current_user

from app.domain import site_access
from app.domain.equipment import EQUIPMENT
from app.domain.kinds import AREA_KINDS, HAZARDS, RESOURCE_KINDS
from app.domain.layers import kinds_for, layer_ref
from app.domain.targets import CATEGORIES, TARGET_GROUPS
from app.outputs.printing import PrintError, district_pdf
from app.outputs.symbology import RESOURCE_SYMBOLS, browser_symbology
from app.services import accounts as accounts_use
from app.services import catalogue, programmes, stored
from app.services.calendar import listings, upcoming
from app.services.privacy import counts_by_district
from app.web import analysis_page, params
from app.web.access import visible_cities
from app.web.assets import VECTORGRID, has_vector_tiles
from app.web.calendar_api import today
from app.web.i18n import base_language, pick_language, plain_strings, refusal, strings
from app.web.mapbuild import build_map
from app.web.params import BadParameter

bp = Blueprint("pages", __name__)
DEFAULT_LAYERS = ("salon", "hub", "vending_machine", "shelter", "emergency_site", "disaster_park",
                  "consultation_desk", "city-official",
                  "school_district-official", "school_district-approximate")
CORRECTION_PLACEHOLDER = 999999999
HAZARD_LABELS_JA = {k: v[1] for k, v in HAZARDS.items()}
DEFAULT_VIEW = (35.712, 139.505, 13)


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
    cities = stored.cities_frame()
    cities = cities[cities["code"] == city_code] if city_code else cities
    if cities.empty:
        return DEFAULT_VIEW
    minx, miny, maxx, maxy = cities.total_bounds
    return (miny + maxy) / 2, (minx + maxx) / 2, 14 if city_code else 13


def _layer_config(lang: str, city_code: str | None) -> tuple[list, list]:
    """The map's layers from the catalogue, in the page's language, with their symbols."""
    japanese, words = base_language(lang) == "ja", plain_strings(lang)
    found = catalogue.layers(city=city_code, restricted_cities=visible_cities())
    places = {layer.id: layer for layer in found if not layer.ref.is_area}
    kinds = [{"id": key, "label": places[key].label_ja if japanese else places[key].label_en,
              "symbol": symbol.letter_ja if japanese else symbol.letter_en,
              "colour": symbol.colour, "shape": symbol.shape, "count": places[key].count,
              "listed": places[key].listed,
              "missingCities": list(places[key].missing_cities), "attribution": list(places[key].attribution),
              "tiles": _tiles_of(places[key])}
             for key, symbol in RESOURCE_SYMBOLS.items() if key in places]
    areas = [{"id": layer.id, "kind": layer.ref.kind, "provenance": layer.ref.provenance,
              "label": (layer.label_ja if japanese else layer.label_en)
              + words.get(f"provenance_{layer.ref.provenance}", ""),
              "count": layer.count, "attribution": list(layer.attribution)}
             for layer in found if layer.ref.is_area]
    return kinds, areas


def _tiles_of(layer: catalogue.Layer) -> str | None:
    """The layer's vector tile URL template (``{z}/{y}/{x}``) when it is drawn from tiles, else None.

    Above ``MAP_TILES_ABOVE`` places a view's GeoJSON would be cut at the API's page size; the
    tiles hold every place at any zoom the layer is tiled at.
    """
    if not layer.count or layer.count <= current_app.config["MAP_TILES_ABOVE"] or not has_vector_tiles():
        return None
    first = url_for("ogc_tiles.tile", cid=layer.id, tms="WebMercatorQuad", zoom=0, row=0, col=0)
    return first.removesuffix("/0/0/0") + "/{z}/{y}/{x}"


def _asked_layers(args) -> list[str]:
    """The layers a permalink names, each in the one spelling (old ``kind:provenance`` links still open)."""
    asked = [layer_ref(v) for v in (args.get("layers") or "").split(",") if v]
    return [ref.id for ref in asked if ref is not None]


@bp.get("/")
def index():
    """The residents' map."""
    return _map_page(embedded=False)


@bp.get("/embed")
def embed():
    """The map for a council's own site, in a frame: allowed for the sites in ``EMBED_ORIGINS`` only."""
    return _map_page(embedded=True)


def _map_page(embedded: bool):
    lang = pick_language(request.args.get("lang"))
    try:
        city_code = params.city(request.args)
    except BadParameter:
        city_code = None
    lat, lon, zoom = _view(request.args, city_code)
    kinds, areas = _layer_config(lang, city_code)
    requested = _asked_layers(request.args)
    config = {
        "lang": lang, "strings": plain_strings(lang), "city": city_code,
        "cities": stored.city_names(),
        "kinds": kinds, "areas": areas, "active": requested or list(DEFAULT_LAYERS),
        "symbology": browser_symbology(), "vocabulary": vocabulary(lang),
        "hazards": [{"id": k, "label": HAZARD_LABELS_JA[k] if base_language(lang) == "ja" else v[2]}
                    for k, v in HAZARDS.items()],
        "api": {"resources": url_for("api.resources"), "areas": url_for("api.areas"),
                "areasAt": url_for("api.areas_at"), "nearest": url_for("api.nearest_resources"),
                "geocode": url_for("api.geocode"), "events": url_for("calendar_api.events"),
                "disasterEvents": url_for("event_sites_api.events"),
                # The script puts an open event's id where 0 is.
                "eventSites": url_for("event_sites_api.sites", event_id=0)},
        "cardUrl": url_for("card.card"),
        # A map framed in a council's site installs nothing; the map itself keeps a copy offline.
        "offline": None if embedded else {"worker": url_for("pwa.service_worker")},
        # The script puts each place's id where the placeholder id is.
        "correctionUrl": url_for("corrections.send_correction", resource_id=CORRECTION_PLACEHOLDER),
        # A tiled place's popup reads the whole place by its id (the tile carries its name only).
        "placeUrl": url_for("editing_api.resource", resource_id=CORRECTION_PLACEHOLDER),
        "vectorTiles": url_for("assets.vendor", package="vectorgrid", filename=VECTORGRID)
        if any(k["tiles"] for k in kinds) else None,
        "districtsUrl": url_for("profile.area_comparison", kind="school_district"),
        "listUrl": url_for("pages.list_view"), "printUrl": url_for("pages.print_district"),
    }
    parts = build_map(lang=base_language(lang), center=(lat, lon), zoom=zoom,
                      base=request.args.get("base", ""), asset_urls=_leaflet_urls(), page_config=config)
    return render_template("map.html", lang=lang, t=strings(lang), parts=parts, kinds=kinds,
                           areas=areas, config=config, attributions=_attributions(), embedded=embedded)


def vocabulary(lang: str) -> dict:
    """Labels of target groups, categories and equipment, for the scripts and the list."""
    pick = 0 if base_language(lang) == "ja" else 1
    wording = {"en": 1, "ja-easy": 2}.get(lang, 0)  # accessibility is worded in all three
    return {"targets": {k: v[pick] for k, v in TARGET_GROUPS.items()},
            "categories": {k: v[pick] for k, v in CATEGORIES.items()},
            "equipment": {k: v[pick] for k, v in EQUIPMENT.items()},
            "access": {k: v[wording] for k, v in site_access.FEATURES.items()},
            "answers": {str(k).lower(): v[wording] for k, v in site_access.ANSWER_LABELS.items()}}


def _leaflet_urls() -> dict[str, str]:
    return {"leaflet_js": url_for("assets.vendor", package="leaflet", filename="leaflet.js"),
            "leaflet_css": url_for("assets.vendor", package="leaflet", filename="leaflet.css")}


@bp.get("/analysis")
def analysis():
    """The planner's page, per question: salon coverage, shelter reach, shelter room against people."""
    lang = pick_language(request.args.get("lang"))
    question = params.choice(request.args, "question", tuple(analysis_page.QUESTIONS)) or "salons"
    try:
        city_code = params.city(request.args) or "13214"
    except BadParameter:
        city_code = "13214"
    lat, lon, zoom = _view({}, city_code)
    kinds, areas = _layer_config(lang, city_code)
    config = analysis_page.page_config(lang, city_code, question, kinds, areas)
    parts = build_map(lang=base_language(lang), center=(lat, lon), zoom=zoom, base="",
                      asset_urls=_leaflet_urls(), page_config=config, page="analysis")
    return render_template("analysis.html", lang=lang, t=strings(lang), parts=parts, config=config,
                           questions=analysis_page.question_links(lang, city_code),
                           attributions=_attributions())


def _attributions() -> list[str]:
    """Every attribution line once, for the page footer."""
    return stored.attribution_lines()


def _list_tables(lang: str, city_code, bbox, visible, requested) -> list[dict]:
    """A table per kind of place the viewer may read (or per kind asked for), of the catalogue's Features."""
    tables = []
    for key in RESOURCE_SYMBOLS:
        if key not in kinds_for(visible) or (requested and key not in requested):
            continue
        layer = catalogue.describe(key, visible)
        page = catalogue.place_page(kinds=[key], city=city_code, bbox=bbox, placed_only=bbox is not None,
                                    limit=current_app.config["API_MAX_LIMIT"], restricted_cities=visible)
        tables.append({"id": key, "label": layer.label_ja if base_language(lang) == "ja" else layer.label_en,
                       "rows": [f["properties"] for f in page.features]})
    return tables


@bp.get("/list")
def list_view():
    """The same data as the map, as tables: one per layer, for keyboards and screen readers."""
    lang = pick_language(request.args.get("lang"))
    try:
        city_code = params.city(request.args)
        bbox = params.bbox(request.args)
    except BadParameter as exc:
        return render_template("error.html", lang=lang, t=strings(lang), message=refusal(exc, lang)), 400
    visible = visible_cities()
    tables = _list_tables(lang, city_code, bbox, visible, _asked_layers(request.args))
    counts = [c for c in counts_by_district("vacant_house", current_app.config["PRIVACY_THRESHOLD"])
              if not city_code or c["city_code"] == city_code]
    target = request.args.get("target") if request.args.get("target") in TARGET_GROUPS else None
    scheduled = listings(today(), city=city_code, target=target, visible_cities=visible,
                         stale_years=current_app.config["STALE_AFTER_YEARS"])
    return render_template("list.html", lang=lang, t=strings(lang), tables=tables, restricted_counts=counts,
                           words=vocabulary(lang), programmes=programmes.summary(city_code),
                           threshold=current_app.config["PRIVACY_THRESHOLD"], target=target,
                           events=upcoming(scheduled, today(), 14),
                           not_dated=sum(1 for x in scheduled if x.schedule is None),
                           figures=stored.city_statistics(city=city_code),
                           city=city_code, cities=stored.city_names(),
                           hazard_labels={k: (HAZARD_LABELS_JA[k] if base_language(lang) == "ja" else v[2])
                                          for k, v in HAZARDS.items()})


# A district map costs a second or two of CPU: the same one is drawn once per data version (in
# each worker), and an anonymous address may ask for this many an hour.
PRINTS_PER_HOUR = 30
_printed: dict[tuple, bytes] = {}


@bp.get("/print")
def print_district():
    """A printable PDF map of one district (``area_kind``, ``area`` code, ``paper`` A4/A3)."""
    args = request.args
    if not current_user.is_authenticated and not accounts_use.attempt_allowed(
            f"print:{request.remote_addr}", PRINTS_PER_HOUR, 3600):
        return jsonify({"error": f"at most {PRINTS_PER_HOUR} printed maps an hour from one address; "
                        "try again later"}), 429, {"Retry-After": "600"}
    try:
        area_kind = params.area_kind(args, "area_kind") or "school_district"
        key = (area_kind, args.get("area", ""), args.get("paper", "A4"), stored.data_version(),
               current_app.config["PUBLIC_URL"])
        body = _printed.get(key) or district_pdf(area_kind, key[1], key[2], key[4])
        if len(_printed) > 32:
            _printed.clear()
        _printed[key] = body
    except (PrintError, BadParameter) as exc:
        return jsonify({"error": str(exc)}), 400
    return current_app.response_class(body, mimetype="application/pdf", headers={
        "Content-Disposition": 'inline; filename="fureai_district.pdf"'})


@bp.get("/about")
def about():
    lang = pick_language(request.args.get("lang"))
    return render_template("about.html", lang=lang, t=strings(lang), datasets=stored.datasets(),
                           counts=stored.layer_counts(), resource_kinds=RESOURCE_KINDS,
                           area_kinds=AREA_KINDS)
