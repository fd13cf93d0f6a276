"""Notes from the 懇談会 on an area's profile: written and read by coordinators of its city only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.services import notes as notes_use
from app.services import stored
from app.services.errors import ImportFailed, StaleWrite
from app.services.notes import checked
from app.web.i18n import strings

bp = Blueprint("notes", __name__)


def may_read_notes(city: str) -> bool:
    """Only a signed-in coordinator of ``city`` (or an admin) sees its notes."""
    return bool(current_user.is_authenticated and current_user.can_edit(city))


def _area_or_abort(kind: str, code: str) -> dict:
    found = stored.areas_frame(kind=kind, codes=[code])
    if found.empty:
        abort(404)
    area = {"kind": kind, "code": code, "city_code": found.iloc[0]["city_code"] or code}
    if not may_read_notes(area["city_code"]):
        abort(403)
    return area


def _back(kind: str, code: str):
    return redirect(url_for("profile.area_profile", kind=kind, code=code) + "#notes")


@bp.post("/areas/<kind>/<code>/notes")
@login_required
def add_note(kind: str, code: str):
    """A new note (date, 課題, 提案, 担当, 状態) about the area."""
    area = _area_or_abort(kind, code)
    try:
        notes_use.add_note(area, checked(request.form), current_user.actor())
    except ImportFailed as exc:
        flash("保存できませんでした / not saved: " + "; ".join(map(str, exc.errors)))
    return _back(kind, code)


@bp.post("/areas/<kind>/<code>/notes/<rid:note_id>")
@login_required
def change_note(kind: str, code: str, note_id: int):
    """Change a note's status (or fields); refused when someone changed it since."""
    area = _area_or_abort(kind, code)
    note = notes_use.note(note_id)
    if note is None or (note["area_kind"], note["area_code"]) != (area["kind"], area["code"]):
        abort(404)
    version = request.form.get("version", "")
    if not (version.isascii() and version.isdigit() and len(version) < 10):
        # Every write checks the version: a form without one saves nothing.
        return render_template("error.html", lang="ja", t=strings("ja"), message=(
            "保存できませんでした: この画面には版（version）がありません。ページを読み込み直してください "
            "/ not saved: the form carries no version; reload the page")), 428
    try:
        changes = checked({k: v for k, v in request.form.items() if k not in ("csrf_token", "version")},
                          partial=True)
        notes_use.change_note(note_id, changes, current_user.actor(), int(version))
    except ImportFailed as exc:
        flash("保存できませんでした / not saved: " + "; ".join(map(str, exc.errors)))
    except StaleWrite:
        flash("保存できませんでした: この間に他の人が変更しました / not saved: changed by someone else since")
    return _back(kind, code)
