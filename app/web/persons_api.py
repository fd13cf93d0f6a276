"""``/api/v1/persons``: exactly the people the caller may read; ``/api/v1/persons/counts`` for everyone."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user

from app.services import persons as register_use
from app.services.privacy import person_counts
from app.web import params, security

bp = Blueprint("persons_api", __name__, url_prefix="/api/v1")
COUNT_KINDS = ("chome", *register_use.PLACE_KINDS)
FIELDS = ("id", "city_code", "chome_code", "name", "kana", "address", "age_band", "needs", "needs_other",
          "contact", "consent_on", "consent_scope", "supporters", "pace", "pace_reason")

security.personal(bp)


@bp.get("/persons")
def persons():
    """The caller's people (a supporter: their areas; a coordinator: their cities); 401 for the public."""
    if not current_user.is_authenticated:
        refusal = "sign in, or send an API token; everyone else sees /api/v1/persons/counts"
        return jsonify({"error": refusal}), 401
    rows = register_use.people(current_user.viewer, "api",
                               current_user.actor())
    return jsonify({"count": len(rows), "persons": [
        {**{k: r.get(k) for k in FIELDS}, "areas": [{"kind": k, "code": c} for k, c in r["areas"]]}
        for r in rows]})


@bp.get("/persons/counts")
def counts():
    """Registered people per area, each below PRIVACY_THRESHOLD hidden; names, places and needs never."""
    kind = params.choice(request.args, "area_kind", COUNT_KINDS) or "school_district"
    threshold = current_app.config["PRIVACY_THRESHOLD"]
    return jsonify({"area_kind": kind, "threshold": threshold,
                    "areas": person_counts(kind, threshold)})
