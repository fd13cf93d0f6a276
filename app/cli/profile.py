"""``fureai profile``: an area's 地区カルテ as PDF, or every area of a city compared as CSV."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from app.cli.common import data_command, fail
from app.domain.kinds import AREA_KINDS
from app.outputs.profile import comparison_frame, profile_pdf
from app.outputs.tables import csv_bytes
from app.outputs.textpages import PAPER
from app.services import stored
from app.services.profile import ProfileError, city_profiles, district_profile


@click.command("profile")
@click.option("--area-kind", default="school_district", show_default=True,
              type=click.Choice(list(AREA_KINDS)))
@click.option("--area", "area_code", help="Area code (see /api/v1/areas): its profile as PDF.")
@click.option("--city", help="City code: every area of the city compared, as CSV (UTF-8 with BOM).")
@click.option("--minutes", default=10.0, show_default=True, type=click.FloatRange(min=1, max=120),
              help="Walking limit of the coverage and reach figures.")
@click.option("--paper", default="A4", show_default=True, type=click.Choice(list(PAPER)))
@click.option("--out", required=True, type=click.Path(path_type=Path))
@click.option("--include-private", is_flag=True,
              help="Count the restricted places of the area's city too (a coordinator's view).")
@data_command
def profile_command(area_kind, area_code, city, minutes, paper, out, include_private):
    """地区カルテ: population and its mix, places, coverage per group, reach, limits."""
    if bool(area_code) == bool(city):
        fail("give either --area (one area's profile, PDF) or --city (all areas compared, CSV)")
    try:
        if area_code:
            owner = stored.areas_frame(kind=area_kind, codes=[area_code])
            visible = tuple(owner["city_code"]) if include_private else ()
            found = district_profile(area_kind, area_code, minutes, visible,
                                     current_app.config["PRIVACY_THRESHOLD"])
            url = f"{current_app.config['PUBLIC_URL'].rstrip('/')}/areas/{area_kind}/{area_code}"
            body = profile_pdf(found, paper, url)
        else:
            visible = (city,) if include_private else ()
            body = csv_bytes(comparison_frame(city_profiles(area_kind, city, minutes,
                                                            visible)))
    except ProfileError as exc:
        fail(str(exc))
    out.write_bytes(body)
    click.echo(f"wrote {out} ({len(body):,} bytes)")
