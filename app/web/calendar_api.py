"""``/api/v1/events`` (the next meetings) and ``/api/v1/calendar.ics`` (a feed per city and kind)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, jsonify, request

from app.domain.freshness import STALE_AFTER_YEARS
from app.domain.targets import TARGET_GROUPS
from app.outputs.calendar import ics_bytes
from app.services import stored
from app.services.calendar import SCHEDULED_KINDS, listings, upcoming
from app.services.catalogue import japan_today, resource_feature
from app.web import params
from app.web.access import visible_cities

bp = Blueprint("calendar_api", __name__, url_prefix="/api/v1")


def today() -> date:
    """Today in Japan, where the meetings are."""
    return japan_today()


def _listings(args):
    return listings(today(), city=params.city(args),
                    kind=params.choice(args, "kind", SCHEDULED_KINDS),
                    target=params.choice(args, "target", tuple(TARGET_GROUPS)),
                    visible_cities=visible_cities(),
                    stale_years=current_app.config.get("STALE_AFTER_YEARS", STALE_AFTER_YEARS))


@bp.get("/events")
def events():
    """Meetings in the next ``days`` (1–92, default 14), and the schedules not read as dates."""
    found = _listings(request.args)
    days = params.integer(request.args, "days", default=14, lo=1, hi=92)
    start = today()
    return jsonify({
        "from": start.isoformat(), "days": days,
        "events": [{"starts": e["starts"].isoformat(), "ends": e["ends"].isoformat() if e["ends"] else None,
                    "timed": e["timed"], "schedule": e["schedule"], "feature": resource_feature(e["row"])}
                   for e in upcoming(found, start, days)],
        "paused": [{"id": x.row["id"], "name": x.row["name"]} for x in found if x.status == "paused"],
        # Old schedules are not promised as meetings: listed with the year they were stated.
        "out_of_date": [{"id": x.row["id"], "name": x.row["name"], "as_of_year": x.as_of_year}
                        for x in found if x.status == "stale"],
        "not_dated": [{"id": x.row["id"], "name": x.row["name"], "schedule": x.row["attributes"]["schedule"],
                       "reason": x.reason} for x in found if x.schedule is None]})


@bp.get("/calendar.ics")
def calendar_feed():
    """The schedules that read as dates, as an iCalendar feed (city, kind and target filters)."""
    found = _listings(request.args)
    names = stored.city_names()
    city = params.city(request.args)
    title = f"ふれあいマップ {names.get(city, '') if city else ''}の予定".replace("  ", " ")
    host = current_app.config["PUBLIC_URL"].split("//")[-1].split("/")[0]
    return current_app.response_class(ics_bytes(found, today(), title, host), mimetype="text/calendar",
                                      headers={"Content-Disposition": 'inline; filename="fureai.ics"'})
