"""The database as a whole: its schema version, upgrades, backups, restores and checks."""

from __future__ import annotations

from flask import current_app

from app.services._stores import get_schema_status, uses_stores
from app.storage import backup as storage_backup
from app.storage import integrity, migrate, rekey
from app.storage import restore as storage_restore
from app.storage.repository import Repository


@uses_stores
def status(repo: Repository) -> migrate.SchemaStatus:
    """Where the database stands against this release's migrations."""
    return migrate.status(repo.engine)


@uses_stores
def upgrade(repo: Repository, revision: str = "head") -> str:
    """Upgrade, then mark the running app ready; returns what was done."""
    done = migrate.upgrade(repo.engine, revision)
    current_app.extensions["schema_status"] = migrate.status(repo.engine)
    return done


@uses_stores
def downgrade(repo: Repository, revision: str) -> str:
    """Downgrade to ``revision``; the running app is then not ready until upgraded again."""
    done = migrate.downgrade(repo.engine, revision)
    current_app.extensions["schema_status"] = migrate.status(repo.engine)
    return done


@uses_stores
def backup(repo: Repository, target, fmt: str = "native") -> str:
    """A backup of the whole database (see ``storage.backup``); returns what was written."""
    return storage_backup.backup(repo.engine, target, fmt)


@uses_stores
def restore(repo: Repository, source, force: bool = False) -> str:
    """Restore a backup into this (empty) database and upgrade it; the app is then ready."""
    done = storage_restore.restore(repo.engine, source, force)
    current_app.extensions["schema_status"] = migrate.status(repo.engine)
    return done


@uses_stores
def check(repo: Repository, register=None) -> integrity.CheckReport:
    """Integrity, spatial indexes, orphans, geometry validity, and sealed values; changes nothing.

    ``register``: when its key is configured, every sealed value must open under the first key
    (else a rotation was cut short, or the old key is still needed).
    """
    report = integrity.check(repo.engine)
    sealer = register.sealer if register is not None else None
    if sealer is not None and sealer.ready:
        for what, count in rekey.not_current(repo.engine, sealer).items():
            report.checked.append(f"{what}: sealed under the first key of PERSONAL_DATA_KEY")
            if count:
                report.problems.append(f"{count} {what} are not sealed under the first key of "
                                       "PERSONAL_DATA_KEY: run `fureai persons rotate-key` (with 'new,old') "
                                       "to finish the rotation")
    return report


def current_status() -> migrate.SchemaStatus:
    """Where the running app last found the database (kept, so a request needs no query)."""
    return get_schema_status()
