"""``fureai persons`` and ``fureai event``: the register of 避難行動要支援者 and 安否確認, from the shell.

Whoever runs these commands has the database and the key, so acts as an admin; each action is
audited under ``cli:<login name>``. Nothing here prints a name or an address.
"""

from __future__ import annotations

import click

from app.cli.common import OPERATOR, data_command, fail, operator, print_report
from app.domain.kinds import HAZARDS
from app.domain.persons import STATUSES
from app.services import accounts as accounts_use
from app.services import persons as register_use
from app.services import safety as safety_use
from app.services.errors import EventClosed, ImportFailed, NoKey, NotAllowed, WrongKey
from app.services.privacy import person_counts


def _run(action):
    try:
        return action()
    except (ImportFailed, NoKey, WrongKey, NotAllowed, EventClosed, ValueError) as exc:
        fail(str(exc))


@click.group("persons")
def persons_group():
    """The register of people who need help to evacuate (sealed; every read audited)."""


@persons_group.command("new-key")
def new_key_command():
    """Print a fresh key for PERSONAL_DATA_KEY (keep it outside the database and the repository)."""
    click.echo(register_use.new_key())


@persons_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--city", required=True, help="The city whose consented list this is (5-digit code).")
@data_command
def import_command(file, city):
    """Register everyone of a consented list (CSV or .xlsx), or no one when a row is wrong."""
    report = _run(lambda: register_use.register_file(file,
                                                     city, OPERATOR, operator()))
    print_report(report)


@persons_group.command("rotate-key")
@data_command
def rotate_key_command():
    """Re-seal every record under the first key of PERSONAL_DATA_KEY ("new,old" while rotating)."""
    done = _run(lambda: register_use.rotate_key(operator()))
    for what, count in done.items():
        click.echo(f"re-sealed {count} {what} under the new key")
    click.echo("every sealed value is under the new key; PERSONAL_DATA_KEY may now hold it alone "
               "(if this was cut short, run it again: it goes on where it stopped)")


@persons_group.command("withdraw")
@click.argument("person_id", type=int)
@data_command
def withdraw_command(person_id):
    """Remove a person whose consent was withdrawn: their fields are deleted for good."""
    if not _run(lambda: register_use.withdraw(OPERATOR, person_id, operator())):
        fail(f"no person {person_id}")
    click.echo(f"person {person_id} removed; the audit keeps only the changed count")


@persons_group.command("counts")
@click.option("--area-kind", default="school_district", show_default=True)
@click.option("--threshold", type=int, default=None, help="Hide counts below this (PRIVACY_THRESHOLD).")
@data_command
def counts_command(area_kind, threshold):
    """Registered people per area, as the public may see them."""
    from flask import current_app  # deferred: only this command reads the configured threshold

    limit = threshold if threshold is not None else current_app.config["PRIVACY_THRESHOLD"]
    for row in person_counts(area_kind, limit):
        click.echo(f"{row['area_code']}\t{row['area_name']}\t{row['label']}")


@persons_group.command("reads")
@click.option("--limit", type=int, default=100, show_default=True)
@data_command
def reads_command(limit):
    """Who read whom, when and why (newest first)."""
    for row in register_use.reads(limit):
        when = f"{row['at']:%Y-%m-%d %H:%M:%S}"
        click.echo(f"{when}\t{row['username']}\tperson {row['person_id']}\t{row['purpose']}")


@click.group("event")
def event_group():
    """安否確認: open an event on the day, see its board, close it."""


@event_group.command("open")
@click.argument("title")
@click.option("--city", required=True)
@click.option("--hazard", type=click.Choice(list(HAZARDS)), help="The hazard of the day (flood …).")
@data_command
def open_command(title, city, hazard):
    """Open an event; supporters then mark their people in the web, coordinators open its sites."""
    event_id = _run(lambda: safety_use.open_event(OPERATOR, title, city, operator(), hazard))
    click.echo(f"opened event {event_id}: {title}")


@event_group.command("close")
@click.argument("event_id", type=int)
@data_command
def close_command(event_id):
    _run(lambda: safety_use.close(OPERATOR, event_id, operator()))
    click.echo(f"closed event {event_id}")


@event_group.command("list")
@data_command
def list_command():
    for event in safety_use.events():
        state = "open" if event["closed_at"] is None else f"closed {event['closed_at']:%Y-%m-%d %H:%M}"
        click.echo(f"{event['id']}\t{event['city_code']}\t{event['title']}\t{state}")


@event_group.command("board")
@click.argument("event_id", type=int)
@data_command
def board_command(event_id):
    """Counts per school district and status (no names)."""
    found = _run(lambda: safety_use.board(OPERATOR, event_id,
                                          operator(), accounts_use.supported_areas()))
    click.echo(f"支援者がいない未確認の方 / unconfirmed with no supporter: {len(found['uncovered'])}")
    labels = list(STATUSES.values())
    click.echo("\t".join(["小学校区", *labels]))
    for name, counts in [*found["areas"].items(), ("計", found["totals"])]:
        click.echo("\t".join([name, *(str(counts.get(k, 0)) for k in STATUSES)]))
