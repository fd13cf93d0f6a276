"""The household's form behind a sheet's QR code, and what anyone may see of a survey's sums.

The form needs no account: its code binds it to the survey and the 町丁目; it is throttled per
address, CSRF-protected, and the same code later shows the answer so that it can be corrected.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for

from app.domain import survey as rules
from app.domain.kinds import HAZARDS
from app.services import accounts as accounts_use
from app.services import survey as survey_use
from app.services import survey_report as report_use
from app.services.errors import ImportFailed
from app.web import security
from app.web.i18n import pick_language, plain_strings, strings

bp = Blueprint("survey_form", __name__)
# Requests to sheet codes from one address in an hour, looking and answering together (an answer
# is a look and a send): a 自治会 hall entering 30 households' answers is still fine.
PER_HOUR = 60

security.personal(bp)


@bp.get("/s")
def enter_code():
    """Type the code printed on the sheet (for a phone without a QR reader)."""
    code = rules.clean_code(request.args.get("code", ""))
    if code:
        return redirect(url_for("survey_form.answer", sheet_code=code, lang=request.args.get("lang")))
    lang = pick_language(request.args.get("lang"))
    return render_template("survey_code.html", lang=lang, t=strings(lang))


def _sheet_or_404(code: str) -> tuple[dict, dict]:
    sheet = survey_use.sheet(rules.clean_code(code))
    if sheet is None:
        abort(404)  # an unknown code says nothing of which codes exist
    return sheet, survey_use.survey(sheet["survey_id"])


def _page(sheet, survey, values, status=200, errors=(), **extra):
    """The form in the household's language; ``errors`` are (field, message) pairs."""
    lang = pick_language(request.values.get("lang"))
    t = strings(lang)
    return render_template("survey_form.html", sheet=sheet, survey=survey, values=values, lang=lang, t=t,
                           questions=rules.QUESTIONS, help_kinds=rules.HELP_KINDS,
                           free_text=survey_use.free_text_kept(), errors=[_said(t, *e) for e in errors],
                           max_people=rules.MAX_PEOPLE,
                           hazard_label=HAZARDS[survey["hazard"]][2 if lang == "en" else 1], **extra), status


def _said(t: dict, field: str, message: str) -> str:
    """A refusal in the household's words where the catalog has them for the field, else as raised."""
    said = t.get(f"survey_error_{field}")
    return said.format(rules.MAX_PEOPLE) if said is not None else message


@bp.route("/s/<sheet_code>", methods=["GET", "POST"])
def answer(sheet_code: str):
    """The questions of the sheet; a code already answered shows that answer, to correct it."""
    # Looking a code up and answering it count together, found or not: a guesser of codes (each
    # names a household's ticks) gets PER_HOUR tries an hour from one address, as a household does.
    if not accounts_use.attempt_allowed(f"survey:{request.remote_addr}", PER_HOUR, 3600):
        # Before the look-up: a throttled guess learns nothing of whether the code exists.
        lang = pick_language(request.values.get("lang"))
        return render_template("error.html", lang=lang, t=strings(lang),
                               message=plain_strings(lang)["survey_error_busy"]), 429
    sheet, survey = _sheet_or_404(sheet_code)
    if request.method == "GET":
        earlier = survey_use.answer_for(sheet["code"])
        return _page(sheet, survey, earlier or {}, corrected=False, earlier=bool(earlier))
    values = {**request.form.to_dict(), "help_kinds": request.form.getlist("help_kinds")}
    try:
        corrected = survey_use.submit(survey, values, "web", {"username": "resident"},
                                      code=sheet["code"])
    except ImportFailed as exc:
        return _page(sheet, survey, values, 400, errors=[(e.column, e.message) for e in exc.errors])
    return _page(sheet, survey, values, sent=True, corrected=corrected, earlier=True)


@bp.get("/api/v1/surveys/<rid:survey_id>")
def public_summary(survey_id: int):
    """Per 町丁目: the response rate and the share who know their shelter, below the threshold hidden."""
    survey = survey_use.survey(survey_id)
    if survey is None:
        return jsonify({"error": f"no survey {survey_id}"}), 404
    threshold = current_app.config["PRIVACY_THRESHOLD"]
    rows = report_use.public_rows(report_use.tallies(survey), threshold)
    shown = ("id", "city_code", "area_kind", "area_code", "area_name", "hazard")
    return jsonify({"survey": {k: survey[k] for k in shown},
                    "threshold": threshold, "chome": rows})
