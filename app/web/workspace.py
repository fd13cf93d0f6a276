"""The coordinator workspace: add, edit, move and delete resources, with an audit trail."""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.domain import site_access
from app.domain.freshness import freshness
from app.domain.kinds import RESOURCE_KINDS
from app.outputs.history import PLACEMENTS, readable
from app.outputs.tables import csv_bytes
from app.services import editing, stored, uploads
from app.services.errors import ImportFailed, NoSuchResource, StaleWrite
from app.web.access import visible_cities
from app.web.edit_position import placed_note, unseen_position
from app.web.pages import vocabulary

bp = Blueprint("workspace", __name__, url_prefix="/workspace")


def add_place(form, kind: str, city: str) -> tuple[int, dict]:
    """A new place from the form or a JSON body, validated like an imported row and stored (audited)."""
    if hasattr(form, "getlist"):  # a posted form: the target-group boxes come as repeated fields
        form = {**form.to_dict(), "targets": form.getlist("targets")}
    return editing.add_place(form, kind, city,
                             current_user.actor(), visible_cities())


def _editable(resource_id: int) -> dict:
    row = editing.stored_place(resource_id)
    if row is None:
        abort(404)
    if not current_user.can_edit(row["city_code"]):
        abort(403)
    return row


def _cities() -> dict[str, str]:
    names = stored.city_names()
    return {code: names.get(code, code) for code in current_user.restricted_cities}


@bp.get("")
@login_required
def dashboard():
    if current_user.role == "supporter":
        return redirect(url_for("persons.person_list"))  # a supporter edits nothing: their list is home
    if current_user.role == "shelter_lead":
        return redirect(url_for("safety.events"))  # a lead runs their sites on the day, nothing else
    cities = _cities()
    rows = stored.find_resources(kinds=list(RESOURCE_KINDS), placed_only=False, limit=100_000,
                                  restricted_cities=tuple(cities), include_deleted=current_user.is_admin)
    rows = [r for r in rows if r["city_code"] in cities and r["kind"] not in ("shelter", "emergency_site",
                                                                               "school")]
    # 確認待ち: places whose own note says they closed (left out of counts until confirmed), then
    # places whose information is older than STALE_AFTER_YEARS.
    years, today = current_app.config["STALE_AFTER_YEARS"], date.today()
    fresh = {r["id"]: freshness(r.get("attributes") or {}, str(r.get("source_date") or ""), today, years)
             for r in rows if not r["deleted_at"]}
    to_confirm = sorted((r for r in rows if r["id"] in fresh and fresh[r["id"]].state in ("closed", "stale")),
                        key=lambda r: (fresh[r["id"]].state != "closed", r["name"]))
    return render_template("workspace.html", rows=rows, cities=cities, kinds=RESOURCE_KINDS,
                           to_confirm=to_confirm, fresh=fresh)


def _form_page(row=None, errors=(), values=None, status=200, stale=(), preview=None):
    values = values or {}
    listed = stored.find_resources(ids=[row["id"]], limit=1, include_deleted=True) if row else []
    return render_template("resource_form.html", row=row, errors=errors, values=values, stale=stale,
                           preview=preview, kinds=RESOURCE_KINDS, cities=_cities(),
                           words=vocabulary("ja"), access_features=site_access.FEATURES,
                           answers=site_access.ANSWER_LABELS,
                           listed_access=(listed[0].get("listed_access") or {}) if listed else {}), status


@bp.route("/resources/new", methods=["GET", "POST"])
@login_required
def new_resource():
    if request.method == "GET":
        return _form_page(values={"kind": request.args.get("kind", "salon")})
    city, kind = request.form.get("city_code", ""), request.form.get("kind", "")
    if not current_user.can_edit(city):
        abort(403)
    try:
        new_id, record = add_place(request.form, kind, city)
    except ImportFailed as exc:
        return _form_page(errors=[str(e) for e in exc.errors], values=request.form, status=400)
    flash(f"登録しました / added: {record['name']} ({record['placement']})")
    return redirect(url_for("workspace.edit_resource", resource_id=new_id))


def _submitted(form) -> dict:
    """The edit form's fields; an unticked box is sent as no value, so it is added as empty."""
    given = {f: form.get(f, "") for f in editing.FORM_FIELDS}
    given.update(kind=form.get("kind", ""), restricted=form.get("restricted", ""),
                 category=form.get("category", ""), targets=form.getlist("targets"),
                 **{f: form[f] for f in editing.ACCESS_FIELDS if f in form})
    return given


def _version(form) -> int | None:
    raw = form.get("version", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


MISSING_VERSION = ("この画面は古いか、壊れています。ページを読み込み直してから、もう一度保存してください "
                   "/ the form carries no version: reload the page and save again (nothing was saved)")


def _stale_page(row, exc: StaleWrite, form):
    now = exc.current
    fields = [("name", now["name"]), ("address", now["address"]), ("capacity", now["capacity"]),
              ("lat", now["lat"]), ("lon", now["lon"]),
              *[(k, v) for k, v in (now.get("attributes") or {}).items() if k in editing.FORM_FIELDS]]
    stale = [(f, "" if v is None else v, form.get(f, "")) for f, v in fields
             if str("" if v is None else v) != str(form.get(f, ""))]
    values = {**form.to_dict(), "version": now["version"]}
    return _form_page(row=now, values=values, status=412, stale=stale or [("version", now["version"], "")])


@bp.route("/resources/<rid:resource_id>/edit", methods=["GET", "POST"])
@login_required
def edit_resource(resource_id: int):
    row = _editable(resource_id)
    if request.method == "GET":
        values = {**row.get("attributes", {}), **row, "lat": row.get("lat") or "",
                  "lon": row.get("lon") or "", **editing.access_fields(row.get("attributes"))}
        return _form_page(row=row, values=values)
    city = request.form.get("city_code", row["city_code"])
    if not current_user.can_edit(city):
        abort(403)
    if _version(request.form) is None:  # every write checks the version: none sent, nothing saved
        return _form_page(row=row, errors=[MISSING_VERSION], values=request.form, status=428)
    try:
        given = {**_submitted(request.form), "city_code": city}
        preview = unseen_position(row, given)
        if preview:
            return _form_page(row=row, values=preview["values"], preview=preview)
        changes, _ = editing.edit_resource(row, given,
                                           current_user.actor(), _version(request.form), visible_cities())
    except ImportFailed as exc:
        return _form_page(row=row, errors=[str(e) for e in exc.errors], values=request.form, status=400)
    except StaleWrite as exc:
        return _stale_page(row, exc, request.form)
    except NoSuchResource:
        abort(404)  # deleted meanwhile: nothing was saved
    flash(f"保存しました / saved: {row['name'] if 'name' not in changes else changes['name']}"
          + ("" if changes else "（変更なし / nothing changed）") + placed_note(changes))
    return redirect(url_for("workspace.edit_resource", resource_id=resource_id))


@bp.post("/resources/<rid:resource_id>/delete")
@login_required
def delete_resource(resource_id: int):
    row = _editable(resource_id)
    if _version(request.form) is None:
        return _form_page(row=row, errors=[MISSING_VERSION], values=request.form, status=428)
    if request.form.get("confirmed") != "1":  # one press asks; the second, on that page, deletes
        return render_template("confirm_delete.html", row=row, version=_version(request.form))
    try:
        editing.delete_place(resource_id, current_user.actor(), _version(request.form))
    except StaleWrite as exc:
        return _stale_page(row, exc, request.form)
    flash(f"削除しました（管理者が元に戻せます）/ deleted (an admin can undo): {row['name']}")
    return redirect(url_for("workspace.dashboard"))


@bp.post("/resources/<rid:resource_id>/restore")
@login_required
def restore_resource(resource_id: int):
    if not current_user.is_admin:
        abort(403)
    _editable(resource_id)
    editing.restore_place(resource_id, current_user.actor())
    flash("元に戻しました / restored")
    return redirect(url_for("workspace.dashboard"))


@bp.get("/resources/<rid:resource_id>/history")
@login_required
def history(resource_id: int):
    row = _editable(resource_id)
    return render_template("history.html", row=row,
                           entries=[readable(e) for e in editing.history(resource_id=resource_id)])


@bp.get("/changes")
@login_required
def changes():
    city = request.args.get("city") or (current_user.cities[0] if current_user.cities else "")
    if not current_user.can_edit(city):
        abort(403)
    entries = editing.history(city=city)
    if request.args.get("format") == "csv":
        table = pd.DataFrame([{"at": e["at"].isoformat(), "user": e["username"], "action": e["action"],
                               "resource_id": e["resource_id"] or "", "city_code": e["city_code"],
                               "summary": e["summary"], "before": json.dumps(e["before"], ensure_ascii=False),
                               "after": json.dumps(e["after"], ensure_ascii=False)} for e in entries],
                             columns=["at", "user", "action", "resource_id", "city_code", "summary", "before",
                                      "after"])
        return current_app.response_class(csv_bytes(table), mimetype="text/csv",
                                          headers={"Content-Disposition":
                                                   f'attachment; filename="changes_{city}.csv"'})
    return render_template("history.html", row=None, entries=[readable(e) for e in entries], city=city)


PREVIEW_HOURS = 2  # a previewed upload not confirmed by then is deleted


def _upload_dir() -> Path:
    """The signed-in user's folder of previewed uploads (instance folder); expired ones removed."""
    path = Path(current_app.config["INSTANCE_DIR"]) / "uploads" / str(current_user.id)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    cutoff = time.time() - PREVIEW_HOURS * 3600
    for old in path.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    return path


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload():
    """Step 1: run the importer on the uploaded list and show its report; nothing is stored yet."""
    if request.method == "GET":
        return render_template("upload.html", cities=_cities(), kinds=RESOURCE_KINDS, report=None)
    city, kind = request.form.get("city_code", ""), request.form.get("kind", "")
    file = request.files.get("file")
    if not current_user.can_edit(city):
        abort(403)
    if file is None or not file.filename or kind not in RESOURCE_KINDS:
        return render_template("upload.html", cities=_cities(), kinds=RESOURCE_KINDS, report=None,
                               errors=["choose a file and a kind"]), 400
    token = secrets.token_urlsafe(16)
    name = uploads.upload_name(file.filename)
    path = _upload_dir() / f"{token}{Path(name).suffix}"
    file.save(path)
    try:
        report, same = uploads.preview_upload(path, kind, city,
                                              visible_cities())
    except ImportFailed as exc:
        path.unlink(missing_ok=True)
        return render_template("upload.html", cities=_cities(), kinds=RESOURCE_KINDS, report=None,
                               errors=[replace(e, file=name) for e in exc.errors]), 400
    meta = {"city": city, "kind": kind, "name": name, "path": str(path),
            "user": current_user.id, "same": same}
    (path.with_suffix(".json")).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return render_template("upload.html", cities=_cities(), kinds=RESOURCE_KINDS, report=report, token=token,
                           meta=meta, placement_labels=PLACEMENTS)


@bp.post("/upload/confirm")
@login_required
def upload_confirm():
    """Step 2: store the previewed list (one transaction, replacing that list's earlier import)."""
    token = request.form.get("token", "")
    meta_path = _upload_dir() / f"{token}.json"
    if not re.fullmatch(r"[A-Za-z0-9_-]{10,40}", token) or not meta_path.exists():
        abort(404)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta["user"] != current_user.id or not current_user.can_edit(meta["city"]):
        abort(403)
    # The list to replace was found at the preview (kept server-side): the form only chooses.
    same = meta.get("same") or {}
    chosen = request.form.get("mode") == "replace" and same.get("replaceable")
    replacing = same.get("key", "") if chosen else ""
    try:
        report = uploads.import_upload(Path(meta["path"]),
                                       kind=meta["kind"], city=meta["city"], name=meta["name"],
                                       actor=current_user.actor(), verb="uploaded",
                                       visible_cities=visible_cities(), replacing=replacing)
    except ImportFailed as exc:  # the stored data changed since the preview (e.g. a venue went)
        return render_template("upload.html", cities=_cities(), kinds=RESOURCE_KINDS, report=None,
                               errors=[replace(e, file=meta["name"]) for e in exc.errors]), 400
    Path(meta["path"]).unlink(missing_ok=True)
    meta_path.unlink(missing_ok=True)
    flash(f"取り込みました / imported {report.stored} rows from {meta['name']}")
    return redirect(url_for("workspace.dashboard"))
