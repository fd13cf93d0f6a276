"""``fureai analyze``: coverage, reach and suggestions on screen and as CSV, GeoJSON, HTML."""

from __future__ import annotations

from pathlib import Path

import click

from app.cli.common import data_command, fail
from app.domain.demand import MEASURES
from app.domain.kinds import AREA_KINDS, HAZARDS, RESOURCE_KINDS
from app.domain.targets import CATEGORIES, TARGET_GROUPS
from app.domain.walking import BOUNDS, DEFAULT_DETOUR, DEFAULT_MINUTES, DEFAULT_PACE
from app.outputs import reports, tables
from app.services import stored
from app.services.analysis import UNIT_TYPES, Query
from app.services.catchment_fit import catchment_fit
from app.services.coverage import coverage
from app.services.errors import AnalysisError
from app.services.reach import reach
from app.services.suggestions import suggest


def _analysis_options(command):
    options = [
        click.option("--kind", default="salon", show_default=True, type=click.Choice(list(RESOURCE_KINDS))),
        click.option("--area-kind", default="school_district", show_default=True,
                     type=click.Choice(list(AREA_KINDS))),
        click.option("--city", help="City code, e.g. 13214."),
        click.option("--minutes", type=click.FloatRange(*BOUNDS["minutes"]),
                     help=f"Walking limit in minutes (default {DEFAULT_MINUTES:g})."),
        click.option("--metres", type=click.FloatRange(*BOUNDS["metres"]),
                     help="Walking limit in metres."),
        click.option("--pace", default=DEFAULT_PACE, show_default=True,
                     type=click.FloatRange(*BOUNDS["pace"]),
                     help="m/min (43, 60, 80)."),
        click.option("--model", default="straight", show_default=True,
                     type=click.Choice(["straight", "network"])),
        click.option("--detour", default=DEFAULT_DETOUR, show_default=True,
                     type=click.FloatRange(*BOUNDS["detour"])),
        click.option("--measure", type=click.Choice(list(MEASURES))),
        click.option("--hazard", type=click.Choice(list(HAZARDS)),
                     help="For reach: emergency sites designated for this hazard."),
        click.option("--target", type=click.Choice(list(TARGET_GROUPS)),
                     help="Count only places for this group (or for everyone); the measure follows."),
        click.option("--category", type=click.Choice(list(CATEGORIES))),
        click.option("--include-private", is_flag=True,
                     help="Count restricted places too (an operator with the database sees them anyway)."),
        click.option("--units", type=click.Choice(list(UNIT_TYPES)),
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
@data_command
def analyze_command(analysis, csv_path, geojson_path, html_path, gpkg_path, k, minutes, metres, **options):
    """Coverage of salons, shelter reach and load, or new-site suggestions, per area."""
    if minutes is not None and metres is not None:
        fail("give --minutes or --metres, not both")
    private = options.pop("include_private")
    visible = tuple(stored.city_names()) if private else ()
    try:
        query = Query(minutes=minutes, metres=metres, visible_cities=visible,
                      **{**options, "kind": "shelter" if analysis == "reach" else options["kind"]})
        result = {"coverage": coverage, "reach": reach, "suggest": lambda q: suggest(q, k=k),
                  "catchments": catchment_fit}[analysis](query)
    except AnalysisError as exc:
        fail(str(exc))
    _print_analysis(analysis, result)
    _print_limits(result)
    if analysis in ("suggest", "catchments"):
        return
    _write_files(analysis, query, result, {"csv": csv_path, "geojson": geojson_path, "gpkg": gpkg_path,
                                           "html": html_path})


def _write_files(analysis: str, query: Query, result: dict, paths: dict) -> None:
    areas = stored.areas_frame(kind=query.area_kind, city=query.city)
    for fmt, path in paths.items():
        if not path:
            continue
        if fmt == "html":
            limit = result["parameters"]["limit_walk_m"]
            title = f"{analysis}: {query.kind} / {query.area_kind} ({limit:.0f} m)"
            reports.write_html(result, analysis, areas, path, title)
        else:
            path.write_bytes(tables.result_bytes(result, analysis, areas, fmt))
        click.echo(f"wrote {path}")


def _pct(value) -> str:
    """A percentage, or — when unknown (never 0 for a figure the data cannot give)."""
    return "—" if value is None else f"{value:.1f}"


def _metres(value) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _print_limits(result: dict) -> None:
    for line in result.get("data_limits", []):
        click.echo(f"data limit: {line}")
    resources = result.get("resources")
    if resources:
        click.echo(f"counted {len(resources['counted'])} places, left out {len(resources['left_out'])}"
                   + (f"; {resources['private_not_shown']} private places not shown"
                      if resources["private_not_shown"] else ""))
        for row in resources["left_out"][:20]:
            click.echo(f"  left out: {row['name']} ({row['reason']})")


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
                       f"{r['not_covered']:>10,.0f}{_pct(r['pct_covered']):>8}"
                       f"{_metres(r['median_walk_m']):>10}")
        return
    for name, layer in result["layers"].items():
        unknown = f" ({layer['unknown_areas']} areas unknown)" if layer["unknown_areas"] else ""
        click.echo(f"{name}: {layer['facilities']} sites, {_pct(layer['pct_covered'])} % of people within "
                   f"the limit{unknown}")
    click.echo(f"{'area':<28}{'people':>10}{'shelter%':>10}{'welfare%':>10}{'emerg.%':>10}")
    for r in result["areas"]:
        click.echo(f"{r['area_name'][:26]:<28}{r['population']:>10,.0f}{_pct(r['pct_shelter']):>10}"
                   f"{_pct(r['pct_welfare_shelter']):>10}{_pct(r['pct_emergency_site']):>10}")
    for row in result.get("city_capacity", []):
        click.echo(f"capacity {row['city']}: {row['capacity']:,.0f} people ({row['basis']}, {row['as_of']}); "
                   f"{row['demand']:,.0f} {row['measure']} in its areas")
    catch = result["catchments"]
    note = f"; {catch['two_step_fca_note']}" if catch.get("two_step_fca_note") else ""
    click.echo(f"shelter capacity known for {catch['capacity_known']}, "
               f"unknown for {catch['capacity_unknown']}{note}")
