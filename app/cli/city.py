"""``fureai city add``: onboard a municipality from the standard national open files."""

from __future__ import annotations

from pathlib import Path

import click

from app.cli.common import data_command, fail
from app.services.errors import ImportFailed
from app.services.onboarding import city_add


@click.group("city")
def city_group():
    """Municipalities: add one from the files a council downloads."""


@city_group.command("add")
@click.argument("code")
@click.option("--from", "dirs", multiple=True, required=True, type=click.Path(path_type=Path, exists=True),
              help="A folder of downloaded open data (repeatable); searched recursively.")
@data_command
def add_command(code, dirs):
    """Import the boundary, both GSI lists, schools, districts, population and walking network of CODE."""
    if not (code.isascii() and code.isdigit() and len(code) == 5):
        fail(f"{code!r} is not a 5-digit municipality code (e.g. 13221 for 清瀬市)")
    try:
        lines = city_add(code, list(dirs),
                         progress=lambda line: click.echo(f"… {line}", err=True))
    except (ImportFailed, ValueError) as exc:
        fail(str(exc))
    for line in lines:
        click.echo(line)
