"""What every ``fureai`` command shares: the data-command check, failing, printing reports."""

from __future__ import annotations

import functools
import getpass
import sys

import click
from flask.cli import with_appcontext

from app.domain.access import Viewer
from app.services import schema
from app.services.errors import ImportReport

# Whoever runs a command has the database (and the key): an admin, audited as ``cli:<login>``.
OPERATOR = Viewer("admin")


def operator() -> dict:
    """The actor of the command line in audit records."""
    return {"id": None, "username": f"cli:{getpass.getuser()}"}


def fail(message: str) -> None:
    """Print ``error: message`` on stderr and exit 1."""
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def data_command(function):
    """``with_appcontext``, refusing to run on a database that needs ``fureai db upgrade``."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        status = schema.current_status()
        if not status.ready:
            fail(status.advice())
        return function(*args, **kwargs)

    return with_appcontext(wrapper)


def print_report(report: ImportReport) -> None:
    """An import's summary, line by line."""
    for line in report.lines():
        click.echo(line)
