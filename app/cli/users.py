"""``fureai users``: accounts for coordinators, admins and supporters, and API tokens."""

from __future__ import annotations

import click

from app.cli.common import data_command, fail
from app.services import accounts as accounts_use
from app.services import safety_sites, stored
from app.services.accounts import ROLES, add_user, set_password
from app.services.persons import supporter_areas


@click.group("users")
def users_group():
    """Manage users (public visitors need no account)."""


@users_group.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--city", "cities", multiple=True, help="City code a coordinator edits (repeatable).")
@click.option("--area", "areas", multiple=True,
              help="For a supporter: a district code or 町丁目 they look after (repeatable).")
@click.option("--site", "sites", multiple=True,
              help="For a shelter lead: a shelter or emergency site they run, by id or exact name "
                   "(repeatable).")
@click.option("--name", "display_name", default="")
@click.password_option("--password", help="At least 10 characters; asked for when not given.")
@data_command
def add_command(username, role, cities, areas, sites, display_name, password):
    """Add a user with a password hashed with Argon2id (a supporter with areas, a shelter lead with sites)."""
    if (role == "supporter") != bool(areas):
        fail("a supporter needs at least one --area, and only a supporter has areas")
    if (role == "shelter_lead") != bool(sites) or (sites and len(cities) != 1):
        fail("a shelter lead needs one --city and at least one --site, and only a shelter lead has sites")
    try:
        chosen = supporter_areas(list(cities), list(areas)) if areas else []
        chosen += safety_sites.lead_sites(list(cities), list(sites)) if sites else []
        add_user(username, password, role, list(cities), display_name,
                 known_cities=stored.city_names())
        accounts_use.set_areas(username, chosen)
    except (ValueError, safety_sites.NoSuchSite) as exc:
        fail(str(exc))
    where = f"; {'sites' if sites else 'areas'} {', '.join(code for _, code in chosen)}" if chosen else ""
    click.echo(f"added {role} {username} ({', '.join(cities) or 'all cities'}{where})")


@users_group.command("set-areas")
@click.argument("username")
@click.option("--area", "areas", multiple=True, required=True, help="A district code or 町丁目 (repeatable).")
@data_command
def set_areas_command(username, areas):
    """Replace the areas a supporter looks after (the people they see change at once)."""
    user = accounts_use.find_user(username=username)
    if user is None or user["role"] != "supporter":
        fail(f"{username!r} is not a supporter")
    cities = user["cities"]
    try:
        chosen = supporter_areas(cities, list(areas))
    except ValueError as exc:
        fail(str(exc))
    accounts_use.set_areas(username, chosen)
    click.echo(f"{username} now looks after {', '.join(code for _, code in chosen)}")


@users_group.command("list")
@data_command
def list_command():
    """Every user: name, role, cities, state, and a supporter's areas."""
    for user in accounts_use.users():
        state = "active" if user["active"] else "disabled"
        scoped = user["role"] in ("supporter", "shelter_lead")
        areas = accounts_use.find_user(user_id=user["id"])["areas"] if scoped else []
        where = "\t" + ",".join(code for _, code in areas) if areas else ""
        click.echo(f"{user['username']}\t{user['role']}\t{','.join(user['cities']) or '*'}\t{state}{where}")


@users_group.command("disable")
@click.argument("username")
@data_command
def disable_command(username):
    """Disable a user: no sign-in, and their API tokens stop working."""
    try:
        accounts_use.update_user(username, active=False)
    except ValueError as exc:
        fail(str(exc))
    click.echo(f"disabled {username}")


@users_group.command("set-password")
@click.argument("username")
@click.password_option("--password", help="Asked for when not given.")
@data_command
def set_password_command(username, password):
    """Give a user a new password; every session of the user ends."""
    try:
        set_password(username, password)
    except ValueError as exc:
        fail(str(exc))
    click.echo(f"new password set for {username}; their sessions have ended")


@users_group.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--city", "cities", multiple=True)
@data_command
def set_role_command(username, role, cities):
    values = {"role": role}
    unknown = sorted(set(cities) - set(stored.city_names()))
    if unknown:
        fail(f"unknown city {', '.join(unknown)}")
    if cities:
        values["cities"] = list(cities)
    try:
        accounts_use.update_user(username, **values)
    except ValueError as exc:
        fail(str(exc))
    click.echo(f"{username} is now {role}")


@users_group.command("token")
@click.argument("username")
@click.option("--label", default="")
@data_command
def token_command(username, label):
    """Issue an API token (printed once; only its hash is kept)."""
    try:
        click.echo(accounts_use.issue_token(username, label))
    except ValueError as exc:
        fail(str(exc))
