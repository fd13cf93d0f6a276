"""「情報の修正を送る」: the public proposes a correction; a coordinator of the city decides."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.services import accounts as accounts_use
from app.services import corrections, editing
from app.services.errors import ImportFailed, NoSuchResource
from app.web.i18n import pick_language, strings

bp = Blueprint("corrections", __name__)


def _place_or_404(resource_id: int) -> dict:
    try:
        return corrections.public_place(resource_id)
    except NoSuchResource:
        abort(404)  # a private place answers as an unknown one


@bp.route("/resources/<rid:resource_id>/correction", methods=["GET", "POST"])
def send_correction(resource_id: int):
    """The public form; a sent correction changes nothing until a coordinator approves it."""
    lang = pick_language(request.values.get("lang"))
    row = _place_or_404(resource_id)
    now = corrections.current_values(row)
    page = {"lang": lang, "t": strings(lang), "row": row, "now": now, "fields": corrections.FIELDS}
    if request.method == "GET":
        return render_template("correction.html", values=now, **page)
    key = f"correction:{request.remote_addr}"
    if not accounts_use.attempt_allowed(key, corrections.PER_HOUR, 3600):
        return render_template("correction.html", values=request.form, errors=[
            "送信が多すぎます。1時間ほどしてからもう一度送ってください / too many corrections from here; "
            "try again in an hour"], **page), 429
    try:
        corrections.send(resource_id, request.form)
    except ImportFailed as exc:
        return render_template("correction.html", values=request.form, errors=[str(e) for e in exc.errors],
                               **page), 400
    return render_template("correction.html", values=now, sent=True, **page)


def _cities() -> list[str] | None:
    return None if current_user.is_admin else list(current_user.restricted_cities)


@bp.get("/workspace/corrections")
@login_required
def pending():
    """Pending corrections of the coordinator's cities, each beside what is shown now."""
    items = []
    for item in corrections.waiting(cities=_cities()):
        stored = editing.stored_place(item["resource_id"])
        items.append({**item, "row": stored, "now": corrections.current_values(stored)})
    return render_template("corrections.html", items=items)


@bp.post("/workspace/corrections/<rid:correction_id>")
@login_required
def decide(correction_id: int):
    """Approve or reject one correction (``decision`` approve|reject, ``note``)."""
    found = corrections.correction(correction_id)
    if found is None:
        abort(404)
    if not current_user.can_edit(found["city_code"]):
        abort(403)
    approve = request.form.get("decision") == "approve"
    try:
        written = corrections.decide(correction_id,
                                     current_user.actor(), approve=approve, note=request.form.get("note", ""))
    except ImportFailed as exc:
        flash("反映できませんでした（保留のまま）/ not applied, still pending: "
              + "; ".join(map(str, exc.errors)))
    except NoSuchResource:
        flash("この修正はすでに決定済みです / already decided")
    else:
        flash(f"反映しました / approved: {', '.join(sorted(written)) or '—'}" if approve
              else "却下しました / rejected")
    return redirect(url_for("corrections.pending"))
