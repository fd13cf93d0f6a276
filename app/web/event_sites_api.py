"""``POST /api/v1/events/<id>/sites/<site_id>``: open, close or update a shelter in an event (JSON).

For coordinators of the event's city and admins (an API token or a signed-in session with its
CSRF token); every change is kept with who and when (``services.safety_sites``).
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask_login import current_user

from app.domain.site_status import AMENITIES, STATES
from app.services import safety_sites
from app.services.errors import EventClosed, ImportFailed, NotAllowed
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
