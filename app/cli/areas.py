"""``fureai areas``: 町丁目 descriptions and tables → area sets."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app

from app.cli.common import data_command, fail, print_report
from app.domain.kinds import AREA_KINDS
from app.services import imports, stored
from app.services.area_tables import build_area_set, build_declared_catchments, load_chome_index
from app.services.errors import ImportFailed


def _index():
    return load_chome_index(Path(current_app.config["OPEN_DATA_DIR"]))


@click.group("areas")
def areas_group():
    """Areas the way councils write them: 町丁目 lists."""


@areas_group.command("parse")
@click.argument("text")
@click.option("--city", required=True, help="City code, e.g. 13214.")
@data_command
def parse_command(text, city):
    """Show the 町丁目 a description means (「東恋ヶ窪1～3丁目、西町3丁目(全域)」)."""
    parsed = _index().parse(text, city[:5])
    for member in parsed.members:
        flag = f"  (part: {member.note})" if member.partial else ""
        click.echo(f"{member.chome.town}\t{member.chome.population:,.0f}{flag}")
    population = sum(m.chome.population for m in parsed.members)
    click.echo(f"{len(parsed.members)} 町丁目, population {population:,.0f} (2015 census)")
    for name in parsed.unknown:
        click.echo(f"unknown: {name}", err=True)
    for error in parsed.errors:
        click.echo(f"error: {error}", err=True)
    sys.exit(1 if parsed.errors or parsed.unknown else 0)


@areas_group.command("build")
@click.option("--kind", required=True, type=click.Choice([k for k in AREA_KINDS if k != "city"]))
@click.option("--set", "set_name", required=True, help="Name of the area set to build.")
@click.option("--table", required=True, type=click.Path(path_type=Path),
              help="CSV/Excel: area name (and code) → 町丁目 description or member areas.")
@click.option("--city", help="City code for tables without a city column.")
@click.option("--members-set", help="Members are areas of this set (e.g. school districts).")
@click.option("--where", multiple=True, help="Keep rows where COLUMN=VALUE (repeatable).")
@data_command
def build_command(kind, set_name, table, city, members_set, where):
    """Build an area set from a table; prints membership and a validation report."""
    filters = dict(w.split("=", 1) for w in where)
    try:
        report = build_area_set(_index(), table, kind, set_name,
                                city=city, members_set=members_set, where=filters)
    except (ImportFailed, FileNotFoundError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    print_report(report)


@areas_group.command("catchments")
@click.option("--kind", default="salon", show_default=True)
@data_command
def catchments_command(kind):
    """Store the 町丁目 each salon says it serves (its target_area) as declared catchments."""
    try:
        report = build_declared_catchments(_index(), kind)
    except (ImportFailed, FileNotFoundError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    print_report(report)


@areas_group.command("approximate")
@click.option("--city", required=True, help="City code, e.g. 13221.")
@data_command
def approximate_command(city):
    """Derive approximate school districts for CITY from its schools (nearest school)."""
    official = stored.areas_frame(kind="school_district", city=city, provenance="official")
    if len(official):
        fail(f"city {city} has official school districts; approximate ones are not made over them")
    try:
        print_report(imports.build_approximate_districts(set(), only_city=city))
    except ValueError as exc:
        fail(str(exc))
