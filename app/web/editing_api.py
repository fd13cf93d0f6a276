"""State-changing API: edit resources, import lists (API tokens or session + CSRF header)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user

from app.services import editing, get_accounts, get_geocoder, get_repository
from app.services.errors import ImportFailed
from app.services.privacy import counts_by_district
from app.web.access import visible_cities
from app.web.workspace import parse_form

bp = Blueprint("editing_api", __name__, url_prefix="/api/v1")


def _denied(status: int, message: str):
    return jsonify({"error": message}), status


def _signed_in():
    if not current_user.is_authenticated:
        return _denied(401, "sign in, or send an API token as 'Authorization: Bearer …'")
    return None


@bp.post("/resources")
def create_resource():
    if (refusal := _signed_in()) is not None:
        return refusal
    body = request.get_json(silent=True) or {}
    city, kind = str(body.get("city_code", "")), str(body.get("kind", ""))
    if not current_user.can_edit(city):
        return _denied(403, f"you cannot edit resources of city {city!r}")
    try:
        record = parse_form(body, kind, city)
    except ImportFailed as exc:
        return jsonify({"error": "not saved", "errors": [str(e) for e in exc.errors]}), 400
    new_id = get_accounts().create(record, current_user.actor())
    return jsonify({"id": new_id, "placement": record["placement"],
                    "placement_detail": record["placement_detail"]}), 201


def _own(resource_id: int):
    row = get_accounts().resource(resource_id)
    if row is None or row["deleted_at"] is not None:
        return None, _denied(404, "no such resource")
    if not current_user.can_edit(row["city_code"]):
        return None, _denied(403, "you cannot edit this resource")
    return row, None


@bp.patch("/resources/<int:resource_id>")
def update_resource(resource_id: int):
    """Change fields or move (``lat``/``lon``); unchanged fields keep their values."""
    if (refusal := _signed_in()) is not None:
        return refusal
    row, refusal = _own(resource_id)
    if refusal is not None:
        return refusal
    body = request.get_json(silent=True) or {}
    merged = {**row.get("attributes", {}), "name": row["name"], "address": row["address"],
              "capacity": row["capacity"] if row["capacity"] is not None else "",
              "lat": row["lat"] or "", "lon": row["lon"] or "", "restricted": row["restricted"], **body}
    try:
        record = parse_form(merged, str(body.get("kind", row["kind"])), row["city_code"])
    except ImportFailed as exc:
        return jsonify({"error": "not saved", "errors": [str(e) for e in exc.errors]}), 400
    get_accounts().update(resource_id, record, current_user.actor())
    return jsonify({"id": resource_id, "placement": record["placement"]})


@bp.delete("/resources/<int:resource_id>")
def delete_resource(resource_id: int):
    if (refusal := _signed_in()) is not None:
        return refusal
    _, refusal = _own(resource_id)
    if refusal is not None:
        return refusal
    get_accounts().set_deleted(resource_id, True, current_user.actor())
    return jsonify({"id": resource_id, "deleted": True})


@bp.post("/import")
def import_list():
    """A scripted import (multipart: file, kind, city_code): all or nothing, with the report."""
    if (refusal := _signed_in()) is not None:
        return refusal
    city, kind = request.form.get("city_code", ""), request.form.get("kind", "")
    upload = request.files.get("file")
    if not current_user.can_edit(city):
        return _denied(403, f"you cannot import for city {city!r}")
    if upload is None or not upload.filename:
        return _denied(400, "send the list as the multipart field 'file'")
    name = Path(upload.filename).name
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        upload.save(path)
        try:
            report = editing.import_upload(get_repository(), get_accounts(), get_geocoder(), path, kind=kind,
                                           city=city, name=name, actor=current_user.actor(),
                                           verb="imported", visible_cities=visible_cities())
        except (ImportFailed, ValueError) as exc:
            errors = [str(e) for e in exc.errors] if isinstance(exc, ImportFailed) else [str(exc)]
            return jsonify({"error": "import rejected, nothing was stored", "errors": errors}), 400
    return jsonify({"stored": report.stored, "report": report.lines()}), 201


@bp.get("/privacy/counts")
def restricted_counts():
    """Restricted resources as counts per school district: all the public may know of them."""
    kind = request.args.get("kind", "vacant_house")
    threshold = current_app.config["PRIVACY_THRESHOLD"]
    districts = counts_by_district(get_repository(), kind, threshold)
    return jsonify({"kind": kind, "threshold": threshold, "districts": districts})
