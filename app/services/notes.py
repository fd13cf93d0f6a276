"""Notes from the 懇談会 per area: checked here, kept with every version (coordinators only)."""

from __future__ import annotations

from datetime import date

from app.importers.report import ImportFailed, RowError
from app.services._stores import uses_stores

STATUSES = {"open": "未着手", "in_progress": "対応中", "done": "済"}
LIMITS = {"issue": 2000, "proposal": 2000, "owner": 200}


def checked(form, *, partial: bool = False) -> dict:
    """Note fields from a form, or ``ImportFailed`` naming each bad field and what to write.

    ``partial``: only the fields given (a status change); else a whole note, which needs a date
    and an issue or a proposal.
    """
    fields = ("noted_on", "issue", "proposal", "owner", "status")
    values = {k: str(form.get(k, "") or "").strip() for k in fields if not partial or k in form}
    errors = []
    if "noted_on" in values:
        try:
            date.fromisoformat(values["noted_on"])
        except ValueError:
            errors.append(RowError("note", None, "noted_on", f"{values['noted_on']!r} is not a date; write "
                                   "YYYY-MM-DD, e.g. 2026-11-20"))
    if "status" in values:
        values["status"] = values["status"] or "open"
        if values["status"] not in STATUSES:
            errors.append(RowError("note", None, "status", f"unknown status; use {', '.join(STATUSES)}"))
    for field, limit in LIMITS.items():
        if len(values.get(field, "")) > limit:
            errors.append(RowError("note", None, field, f"longer than {limit} characters"))
    if not partial and not (values["issue"] or values["proposal"]):
        errors.append(RowError("note", None, "issue", "write the 課題 or the 提案 (or both)"))
    if errors:
        raise ImportFailed(errors)
    return values


@uses_stores
def add_note(accounts, area: dict, fields: dict, actor: dict) -> int:
    """Keep a new note on ``area`` (fields already ``checked``), audited."""
    return accounts.add_note(area, fields, actor)


@uses_stores
def note(accounts, note_id: int) -> dict | None:
    """One note, or None."""
    return accounts.note(note_id)


@uses_stores
def change_note(accounts, note_id: int, changes: dict, actor: dict, expected_version: int | None) -> None:
    """Change a note, keeping its earlier version; ``StaleWrite`` when someone changed it first."""
    accounts.change_note(note_id, changes, actor, expected_version)


@uses_stores
def notes_with_history(accounts, area_kind: str, area_code: str) -> list[dict]:
    """The notes of one area, each with its earlier versions under ``history``."""
    return [{**n, "history": accounts.note_history(n["id"])} for n in accounts.notes(area_kind, area_code)]
