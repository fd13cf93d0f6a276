"""Editing resources in the workspace and the API: one row through the importers' own checks."""

from __future__ import annotations

from pathlib import Path

from app.domain.kinds import RESOURCE_KINDS
from app.importers.report import ImportFailed, ImportReport, RowError
from app.importers.resources import parse_records, parse_resources
from app.services import imports
from app.storage.accounts import Accounts
from app.storage.repository import Repository

FORM_FIELDS = ("name", "address", "lat", "lon", "schedule", "target_group", "capacity", "notes",
               "venue_name", "target_area")


def parse_form(repo: Repository, geocoder, form, kind: str, city: str, visible_cities=()) -> dict:
    """One resource from form or JSON fields, validated exactly like an imported row.

    Raises
    ------
    ImportFailed
        With every problem, located at the form's field.
    """
    if kind not in RESOURCE_KINDS:
        raise ImportFailed([RowError("form", None, None, f"unknown kind {kind!r}")])
    header = [*FORM_FIELDS, "restricted"]
    row = {f: str(form.get(f, "") or "").strip() for f in FORM_FIELDS}
    row["restricted"] = "1" if form.get("restricted") in ("1", "on", "true", True) else ""
    context = imports.placement_context(repo, geocoder, visible_cities=visible_cities)
    [record], _ = parse_records("form", header, [row], kind, context, city)
    return record


def preview_upload(repo: Repository, geocoder, path: Path, kind: str, city: str,
                   visible_cities=()) -> ImportReport:
    """What importing ``path`` would do, without storing anything."""
    context = imports.placement_context(repo, geocoder, visible_cities=visible_cities)
    _, report = parse_resources(path, kind, context, city)
    return report


def import_upload(repo: Repository, accounts: Accounts, geocoder, path: Path, *, kind: str, city: str,
                  name: str, actor: dict, verb: str, visible_cities=()) -> ImportReport:
    """Import an uploaded list for ``city``, replacing that list's earlier upload, and audit it.

    ``verb`` says how it came ("uploaded", "imported") in the attribution line.
    """
    report = imports.import_resources(repo, path, kind, geocoder=geocoder, city=city,
                                      key=f"upload:{city}:{kind}:{name}",
                                      attribution=f"{name} ({verb} by {actor['username']})",
                                      visible_cities=visible_cities)
    accounts.record_import(actor, city, f"{name}: {report.stored} {kind} stored")
    return report
