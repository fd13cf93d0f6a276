"""Surveys in the workspace: make the round, print the sheets, enter paper answers, import tallies, report."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.domain import survey as rules
from app.domain.kinds import AREA_KINDS, HAZARDS
from app.domain.text import whole_number
from app.outputs import survey as paper
from app.services import survey as survey_use
from app.services import survey_report as report_use
from app.services import uploads
from app.services.errors import ImportFailed
from app.web import security

# The area kinds as the form names them: words, never codes like school_district.
KIND_LABELS = {**{k: v.label_ja for k, v in AREA_KINDS.items()}, "chome": "町丁目"}
bp = Blueprint("survey_pages", __name__, url_prefix="/workspace/surveys")
security.personal(bp)  # free text and small 町丁目's answers


def _survey_or_abort(survey_id: int) -> dict:
    survey = survey_use.survey(survey_id)
    if survey is None:
        abort(404)
    if not current_user.can_edit(survey["city_code"]):
        abort(403)
    return survey


@bp.route("", methods=["GET", "POST"])
@login_required
def surveys():
    """The surveys of the coordinator's cities, and the form that makes a new one."""
    cities = tuple(current_user.restricted_cities)
    if request.method == "POST":
        form = request.form
        per_chome = form.get("households_per_chome", "1")
        try:
            area_kind, area_code = survey_use.chosen_area(form.get("area", ""), form.getlist("chome"))
            survey_id = survey_use.create_survey(
                current_user.viewer, area_kind, area_code, form.get("hazard", ""),
                whole_number(per_chome, 4) or 0, current_user.actor())
        except ImportFailed as exc:
            flash("作れませんでした / not made: " + "; ".join(e.message for e in exc.errors))
            return redirect(url_for("survey_pages.surveys"))
        return redirect(url_for("survey_pages.report", survey_id=survey_id))
    return render_template("surveys.html", surveys=survey_use.surveys(cities), hazards=HAZARDS,
                           choices=survey_use.area_choices(cities), kind_labels=KIND_LABELS)


def _report_parts(survey: dict) -> dict:
    return report_use.report_parts(survey)


@bp.get("/<rid:survey_id>")
@login_required
def report(survey_id: int):
    """地域ごとに集計 and 紙上でシミュレーション, with the free text and what the public sees."""
    survey = _survey_or_abort(survey_id)
    parts = _report_parts(survey)
    threshold = current_app.config["PRIVACY_THRESHOLD"]
    return render_template("survey_report.html", survey=survey, hazards=HAZARDS, **parts,
                           **paper.report_figures(survey, parts),
                           public=report_use.public_rows(parts["per_chome"], threshold))


@bp.get("/<rid:survey_id>/report.<fmt>")
@login_required
def report_file(survey_id: int, fmt: str):
    """The report as CSV (with BOM, for Excel) or as the 懇談会's PDF."""
    survey = _survey_or_abort(survey_id)
    if fmt not in paper.REPORT_TYPES:
        abort(404)
    url = current_app.config["PUBLIC_URL"].rstrip("/") + url_for("survey_pages.report", survey_id=survey_id)
    return paper.report_bytes(survey, _report_parts(survey), fmt, url), 200, {
        "Content-Type": paper.REPORT_TYPES[fmt],
        "Content-Disposition": f'attachment; filename="survey-{survey_id}.{fmt}"'}


@bp.get("/<rid:survey_id>/sheets.pdf")
@login_required
def sheets(survey_id: int):
    """A sheet per code (``chome`` for one 町丁目; ``easy=1`` for やさしい日本語)."""
    survey = _survey_or_abort(survey_id)
    plans = survey_use.sheet_plans(survey)
    chome = request.args.get("chome", "")
    plans = [p for p in plans if not chome or p["chome"] == chome]
    easy = request.args.get("easy") == "1"
    body = paper.sheets_pdf(survey, plans, current_app.config["PUBLIC_URL"], easy=easy,
                            context=survey_use.surroundings(plans))
    return body, 200, {"Content-Type": "application/pdf",
                       "Content-Disposition": f'attachment; filename="survey-{survey_id}-sheets.pdf"'}


@bp.route("/<rid:survey_id>/entry", methods=["GET", "POST"])
@login_required
def entry(survey_id: int):
    """Paper answers typed in one after another: the form comes back empty, ready for the next sheet."""
    survey = _survey_or_abort(survey_id)
    errors, values = [], {}
    if request.method == "POST":
        values = {**request.form.to_dict(), "help_kinds": request.form.getlist("help_kinds")}
        code = rules.clean_code(values.get("code", "")) or None
        try:
            corrected = survey_use.submit(survey, values, "paper", current_user.actor(),
                                          code=code)
        except ImportFailed as exc:
            errors = [e.message for e in exc.errors]
        else:
            flash("訂正しました / corrected" if corrected else "保存しました / saved")
            return redirect(url_for("survey_pages.entry", survey_id=survey_id))
    return render_template("survey_entry.html", survey=survey, values=values, errors=errors,
                           questions=rules.QUESTIONS, help_kinds=rules.HELP_KINDS), 400 if errors else 200


@bp.post("/<rid:survey_id>/tally")
@login_required
def tally(survey_id: int):
    """A 自治会's tally (CSV or .xlsx): all rows or none, replacing the same file's earlier import."""
    survey = _survey_or_abort(survey_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("ファイルを選んでください / choose a file")
        return redirect(url_for("survey_pages.report", survey_id=survey_id))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / uploads.upload_name(upload.filename)
        upload.save(path)
        try:
            done = survey_use.import_tally(survey, path, current_user.viewer,
                                           current_user.actor())
        except ImportFailed as exc:
            flash("取り込めませんでした / not imported: " + "; ".join(map(str, exc.errors)))
        else:
            flash(" / ".join(done.lines()))
    return redirect(url_for("survey_pages.report", survey_id=survey_id))
