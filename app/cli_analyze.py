"""``fureai analyze``: coverage, reach and suggestions on screen and as CSV, GeoJSON, HTML."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.domain.kinds import AREA_KINDS, RESOURCE_KINDS


def _repo():
    return current_app.extensions["repository"]


def _analysis_options(command):
    options = [
        click.option("--kind", default="salon", show_default=True, type=click.Choice(list(RESOURCE_KINDS))),
        click.option("--area-kind", default="school_district", show_default=True,
                     type=click.Choice(list(AREA_KINDS))),
        click.option("--city", help="City code, e.g. 13214."),
        click.option("--minutes", type=float, help="Walking limit in minutes (default 15)."),
        click.option("--metres", type=float, help="Walking limit in metres."),
        click.option("--pace", default=43.0, show_default=True, type=float, help="m/min (43, 60, 80)."),
        click.option("--model", default="straight", show_default=True,
                     type=click.Choice(["straight", "network"])),
        click.option("--detour", default=1.3, show_default=True, type=float),
        click.option("--measure", type=click.Choice(["age65", "age75", "total"])),
        click.option("--hazard", help="For reach: emergency sites designated for this hazard."),
        click.option("--units", type=click.Choice(["mesh250", "mesh500", "chome"]),
                     help="Population units (default: the finest loaded)."),
        click.option("--csv", "csv_path", type=click.Path(path_type=Path)),
        click.option("--geojson", "geojson_path", type=click.Path(path_type=Path)),
        click.option("--html", "html_path", type=click.Path(path_type=Path)),
        click.option("--gpkg", "gpkg_path", type=click.Path(path_type=Path)),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command("analyze")
@click.argument("analysis", type=click.Choice(["coverage", "reach", "suggest", "catchments"]))
@_analysis_options
@click.option("--k", default=3, show_default=True, type=int, help="suggest: how many sites.")
@with_appcontext
def analyze_command(analysis, csv_path, geojson_path, html_path, gpkg_path, k, minutes, metres, **options):
    """Coverage of salons, shelter reach and load, or new-site suggestions, per area."""
    from app import exports, reports
    from app.analysis import AnalysisError, Query

    analyzer = current_app.extensions["analyzer"]
    query = Query(minutes=minutes if minutes or metres else 15.0, metres=metres,
                  **{**options, "kind": "shelter" if analysis == "reach" else options["kind"]})
    try:
        result = {"coverage": analyzer.coverage, "reach": analyzer.reach,
                  "suggest": lambda q: analyzer.suggest(q, k=k),
                  "catchments": analyzer.catchment_fit}[analysis](query)
    except AnalysisError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    _print_analysis(analysis, result)
    if analysis in ("suggest", "catchments"):
        return
    areas = _repo().find_areas(kind=query.area_kind, city=query.city, limit=100_000)
    title = f"{analysis}: {query.kind} / {query.area_kind} ({result['parameters']['limit_walk_m']:.0f} m)"
    for path, write in ((csv_path, lambda p: reports.write_csv(result, analysis, p)),
                        (geojson_path, lambda p: reports.write_geojson(result, areas, p)),
                        (html_path, lambda p: reports.write_html(result, analysis, areas, p, title)),
                        (gpkg_path, lambda p: p.write_bytes(exports.to_bytes(
                            exports.result_frame(result, areas), "gpkg", analysis, "Fureai Map analysis")))):
        if path:
            write(path)
            click.echo(f"wrote {path}")


def _print_analysis(analysis: str, result: dict) -> None:
    walking = ", ".join(f"{k}={v}" for k, v in result["walking"].items())
    click.echo(f"model: {walking}; limit {result['parameters']['limit_walk_m']:.0f} m walking; "
               f"demand: {result['demand']['label']} ({result['demand']['units']})")
    if analysis == "catchments":
        click.echo(f"{'salon':<20}{'people':>10}{'own %':>8}{'any %':>8}  declared catchment vs walking")
        for r in result["catchments"]:
            own = "–" if r["pct_own"] is None else f"{r['pct_own']:.1f}"
            anyone = "–" if r["pct_any"] is None else f"{r['pct_any']:.1f}"
            click.echo(f"{r['salon'][:18]:<20}{r['population']:>10,.0f}{own:>8}{anyone:>8}  {r['note']}")
        return
    if analysis == "suggest":
        click.echo(f"covered now: {result['covered_now']:,.0f} of {result['population']:,.0f}")
        for pick in result["picks"]:
            click.echo(f"  {pick['rank']}. {pick['name']} ({pick['kind']}): +{pick['gain']:,.0f} people")
        return
    if analysis == "coverage":
        t = result["totals"]
        click.echo(f"total: {t['covered']:,.0f} of {t['population']:,.0f} covered ({t['pct_covered']}%)")
        click.echo(f"{'area':<28}{'people':>10}{'covered':>10}{'not':>10}{'%':>8}{'median m':>10}")
        for r in result["areas"]:
            click.echo(f"{r['area_name'][:26]:<28}{r['population']:>10,.0f}{r['covered']:>10,.0f}"
                       f"{r['not_covered']:>10,.0f}{r['pct_covered'] or 0:>8.1f}"
                       f"{r['median_walk_m'] or 0:>10,.0f}")
        return
    for name, layer in result["layers"].items():
        click.echo(f"{name}: {layer['facilities']} sites, {layer['pct_covered']}% of people within the limit")
    click.echo(f"{'area':<28}{'people':>10}{'shelter%':>10}{'welfare%':>10}{'emerg.%':>10}")
    for r in result["areas"]:
        click.echo(f"{r['area_name'][:26]:<28}{r['population']:>10,.0f}{r['pct_shelter'] or 0:>10.1f}"
                   f"{r['pct_welfare_shelter'] or 0:>10.1f}{r['pct_emergency_site'] or 0:>10.1f}")
    catch = result["catchments"]
    note = f"; {catch['two_step_fca_note']}" if catch.get("two_step_fca_note") else ""
    click.echo(f"shelter capacity known for {catch['capacity_known']}, "
               f"unknown for {catch['capacity_unknown']}{note}")
