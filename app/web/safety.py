"""安否確認 pages: the events, opening one, the board of an event, marking a person, closing."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.domain.kinds import HAZARDS
from app.domain.persons import STATUSES, marks_by_chome
from app.domain.site_status import AMENITIES, STATES
from app.domain.text import whole_number
from app.outputs.symbology import SAFETY_COLOURS
from app.services import accounts as accounts_use
from app.services import day_plans, safety_sites, stored
from app.services import safety as safety_use
from app.services.errors import EventClosed, ImportFailed
from app.web import security

bp = Blueprint("safety", __name__)

security.personal(bp)


@bp.route("/safety", methods=["GET", "POST"])
@login_required
def events():
    """The events the viewer may follow; coordinators open one here."""
    if request.method == "POST":
        try:
            event_id = safety_use.open_event(current_user.viewer,
                                             request.form.get("title", ""), request.form.get("city_code", ""),
                                             current_user.actor(), request.form.get("hazard") or None)
        except ImportFailed as exc:
            flash("開けませんでした / not opened: " + "; ".join(str(e) for e in exc.errors))
            return redirect(url_for("safety.events"))
        return redirect(url_for("safety.board", event_id=event_id))
    names = stored.city_names()
    rows = safety_use.visible_events(current_user.viewer, names)
    if current_user.role == "shelter_lead":  # a lead reads no one: the events of their city, for its sites
        rows = safety_sites.public_events_of(current_user.cities)
    cities = {c: n for c, n in names.items() if current_user.can_edit(c)}
    return render_template("safety.html", events=rows, cities=cities, names=names, hazards=HAZARDS,
                           lead=current_user.role == "shelter_lead")


@bp.get("/safety/<rid:event_id>")
@login_required
def board(event_id: int):
    """Counts per school district and status, and each person with their latest mark."""
    found = safety_use.board(current_user.viewer, event_id,
                             current_user.actor(), accounts_use.supported_areas())
    may_edit = current_user.can_edit(found["event"]["city_code"])
    sites = safety_sites.event_sites(current_user.viewer, event_id) if may_edit else []
    # Plans only of the people this viewer reads (a supporter: their own areas), as of now.
    picture = day_plans.day_plans(found["event"], found["people"])
    marks = {"marks": marks_by_chome(found["people"]), "words": STATUSES, "colours": SAFETY_COLOURS}
    return render_template("safety_board.html", board=found, statuses=STATUSES, may_close=may_edit,
                           sites=sites, states=STATES, amenities=AMENITIES, picture=picture, marks=marks,
                           stale_hours=safety_sites.stale_hours(),
                           headed={s["id"]: s for s in picture.sites},
                           today=picture.days())


@bp.post("/safety/<rid:event_id>/marks")
@login_required
def mark(event_id: int):
    """Record one person's 安否 now."""
    person = whole_number(request.form.get("person_id", ""), 12)
    if person is None:
        abort(400)
    try:
        safety_use.mark(current_user.viewer, event_id, person,
                        request.form.get("status", ""), current_user.actor())
    except (ImportFailed, EventClosed) as exc:
        flash(str(exc))
    return redirect(url_for("safety.board", event_id=event_id) + f"#person-{person}")


@bp.post("/safety/<rid:event_id>/close")
@login_required
def close(event_id: int):
    """Close the event; its marks are kept."""
    try:
        safety_use.close(current_user.viewer, event_id, current_user.actor())
    except EventClosed as exc:
        flash(str(exc))
    return redirect(url_for("safety.board", event_id=event_id))


@bp.route("/safety/<rid:event_id>/sites", methods=["GET", "POST"])
@login_required
def sites(event_id: int):
    """Open, fill and close the event's sites: a shelter lead's own, or any of the city's (coordinators)."""
    if request.method == "POST":
        site = whole_number(request.form.get("site_id", ""), 12)
        if site is None:
            abort(400)
        try:
            done = safety_sites.update_site(current_user.viewer, event_id, site, _site_change(request.form),
                                            current_user.actor())
            flash(f"保存しました / saved: {done['name']}（{STATES[done['state']][0]}）")
        except safety_sites.NoSuchSite:
            abort(404)
        except (ImportFailed, EventClosed) as exc:
            problems = getattr(exc, "errors", [exc])
            flash("保存できませんでした / not saved: " + "; ".join(str(e) for e in problems))
        return redirect(url_for("safety.sites", event_id=event_id) + f"#site-{site}")
    try:
        desk = safety_sites.site_desk(current_user.viewer, event_id)
    except safety_sites.NoSuchSite:
        abort(404)
    return render_template("safety_sites.html", desk=desk, states=STATES, amenities=AMENITIES,
                           may_board=current_user.can_edit(desk["event"]["city_code"]))


def _site_change(form) -> dict:
    """The site form's fields as a change: the button says open or close; empty numbers stay as they were."""
    action = form.get("action", "")
    return {"open": {"open": True, "close": False}.get(action), "people": form.get("people", ""),
            "capacity_day": form.get("capacity_day", ""), "capacity_night": form.get("capacity_night", ""),
            "state": form.get("state", ""), "has": form.getlist("has")}
