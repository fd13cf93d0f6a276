"""The database as a whole: its schema version, upgrades, backups, restores and checks."""

from __future__ import annotations

from flask import current_app

from app.storage import backup as storage_backup
from app.storage import integrity, migrate
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


def backup(repo: Repository, target, fmt: str = "native") -> str:
    """A backup of the whole database (see ``storage.backup``); returns what was written."""
    return storage_backup.backup(repo.engine, target, fmt)


def restore(repo: Repository, source, force: bool = False) -> str:
    """Restore a backup into this (empty) database and upgrade it; the app is then ready."""
    done = storage_backup.restore(repo.engine, source, force)
    current_app.extensions["schema_status"] = migrate.status(repo.engine)
    return done


def check(repo: Repository) -> integrity.CheckReport:
    """Integrity, spatial indexes, orphans and geometry validity; changes nothing."""
    return integrity.check(repo.engine)
