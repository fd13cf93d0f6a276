"""``fureai db``: the database schema's version (Alembic migrations)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.cli.common import fail
from app.services import get_repository, get_schema_status, schema


@click.group("db")
def db_group():
    """Schema version and upgrades (back the database up before upgrading)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Revision to upgrade to.")
@with_appcontext
def upgrade_command(revision):
    """Bring the database to this release's schema, keeping every row."""
    try:
        click.echo(schema.upgrade(get_repository(), revision))
    except RuntimeError as exc:
        fail(str(exc))


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def downgrade_command(revision):
    """Step the schema back to REVISION (for going back to an older release)."""
    click.echo(schema.downgrade(get_repository(), revision))


@db_group.command("current")
@with_appcontext
def current_command():
    """Print the database's revision and whether it needs an upgrade."""
    status = schema.status(get_repository())
    click.echo(f"{status.current or '(none)'}\t{status.state}\t{status.advice()}")
    if get_schema_status().state != status.state:
        click.echo("(the database changed since this process opened it)", err=True)
