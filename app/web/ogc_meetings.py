"""The ``meetings`` collection of the OGC API: salons', hubs' and drills' meetings, filtered in time.

``datetime`` (Part 1: an instant, a date meaning that day in Japan, or an interval ``a/b`` with
``..`` for an open end) keeps the meetings whose time meets it; ``filter`` (CQL2) may compare
``starts``/``ends`` with timestamps and, in CQL2 JSON, use the temporal operators (``t_after``,
``t_before``, ``t_during``, ``t_intersects`` …).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import abort, current_app, request

from app.services import meeting_catalogue as catalogue
from app.services.errors import FilterRefused
from app.web import ogc_params, params
from app.web.access import visible_cities
from app.web.ogc_common import link, respond
from app.web.params import BadParameter

ARGS = ("limit", "offset", "f", "datetime", "city_code", "filter", "filter-lang", "filter-crs")
TITLE = {"title": "集いの予定（サロン・居場所・防災訓練）",
         "description": "Meetings of salons, hubs and drills in the next 92 days, from their schedules"}


def body() -> dict:
    """The collection's description, as ``/collections`` lists it."""
    cid = catalogue.COLLECTION_ID
    return {"id": cid, **TITLE, "itemType": "feature", "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
            "extent": {"temporal": {"interval": [[None, None]], "trs":
                                    "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}},
            "links": [link("ogcapi.items", "items", "application/geo+json", "items", cid=cid),
                      link("ogcapi.queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                           "application/schema+json", "queryables", cid=cid),
                      link("ogcapi.collection", "self", "application/json", cid=cid)]}


def queryables() -> dict:
    """The properties a filter may name, as JSON Schema."""
    return {n: ({"type": "string", "format": "date-time"} if t == "date-time" else {"type": t})
            for n, t in catalogue.QUERYABLES.items()}


def _moment(text: str, end: bool):
    """One end of ``datetime``: None when open; a date is its day's first (or, at the end, last) moment."""
    if text in ("", ".."):
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise BadParameter("datetime", f"{text!r} is not a date or an RFC 3339 time; e.g. 2026-12-10, "
                                       "2026-12-10T10:00:00+09:00 or 2026-12-01/2026-12-31") from None
    if len(text) == 10 and end:  # a date alone: the whole day
        return catalogue.instant(datetime.combine(value.date() + timedelta(days=1), time.min)) \
            - timedelta(microseconds=1)
    return catalogue.instant(value)


def _during(args):
    raw = args.get("datetime")
    if not raw:
        return None
    low, _, high = raw.partition("/") if "/" in raw else (raw, "", raw)
    return _moment(low, end=False), _moment(high, end=True)


def item(mid: str):
    """One meeting by its id (``<place id>-<YYYYMMDDhhmm>``), while it is in the window; else 404."""
    unknown = [k for k in request.args if k != "f"]
    if unknown:
        raise BadParameter(unknown[0], "not a parameter of a single meeting; use f")
    found = [f for f in catalogue.meetings(visible_cities=visible_cities(),
                                           stale_years=current_app.config["STALE_AFTER_YEARS"])
             if f["id"] == mid]
    if not found:
        abort(404)
    feature = {**found[0], "links": [link("ogcapi.meeting", "self", "application/geo+json", mid=mid),
                                     link("ogcapi.collection", "collection", "application/json",
                                          cid=catalogue.COLLECTION_ID)]}
    return respond(feature, "ogc_items.html", "application/geo+json", cid=catalogue.COLLECTION_ID, info=TITLE,
                   single=True)


def items():
    """A page of meetings as GeoJSON (or HTML)."""
    args = request.args
    unknown = [k for k in args if k not in (*ARGS, *catalogue.QUERYABLES)]
    if unknown:
        raise BadParameter(unknown[0], f"not a parameter of this collection; use {', '.join(ARGS)}")
    limit = params.integer(args, "limit", default=10, lo=1, hi=1000)
    offset = params.integer(args, "offset", default=0, lo=0, hi=10_000_000)
    names = {n: ("string" if t == "date-time" else t) for n, t in catalogue.QUERYABLES.items()}
    tree = ogc_params.filter_of(args, names, skip=("city_code",))
    try:
        page = catalogue.meeting_page(
            limit=limit, offset=offset, city=params.city(args, "city_code"), during=_during(args),
            match=catalogue.matcher(tree) if tree is not None else None, visible_cities=visible_cities(),
            stale_years=current_app.config["STALE_AFTER_YEARS"])
    except FilterRefused as exc:
        raise BadParameter("filter", str(exc)) from None
    cid = catalogue.COLLECTION_ID
    query = {k: v for k, v in args.items() if k not in ("offset", "f")}
    links = [link("ogcapi.items", "self", "application/geo+json", cid=cid, offset=offset, **query)]
    if offset + len(page.features) < page.matched:
        links.append(link("ogcapi.items", "next", "application/geo+json", cid=cid, offset=offset + limit,
                          **query))
    out = {"type": "FeatureCollection", "features": page.features, "numberMatched": page.matched,
           "numberReturned": len(page.features), "links": links}
    return respond(out, "ogc_items.html", "application/geo+json", cid=cid, info=TITLE)
