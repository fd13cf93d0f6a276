"""``/workspace/supporters``: a coordinator gives each supporter the districts and 町丁目 they look after.

Until now only the command line (``fureai users set-areas``) could; a 社協 coordinator picks names
from the city's lists instead of typing codes, and every change is audited with who made it.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.domain.kinds import AREA_KINDS
from app.services import accounts as accounts_use
from app.services import survey as survey_use
from app.services.persons import supporter_areas

bp = Blueprint("supporters", __name__, url_prefix="/workspace/supporters")
KIND_LABELS = {**{k: v.label_ja for k, v in AREA_KINDS.items()}, "chome": "町丁目"}


def _cities() -> tuple[str, ...]:
    """The cities the signed-in coordinator edits; anyone else is refused."""
    cities = tuple(c for c in current_user.restricted_cities if current_user.can_edit(c))
    if not cities:
        abort(403)
    return cities


@bp.get("")
@login_required
def supporters():
    """Each supporter of the coordinator's cities with the areas they look after, as ticked names."""
    cities = _cities()
    choices = survey_use.area_choices(cities)
    labels = {code: label for options in choices.areas.values() for code, label in options}
    labels.update({value: town for towns in choices.towns.values() for value, town in towns})
    people = accounts_use.supporters_of_cities(cities)
    for person in people:
        person["codes"] = {code for _, code in person["areas"]}
    return render_template("supporters.html", people=people, choices=choices, labels=labels,
                           kind_labels=KIND_LABELS)


@bp.post("/<username>")
@login_required
def set_areas(username: str):
    """Replace a supporter's areas with those ticked; nothing changes when one cannot be read."""
    cities = _cities()
    person = next((p for p in accounts_use.supporters_of_cities(cities) if p["username"] == username), None)
    if person is None:
        abort(404)
    written = request.form.getlist("area") + request.form.getlist("chome")
    if not written:
        flash(f"{person['display_name'] or username}: 担当地区を一つ以上選んでください。何も変えていません。"
              " / Tick at least one area; nothing was changed.")
        return redirect(url_for("supporters.supporters"))
    try:
        chosen = supporter_areas(person["cities"], written)
    except ValueError as exc:
        flash(f"{person['display_name'] or username}: 選んだ地区が読めません。何も変えていません。 / {exc}")
        return redirect(url_for("supporters.supporters"))
    accounts_use.set_areas(username, chosen, current_user.actor())
    flash(f"{person['display_name'] or username} さんの担当地区を {len(chosen)} か所にしました。"
          f" / {len(chosen)} areas saved.")
    return redirect(url_for("supporters.supporters") + f"#supporter-{username}")
