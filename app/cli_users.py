"""``fureai users``: accounts for coordinators and admins, and API tokens."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from app.storage.accounts import ROLES


def _accounts():
    return current_app.extensions["accounts"]


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@click.group("users")
def users_group():
    """Manage users (public visitors need no account)."""


@users_group.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--city", "cities", multiple=True, help="City code a coordinator edits (repeatable).")
@click.option("--name", "display_name", default="")
@click.password_option("--password", help="At least 10 characters; asked for when not given.")
@with_appcontext
def add_command(username, role, cities, display_name, password):
    """Add a user with a password hashed with Argon2id."""
    from app.web.auth import hash_password

    if role == "coordinator" and not cities:
        _fail("a coordinator needs at least one --city")
    try:
        _accounts().add_user(username, hash_password(password), role, list(cities), display_name)
    except ValueError as exc:
        _fail(str(exc))
    click.echo(f"added {role} {username} ({', '.join(cities) or 'all cities'})")


@users_group.command("list")
@with_appcontext
def list_command():
    for user in _accounts().users():
        state = "active" if user["active"] else "disabled"
        click.echo(f"{user['username']}\t{user['role']}\t{user['cities'] or '*'}\t{state}")


@users_group.command("disable")
@click.argument("username")
@with_appcontext
def disable_command(username):
    """Disable a user: no sign-in, and their API tokens stop working."""
    try:
        _accounts().update_user(username, active=False)
    except ValueError as exc:
        _fail(str(exc))
    click.echo(f"disabled {username}")


@users_group.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--city", "cities", multiple=True)
@with_appcontext
def set_role_command(username, role, cities):
    values = {"role": role}
    if cities:
        values["cities"] = ",".join(cities)
    try:
        _accounts().update_user(username, **values)
    except ValueError as exc:
        _fail(str(exc))
    click.echo(f"{username} is now {role}")


@users_group.command("token")
@click.argument("username")
@click.option("--label", default="")
@with_appcontext
def token_command(username, label):
    """Issue an API token (printed once; only its hash is kept)."""
    try:
        click.echo(_accounts().issue_token(username, label))
    except ValueError as exc:
        _fail(str(exc))
