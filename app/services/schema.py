"""The database schema's version as a use case: status, upgrade, downgrade (``storage.migrate``)."""

from __future__ import annotations

from flask import current_app

from app.storage import migrate
from app.storage.repository import Repository


def status(repo: Repository) -> migrate.SchemaStatus:
    """Where the database stands against this release's migrations."""
    return migrate.status(repo.engine)


def upgrade(repo: Repository, revision: str = "head") -> str:
    """Upgrade, then mark the running app ready; returns what was done."""
    done = migrate.upgrade(repo.engine, revision)
    current_app.extensions["schema_status"] = migrate.status(repo.engine)
    return done


def downgrade(repo: Repository, revision: str) -> str:
    """Downgrade to ``revision``; the running app is then not ready until upgraded again."""
    done = migrate.downgrade(repo.engine, revision)
    current_app.extensions["schema_status"] = migrate.status(repo.engine)
    return done
