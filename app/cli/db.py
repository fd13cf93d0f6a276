"""``fureai db``: the database schema's version (Alembic migrations)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.cli.common import fail
from app.services import schema
from app.services.errors import BackupError


@click.group("db")
def db_group():
    """Schema version and upgrades (back the database up before upgrading)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Revision to upgrade to.")
@with_appcontext
def upgrade_command(revision):
    """Bring the database to this release's schema, keeping every row."""
    try:
        click.echo(schema.upgrade(revision))
    except RuntimeError as exc:
        fail(str(exc))


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def downgrade_command(revision):
    """Step the schema back to REVISION (for going back to an older release)."""
    click.echo(schema.downgrade(revision))


@db_group.command("current")
@with_appcontext
def current_command():
    """Print the database's revision and whether it needs an upgrade."""
    status = schema.status()
    click.echo(f"{status.current or '(none)'}\t{status.state}\t{status.advice()}")
    if schema.current_status().state != status.state:
        click.echo("(the database changed since this process opened it)", err=True)


@db_group.command("backup")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", default="native", show_default=True, type=click.Choice(["native", "bundle"]),
              help="native: SQLite backup API / pg_dump; bundle: portable zip for either backend.")
@with_appcontext
def backup_command(file, fmt):
    """Back the whole database up to FILE (consistent while the server runs)."""
    try:
        click.echo(schema.backup(file, fmt))
    except BackupError as exc:
        fail(str(exc))


@db_group.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace everything in a database that is not empty.")
@with_appcontext
def restore_command(file, force):
    """Restore FILE into an empty database, then upgrade it to this release."""
    try:
        click.echo(schema.restore(file, force))
    except BackupError as exc:
        fail(str(exc))


@db_group.command("check")
@with_appcontext
def check_command():
    """Integrity, spatial indexes, foreign keys, orphans and invalid geometries (changes nothing)."""
    report = schema.check()
    for line in report.checked:
        click.echo(f"checked: {line}")
    for line in report.problems:
        click.echo(f"problem: {line}", err=True)
    click.echo("database is sound" if report.ok else f"{len(report.problems)} problems found")
    if not report.ok:
        sys.exit(1)
