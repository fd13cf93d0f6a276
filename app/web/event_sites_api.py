"""Shelters on the day over the API: change a site (coordinators), read the sites' status (anyone).

``POST /api/v1/events/<id>/sites/<site_id>`` is for coordinators of the event's city and admins
(an API token, or a signed-in session with its CSRF token); every change is kept with who and when
(``services.safety_sites``). ``GET /api/v1/disaster-events`` and ``/api/v1/events/<id>/sites`` are public:
no count of people below the privacy threshold, and an ``ETag`` so that polling clients get 304.
"""

from __future__ import annotations

import re

import pandas as pd
from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user

from app.domain.site_status import AMENITIES, STATES
from app.outputs.tables import csv_bytes
from app.services import safety_sites
from app.services.errors import EventClosed, ImportFailed, NotAllowed
from app.web import params
from app.web.editing_api import json_body

bp = Blueprint("event_sites_api", __name__, url_prefix="/api/v1")
FIELDS = ("open", "people", "capacity_day", "capacity_night", "state", "has")


def status_json(status: dict) -> dict:
    """A site's status as the API says it: keys and the Japanese labels beside them."""
    return {"site_id": status["resource_id"], "name": status.get("name"), "kind": status.get("kind"),
            "open": status["open"], "state": status["state"], "state_label": STATES[status["state"]][0],
            "people": status["people"], "capacity_day": status["capacity_day"],
            "capacity_night": status["capacity_night"], "has": status["has"],
            "has_labels": [AMENITIES[k][0] for k in status["has"]], "updated_at": status["at"].isoformat(),
            "updated_by": status["username"]}


@bp.post("/events/<int:event_id>/sites/<int:site_id>")
def update_site(event_id: int, site_id: int):
    """Change one site: ``{"open": true, "people": 40, "state": "混雑", "has": ["水", "トイレ"]}``."""
    body = json_body()
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        return jsonify({"error": f"unknown field {unknown[0]!r}; send {', '.join(FIELDS)}",
                        "parameter": unknown[0]}), 400
    try:
        status = safety_sites.update_site(current_user.viewer, event_id, site_id, body, current_user.actor())
    except ImportFailed as exc:
        return jsonify({"error": "not saved", "errors": [str(e) for e in exc.errors]}), 400
    except NotAllowed as exc:
        return jsonify({"error": str(exc)}), 403
    except safety_sites.NoSuchSite as exc:
        return jsonify({"error": str(exc)}), 404
    except EventClosed as exc:
        return jsonify({"error": str(exc)}), 409
    return jsonify(status_json(status))


@bp.get("/disaster-events")
def events():
    """Every disaster event, newest first: which are open, for which city and hazard (public).

    (``/api/v1/events`` is the calendar's meetings; a disaster event's sites are under its id.)
    """
    return jsonify({"events": [{**e, "opened_at": e["opened_at"].isoformat(),
                                "closed_at": e["closed_at"].isoformat() if e["closed_at"] else None}
                               for e in safety_sites.public_events()]})


@bp.get("/events/<int:event_id>/sites")
def sites(event_id: int):
    """The event's sites as anyone may see them (JSON or ``format=csv``); ``ETag`` for polling."""
    fmt = params.choice(request.args, "format", ("json", "csv")) or "json"
    held = re.findall(rf'"{fmt}\.([^"]+)"', request.headers.get("If-None-Match", ""))
    try:
        answer, version = safety_sites.public_sites(event_id, current_app.config["PRIVACY_THRESHOLD"],
                                                    known=held[0] if held else None)
    except safety_sites.NoSuchSite as exc:
        return jsonify({"error": str(exc)}), 404
    headers = {"ETag": f'"{fmt}.{version}"', "Cache-Control": "no-cache"}  # ask each time; 304 if unchanged
    if answer is None:
        return "", 304, headers
    if fmt == "csv":
        rows = [{**{k: v for k, v in s.items() if k not in ("has", "has_labels", "state")},
                 "has": "・".join(s["has_labels"])} for s in answer["sites"]]
        return current_app.response_class(csv_bytes(pd.DataFrame(rows)), mimetype="text/csv",
                                          headers={**headers, "Content-Disposition":
                                                   f'attachment; filename="event_{event_id}_sites.csv"'})
    return jsonify(answer), 200, headers
