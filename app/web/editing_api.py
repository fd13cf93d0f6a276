"""State-changing API: edit resources, import lists (API tokens or session + CSRF header).

Every answer is JSON. A resource's ``ETag`` is its version: ``PATCH`` and ``DELETE`` must send
it back as ``If-Match``, so that of two coordinators editing at once, the second is told
(412, with what is stored now) instead of silently overwriting the first.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user

from app.domain.kinds import RESOURCE_KINDS
from app.services import editing, programmes, stored, uploads
from app.services.catalogue import resource_feature
from app.services.errors import ImportFailed, NoSuchResource, StaleWrite
from app.services.privacy import counts_by_district
from app.web import params
from app.web.access import visible_cities
from app.web.params import BadParameter
from app.web.workspace import add_place

bp = Blueprint("editing_api", __name__, url_prefix="/api/v1")
ETAG = re.compile(r'^(?:W/)?"(\d{1,9})"$')


def _denied(status: int, message: str):
    return jsonify({"error": message}), status


def json_body() -> dict:
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # 100,000 nested brackets: no field of ours is that deep
        raise BadParameter("body", "the JSON is nested too deeply; send an object of fields") from None
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise BadParameter("body", "send a JSON object of fields, e.g. {\"name\": \"…\"}")
    for field, value in body.items():
        texts = value if isinstance(value, list) else [value]
        # A lone surrogate (\ud800) is valid JSON but no text: no database can store it.
        if any(isinstance(t, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in t) for t in texts):
            raise BadParameter(str(field)[:50], "holds a broken character (a lone surrogate); retype it")
    return body


def _not_saved(exc: ImportFailed):
    return jsonify({"error": "not saved", "errors": [str(e) for e in exc.errors]}), 400


@bp.post("/resources")
def create_resource():
    body = json_body()
    city, kind = str(body.get("city_code", "")), str(body.get("kind", ""))
    if not current_user.can_edit(city):
        return _denied(403, f"you cannot edit resources of city {city!r}")
    try:
        new_id, record = add_place(body, kind, city)
    except ImportFailed as exc:
        return _not_saved(exc)
    return jsonify({"id": new_id, "placement": record["placement"],
                    "placement_detail": record["placement_detail"]}), 201, {"ETag": '"1"'}


def _visible(resource_id: int) -> dict | None:
    row = editing.stored_place(resource_id)
    if row is None or row["deleted_at"] is not None:
        return None
    if row["restricted"] and row["city_code"] not in visible_cities():
        return None  # the same answer as for no resource: existence is not revealed
    return row


def _feature(row: dict) -> dict:
    [found] = programmes.attach(stored.find_resources(
        ids=[row["id"]], include_restricted=True, placed_only=False))
    return resource_feature(found)


@bp.get("/resources/<rid:resource_id>")
def resource(resource_id: int):
    """One resource, with its version as ETag (send it back as If-Match to change it)."""
    row = _visible(resource_id)
    if row is None:
        return _denied(404, "no such resource")
    return jsonify(_feature(row)), 200, {"ETag": f'"{row["version"]}"'}


def _editable(resource_id: int):
    row = _visible(resource_id)
    if row is None:
        return None, _denied(404, "no such resource")
    if not current_user.can_edit(row["city_code"]):
        return None, _denied(403, "you cannot edit this resource")
    match = ETAG.match(request.headers.get("If-Match", ""))
    if match is None:
        return None, _denied(428, f"send If-Match: \"{row['version']}\" (the ETag of GET "
                                  f"/api/v1/resources/{resource_id}), so that no one else's change is lost")
    return (row, int(match.group(1))), None


def _gone():
    """The resource was deleted (or its list replaced) between the read and this write."""
    return _denied(404, "this resource was deleted meanwhile; nothing was saved")


def _stale(exc: StaleWrite):
    return jsonify({"error": "this resource changed since you read it; nothing was saved",
                    "current": _feature(exc.current)}), 412, {"ETag": f'"{exc.current["version"]}"'}


@bp.patch("/resources/<rid:resource_id>")
def update_resource(resource_id: int):
    """Change fields or move (``lat``/``lon``); fields not sent keep their values."""
    checked, refusal = _editable(resource_id)
    if refusal is not None:
        return refusal
    row, version = checked
    try:
        changes, new_version = editing.edit_resource(row, json_body(), current_user.actor(), version,
                                                     visible_cities())
    except ImportFailed as exc:
        return _not_saved(exc)
    except StaleWrite as exc:
        return _stale(exc)
    except NoSuchResource:
        return _gone()
    body = {"id": resource_id, "changed": sorted(changes), "version": new_version,
            "placement": changes.get("placement", row["placement"])}
    return jsonify(body), 200, {"ETag": f'"{new_version}"'}


@bp.delete("/resources/<rid:resource_id>")
def delete_resource(resource_id: int):
    checked, refusal = _editable(resource_id)
    if refusal is not None:
        return refusal
    try:
        editing.delete_place(resource_id, current_user.actor(), checked[1])
    except StaleWrite as exc:
        return _stale(exc)
    except NoSuchResource:
        return _gone()
    return jsonify({"id": resource_id, "deleted": True})


@bp.post("/import")
def import_list():
    """A scripted import (multipart: file, kind, city_code): all or nothing, with the report."""
    city, kind = request.form.get("city_code", ""), request.form.get("kind", "")
    upload = request.files.get("file")
    if not current_user.can_edit(city):
        return _denied(403, f"you cannot import for city {city!r}")
    if kind not in RESOURCE_KINDS:
        raise BadParameter("kind", f"use one of {', '.join(RESOURCE_KINDS)}")
    if upload is None or not upload.filename:
        raise BadParameter("file", "send the list as the multipart field 'file'")
    name = uploads.upload_name(upload.filename)
    mode = params.choice(request.form, "on_existing", ("replace", "add"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        upload.save(path)
        try:
            return _import_file(path, kind, city, name, mode)
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
            return jsonify({"error": "import rejected, nothing was stored", "errors": errors}), 400


def _import_file(path: Path, kind: str, city: str, name: str, mode: str | None):
    """Store the list, unless it repeats a stored one under another name and no choice was sent."""
    visible = visible_cities()
    _, same = uploads.preview_upload(path, kind, city, visible)
    if same and same["key"] != uploads.upload_key(city, kind, name) and mode is None:
        return jsonify({"error": f"{same['matches']} of these rows are already stored as {same['file']!r}: "
                        "send on_existing=replace (that list becomes this one) or on_existing=add (both "
                        "kept); nothing was stored", "parameter": "on_existing", "same_list": same}), 409
    replacing = same["key"] if same and mode == "replace" and same["replaceable"] else ""
    report = uploads.import_upload(path, kind=kind, city=city,
                                   name=name, actor=current_user.actor(), verb="imported",
                                   visible_cities=visible, replacing=replacing)
    return jsonify({"stored": report.stored, "report": report.lines()}), 201


@bp.get("/privacy/counts")
def restricted_counts():
    """Restricted resources as counts per school district: all the public may know of them."""
    kind = request.args.get("kind", "vacant_house")
    if kind not in RESOURCE_KINDS:
        raise BadParameter("kind", f"unknown kind {kind!r}; use one of {', '.join(RESOURCE_KINDS)}")
    threshold = current_app.config["PRIVACY_THRESHOLD"]
    districts = counts_by_district(kind, threshold)
    return jsonify({"kind": kind, "threshold": threshold, "districts": districts})

