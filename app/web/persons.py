"""The register's pages: the list a supporter works from, each person's plan, entry, withdrawal, reads.

Every page reads people through ``services.persons``, which asks ``domain.access`` whom the
viewer may read and audits each read. Personal pages are never cached by a browser or a proxy.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.domain.kinds import HAZARDS
from app.domain.persons import NEEDS
from app.domain.text import whole_number
from app.outputs.persons import LAYOUTS, person_list_pdf
from app.services import day_plans, stored
from app.services import persons as register_use
from app.services.errors import ImportFailed, NotAllowed
from app.web import security

bp = Blueprint("persons", __name__)

security.personal(bp)


def _viewer():
    return current_user.viewer


def _people(purpose: str) -> list[dict]:
    return register_use.people(_viewer(), purpose, current_user.actor(),
                               area_code=request.args.get("area", ""))


def _refuse_without_scope() -> None:
    if _viewer().person_scope(stored.city_names()).empty:
        raise NotAllowed("the register is for coordinators, admins and supporters of the people's areas")


@bp.get("/persons")
@login_required
def person_list():
    """The people the viewer may read, with where each goes and how long it takes."""
    _refuse_without_scope()
    rows = register_use.with_destinations(_people("list"))
    areas = sorted({code for r in rows for kind, code in r["areas"] if kind in ("chome", "school_district")})
    return render_template("persons.html", rows=rows, areas=areas, layouts=LAYOUTS,
                           may_register=bool(_editable_cities()), reach=register_use.beyond_reach(rows),
                           minutes=register_use.DEFAULT_MINUTES, today=day_plans.today(rows))


@bp.get("/persons.pdf")
@login_required
def person_list_pdf_page():
    """The list on paper: ``layout=table`` (a line pair each) or ``pages`` (a sheet each)."""
    _refuse_without_scope()
    layout = request.args.get("layout", "table")
    paper = request.args.get("paper", "A4")
    if layout not in LAYOUTS or paper not in ("A4", "A5"):
        abort(400)
    plans = [register_use.plan(p) for p in _people("print")]
    today = day_plans.today([p["person"] for p in plans])  # printed on the day: the open shelters too
    for plan in plans:
        plan["today"] = today.get(plan["person"]["id"])
    url = current_app.config["PUBLIC_URL"].rstrip("/") + url_for("persons.person_list")
    body = person_list_pdf("避難行動要支援者 名簿（支援者用）", plans, layout, paper, url)
    return body, 200, {"Content-Type": "application/pdf",
                       "Content-Disposition": 'attachment; filename="persons.pdf"'}


def _editable_cities() -> dict[str, str]:
    names = stored.city_names()
    return {c: names[c] for c in names if current_user.can_edit(c)}


@bp.route("/persons/new", methods=["GET", "POST"])
@login_required
def new_person():
    """Enter one person (coordinators of the city and admins), checked like a row of a file."""
    cities = _editable_cities()
    if not cities:
        raise NotAllowed("only coordinators and admins register people")
    if request.method == "GET":
        return render_template("person_form.html", cities=cities, values={}, errors=[], needs=NEEDS)
    city = request.form.get("city_code", "")
    try:
        new_id = register_use.register_one(request.form,
                                           city, _viewer(), current_user.actor())
    except ImportFailed as exc:
        return render_template("person_form.html", cities=cities, values=request.form, needs=NEEDS,
                               errors=[str(e) for e in exc.errors]), 400
    flash("登録しました / registered")
    return redirect(url_for("persons.person_plan", person_id=new_id))


def _person_or_404(person_id: int, purpose: str) -> dict:
    found = register_use.person(_viewer(), person_id, purpose,
                                current_user.actor())
    if found is None:
        abort(404)  # someone the viewer may not read answers as no one
    return found


@bp.get("/persons/<rid:person_id>")
@login_required
def person_plan(person_id: int):
    """個別避難計画: who helps, where to go and why, the minutes at the person's pace, the hazard sites."""
    plan = register_use.plan(_person_or_404(person_id, "plan"))
    city = plan["person"]["city_code"]
    shelters = stored.find_resources(kinds=["shelter"], city=city, limit=2000) \
        if current_user.can_edit(city) else []
    return render_template("person.html", plan=plan, shelters=shelters, may_edit=current_user.can_edit(city),
                           hazard_names={k: v[1] for k, v in HAZARDS.items()},
                           today=day_plans.today([plan["person"]]).get(person_id))


@bp.post("/persons/<rid:person_id>/destination")
@login_required
def choose_destination(person_id: int):
    """Send the person to another 指定避難所 than the nearest welfare shelter; the reason is kept."""
    chosen = request.form.get("resource_id", "")
    shelter = whole_number(chosen, 12) or 0
    try:
        register_use.choose_destination(_viewer(), person_id, shelter,
                                        request.form.get("reason", ""), current_user.actor())
    except ImportFailed as exc:
        flash("保存できませんでした / not saved: " + "; ".join(str(e) for e in exc.errors))
    return redirect(url_for("persons.person_plan", person_id=person_id))


@bp.post("/persons/<rid:person_id>/withdraw")
@login_required
def withdraw(person_id: int):
    """Consent withdrawn: the person's record is deleted for good."""
    if not register_use.withdraw(_viewer(), person_id, current_user.actor()):
        abort(404)
    flash("名簿から削除しました / removed from the register")
    return redirect(url_for("persons.person_list"))


@bp.get("/persons/reads")
@login_required
def reads():
    """Who read whom, when and why: for admins."""
    if not _viewer().may_read_audit():
        raise NotAllowed("only admins read the register's audit")
    return render_template("person_reads.html", rows=register_use.reads(2000))
