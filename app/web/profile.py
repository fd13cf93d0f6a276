"""``/areas/<kind>/<code>``: an area's 地区カルテ (page or PDF); ``/areas/<kind>``: its city's areas."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, current_app, render_template, request
from markupsafe import Markup

from app.outputs.profile import (
    comparison_columns,
    comparison_frame,
    population_chart_svg,
    profile_pdf,
    profile_sections,
)
from app.outputs.tables import csv_bytes
from app.outputs.textpages import PAPER
from app.services import notes as notes_use
from app.services import stored
from app.services.notes import STATUSES
from app.services.profile import ProfileError, city_profiles, district_profile
from app.web import params
from app.web.access import visible_cities
from app.web.i18n import pick_language, refusal, strings
from app.web.notes import may_read_notes
from app.web.params import BadParameter

bp = Blueprint("profile", __name__)


def _refused(lang: str, exc: Exception):
    return render_template("error.html", lang=lang, t=strings(lang), message=refusal(exc, lang)), 400


@bp.get("/areas/<kind>/<code>")
def area_profile(kind: str, code: str):
    """The profile; ``minutes`` (walking limit), ``format`` html|pdf, ``paper`` A4|A5."""
    args = request.args
    lang = pick_language(args.get("lang"))
    try:
        minutes = params.walking(args, "minutes", default=10.0)
        fmt = params.choice(args, "format", ("html", "pdf")) or "html"
        paper = params.choice(args, "paper", tuple(PAPER)) or "A4"
        profile = district_profile(kind, code, minutes, visible_cities(),
                                   current_app.config["PRIVACY_THRESHOLD"])
    except (BadParameter, ProfileError) as exc:
        return _refused(lang, exc)
    url = f"{current_app.config['PUBLIC_URL'].rstrip('/')}/areas/{quote(kind)}/{quote(code)}"
    if fmt == "pdf":
        disposition = 'inline; filename="fureai_profile.pdf"'
        return current_app.response_class(profile_pdf(profile, paper, url), mimetype="application/pdf",
                                          headers={"Content-Disposition": disposition})
    city = profile.area["city_code"]
    notes = notes_use.notes_with_history(kind, code) if may_read_notes(city) else None
    return render_template("profile.html", lang=lang, t=strings(lang), profile=profile,
                           sections=profile_sections(profile), chart=Markup(population_chart_svg(profile)),
                           notes=notes, statuses=STATUSES)


@bp.get("/areas/<kind>")
def area_comparison(kind: str):
    """Every ``kind`` area of ``city`` side by side; ``sort`` a column key; ``format`` html|csv."""
    args = request.args
    lang = pick_language(args.get("lang"))
    try:
        city = params.city(args)
        if city is None:
            raise BadParameter("city", "required: the 5-digit code of the city, e.g. 13214")
        minutes = params.walking(args, "minutes", default=10.0)
        fmt = params.choice(args, "format", ("html", "csv")) or "html"
        sort = params.choice(args, "sort", tuple(comparison_columns())) or "area_name"
        figures = city_profiles(kind, city, minutes, visible_cities())
    except (BadParameter, ProfileError) as exc:
        return _refused(lang, exc)
    frame = comparison_frame(figures)
    if fmt == "csv":
        return current_app.response_class(csv_bytes(frame), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="fureai_{kind}_{city}.csv"'})
    title = comparison_columns()[sort]
    frame = frame.sort_values(title, ascending=sort == "area_name", na_position="last")
    return render_template("comparison.html", lang=lang, t=strings(lang), figures=figures, kind=kind,
                           columns=comparison_columns(), sort=sort,
                           rows=frame.astype(object).where(frame.notna(), None).to_dict("records"),
                           city_name=stored.city_names().get(city, city))
