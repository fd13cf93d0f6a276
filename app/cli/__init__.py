"""Command line: the ``fureai`` group and its subcommands, over services (and outputs for files).

May import ``app.outputs``, ``app.services`` and ``app.domain``; never ``app.storage`` or
``app.importers`` directly, never ``app.web``.
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from app.cli import analyze, areas, batch, city, data, db, event_sites, persons, profile, serve, survey, users
from app.config import ConfigError
from app.services.errors import NoKey, StorageError

COMMANDS = (db.db_group, data.init_db_command, data.import_group, data.demo_command, data.datasets_command,
            serve.serve_command, analyze.analyze_command, areas.areas_group, data.export_command,
            data.print_command, users.users_group, profile.profile_command, city.city_group,
            persons.persons_group, persons.event_group, survey.survey_group, batch.batch_command)
persons.event_group.add_command(event_sites.site_command)  # fureai event site: shelters on the day


def register(app) -> None:
    """Add every ``fureai`` command to ``app.cli``."""
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app():
    # deferred: the factory in ``app`` registers these commands, so it imports this package first
    from app import create_app

    try:
        return create_app()
    except (ConfigError, StorageError, NoKey) as exc:
        raise click.ClickException(str(exc)) from None


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main():
    """Fureai Map (ふれあいマップ) command line."""
