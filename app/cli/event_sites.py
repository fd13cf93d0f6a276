"""``fureai event site``: open and close a shelter or emergency site in an event, from the command line."""

from __future__ import annotations

import click

from app.cli.common import OPERATOR, data_command, fail, operator
from app.domain.site_status import AMENITIES, STATES
from app.services import safety_sites
from app.services.errors import EventClosed, ImportFailed, NotAllowed

STATE_WORDS = [ja for key, (ja, _) in STATES.items() if key != "closed"]


@click.command("site")
@click.argument("event_id", type=int)
@click.argument("site")
@click.option("--open/--close", "opened", default=None, help="Open the site, or close it.")
@click.option("--people", help="How many people are there now.")
@click.option("--state", help=f"{' | '.join(STATE_WORDS)}")
@click.option("--has", help=f"What it has, comma-separated: {','.join(v[0] for v in AMENITIES.values())}")
@click.option("--capacity-day", help="Capacity for the day (default: the capacity list's figure).")
@click.option("--capacity-night", help="Capacity for the night.")
@data_command
def site_command(event_id, site, opened, people, state, has, capacity_day, capacity_night):
    """Change SITE (an id or an exact name) in EVENT; every change is kept with who and when."""
    values = {"open": opened, "people": people, "state": state, "has": has,
              "capacity_day": capacity_day, "capacity_night": capacity_night}
    try:
        status = safety_sites.update_site(OPERATOR, event_id, site, values, operator())
    except (ImportFailed, NotAllowed, EventClosed, safety_sites.NoSuchSite) as exc:
        fail(str(exc))
    words = "open" if status["open"] else "closed"
    people_now = "" if status["people"] is None else f", {status['people']} people"
    click.echo(f"{status['name']}: {words}, {STATES[status['state']][0]}{people_now}")
