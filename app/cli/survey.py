"""``fureai survey``: the 「自分の避難場所を知ろう」 round from the shell (the same as the workspace)."""

from __future__ import annotations

from pathlib import Path

import click

from app.cli.common import OPERATOR, data_command, fail, operator, print_report
from app.outputs import survey as paper
from app.services import survey as survey_use
from app.services import survey_report as report_use
from app.services.errors import ImportFailed, NotAllowed


def _survey(survey_id: int) -> dict:
    found = survey_use.survey(survey_id)
    if found is None:
        fail(f"no survey {survey_id}; see `fureai survey list`")
    return found


@click.group("survey")
def survey_group():
    """Shelter maps for every household, their answers, tallied per area, simulated on paper."""


@survey_group.command("create")
@click.option("--area-kind", required=True, type=click.Choice(survey_use.AREA_KINDS))
@click.option("--area", "area_code", required=True,
              help="An area code, or CITY:町丁目,町丁目 for --area-kind chome.")
@click.option("--hazard", required=True)
@click.option("--households-per-chome", "per_chome", type=int, default=1, show_default=True,
              help="Sheets (each with its own code) per 町丁目.")
@data_command
def create_command(area_kind, area_code, hazard, per_chome):
    """Make the round; prints the new survey's id."""
    try:
        survey_id = survey_use.create_survey(OPERATOR,
                                             area_kind, area_code, hazard, per_chome, operator())
    except (ImportFailed, NotAllowed) as exc:
        fail("; ".join(e.message for e in exc.errors) if isinstance(exc, ImportFailed) else str(exc))
    click.echo(survey_id)


@survey_group.command("sheets")
@click.argument("survey_id", type=int)
@click.option("--out", required=True, type=click.Path(dir_okay=False))
@click.option("--easy", is_flag=True, help="やさしい日本語 (easy Japanese).")
@data_command
def sheets_command(survey_id, out, easy):
    """A sheet per code: the local shelter map, the questions, the QR code (PDF)."""
    from flask import current_app  # deferred: only this command reads the public address

    survey = _survey(survey_id)
    plans = survey_use.sheet_plans(survey)
    count = sum(len(p["codes"]) for p in plans)
    with click.progressbar(length=count, label=f"{count} sheets") as bar:
        body = paper.sheets_pdf(survey, plans, current_app.config["PUBLIC_URL"], easy=easy,
                                progress=lambda: bar.update(1), context=survey_use.surroundings(plans))
    Path(out).write_bytes(body)
    click.echo(f"wrote {count} sheets to {out}")


@survey_group.command("import-tally")
@click.argument("survey_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@data_command
def import_tally_command(survey_id, file):
    """A 自治会's counts per 町丁目 (CSV or .xlsx), all rows or none."""
    try:
        print_report(survey_use.import_tally(_survey(survey_id), Path(file), OPERATOR,
                                             operator()))
    except ImportFailed as exc:
        fail(str(exc))


@survey_group.command("report")
@click.argument("survey_id", type=int)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="report.pdf, report.csv or .html")
@data_command
def report_command(survey_id, out):
    """The tallies and the paper simulation, as PDF, CSV (with BOM) or HTML."""
    from flask import current_app, render_template  # deferred: the HTML is the workspace's own page

    survey = _survey(survey_id)
    parts = report_use.report_parts(survey)
    suffix = Path(out).suffix.lower().lstrip(".")
    if suffix in paper.REPORT_TYPES:
        Path(out).write_bytes(paper.report_bytes(survey, parts, suffix, current_app.config["PUBLIC_URL"]))
    elif suffix == "html":
        from app.domain.kinds import HAZARDS  # deferred beside its one use

        with current_app.test_request_context():
            Path(out).write_text(render_template(
                "survey_report.html", survey=survey, hazards=HAZARDS, **parts,
                **paper.report_figures(survey, parts),
                public=report_use.public_rows(parts["per_chome"], current_app.config["PRIVACY_THRESHOLD"])),
                encoding="utf-8")
    else:
        fail("--out must end in .pdf, .csv or .html")
    click.echo(f"wrote {out}")


@survey_group.command("list")
@data_command
def list_command():
    for survey in survey_use.surveys():
        click.echo(f"{survey['id']}\t{survey['city_code']}\t{survey['area_name']}\t{survey['hazard']}\t"
                   f"{len(survey['chome'])} 町丁目")
