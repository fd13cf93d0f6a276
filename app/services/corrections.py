"""Corrections from the public: an organiser proposes, a coordinator of the city decides.

Nothing public changes when a correction is sent: it waits, with its audit record, until a
coordinator approves it (then it goes through the importers' checks like any edit) or rejects
it. Only public places take corrections; a private one answers as if it did not exist.
"""

from __future__ import annotations

from app.importers.report import ImportFailed, RowError
from app.services._stores import uses_stores
from app.services.editing import proposed_changes
from app.storage.accounts import Accounts
from app.storage.edits import NoSuchResource
from app.storage.repository import Repository

FIELDS = ("name", "address", "venue_name", "schedule", "target_group", "notes")
LIMITS = {"name": 200, "message": 1000}  # other fields: 500 characters
PER_HOUR = 5  # corrections one address may send in an hour


def current_values(row: dict) -> dict:
    """The correctable fields of a stored row as they read now."""
    attributes = row.get("attributes") or {}
    return {f: (row.get(f) if f in ("name", "address") else attributes.get(f)) or "" for f in FIELDS}


@uses_stores
def public_place(repo: Repository, resource_id: int) -> dict:
    """A public, live place; ``NoSuchResource`` for a private, deleted or unknown one alike."""
    found = repo.find_resources(ids=[resource_id], placed_only=False)
    if not found:
        raise NoSuchResource(resource_id)
    return found[0]


def _checked(form) -> tuple[dict, str]:
    errors = []
    values = {f: str(form.get(f, "") or "").strip() for f in (*FIELDS, "message")}
    for field, value in values.items():
        limit = LIMITS.get(field, 500)
        if len(value) > limit:
            errors.append(RowError("correction", None, field, f"longer than {limit} characters"))
        if any(ord(c) < 32 and c not in "\n\t" for c in value):
            errors.append(RowError("correction", None, field, "control characters are not allowed"))
    if errors:
        raise ImportFailed(errors)
    return {f: values[f] for f in FIELDS}, values["message"]


@uses_stores
def send(repo: Repository, accounts: Accounts, resource_id: int, form) -> int:
    """Store a proposed correction of a public place; only fields that differ are kept.

    Raises
    ------
    ImportFailed
        A field too long, or nothing changed and no message.
    """
    row = public_place(repo, resource_id)
    given, message = _checked(form)
    now = current_values(row)
    proposed = {f: v for f, v in given.items() if v and v != now[f]}
    if not proposed and not message:
        raise ImportFailed([RowError("correction", None, None, "nothing differs from what is shown; change a "
                                     "field or write what is wrong in the message")])
    return accounts.submit_correction(row, proposed, message)


@uses_stores
def decide(repo: Repository, accounts: Accounts, geocoder, correction_id: int, actor: dict, *,
           approve: bool, note: str = "") -> dict:
    """Approve (the change is validated like an edit, then written) or reject a pending correction.

    Returns
    -------
    dict
        The columns written (empty when rejected, or when nothing differs any more).
    """
    correction = accounts.correction(correction_id)
    if correction is None or correction["status"] != "pending":
        raise NoSuchResource(correction_id)
    changes = None
    if approve:
        current = accounts.resource(correction["resource_id"])
        changes = proposed_changes(repo, geocoder, current, dict(correction["proposed"]),
                                   (correction["city_code"],))
    accounts.decide_correction(correction_id, actor, changes=changes, note=note.strip()[:500])
    return changes or {}


@uses_stores
def waiting(accounts: Accounts, cities) -> list[dict]:
    """The corrections of ``cities`` waiting for a decision, newest first."""
    return accounts.corrections(cities=cities)


@uses_stores
def correction(accounts: Accounts, correction_id: int) -> dict | None:
    """One correction, or None."""
    return accounts.correction(correction_id)
