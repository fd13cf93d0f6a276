"""Uploaded lists: a safe file name, a preview that recognises a list stored before, the import itself."""

from __future__ import annotations

import re
from pathlib import Path

from app.domain.text import name_key
from app.importers.report import ImportReport
from app.importers.resources import parse_resources
from app.services import imports
from app.services._stores import uses_stores
from app.storage.accounts import Accounts
from app.storage.repository import Repository

UPLOAD_SUFFIXES = (".csv", ".xlsx")


def upload_name(filename: str) -> str:
    """A safe file name for an upload, keeping Japanese letters (``..``, paths, controls removed).

    Returns
    -------
    str
        At most 100 characters, ending in .csv or .xlsx (a name without either gets .csv).
    """
    stem = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]", "_", filename.replace("\\", "/").rsplit("/", 1)[-1])
    stem = stem.strip().lstrip(".")
    suffix = Path(stem).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        suffix = ".csv"
    stem = Path(stem).stem[:90].strip(". ") or "upload"
    return stem + suffix


@uses_stores
def preview_upload(repo: Repository, geocoder, path: Path, kind: str, city: str,
                   visible_cities=()) -> tuple[ImportReport, dict | None]:
    """What importing ``path`` would do, without storing anything, and the stored list it repeats.

    Returns
    -------
    report, same
        ``same``: the stored list most of whose rows this file holds again (``same_list``), or None.
    """
    context = imports.placement_context(repo, geocoder, visible_cities=visible_cities)
    records, report = parse_resources(path, kind, context, city, lock_city=True)
    return report, same_list(repo, records, kind, city)


def upload_key(city: str, kind: str, name: str) -> str:
    """The dataset key of an uploaded list: re-uploading the same file name replaces it."""
    return f"upload:{city}:{kind}:{name}"


def same_list(repo: Repository, records: list[dict], kind: str, city: str) -> dict | None:
    """The stored list of ``kind`` in ``city`` that holds most of ``records`` again, by content.

    Councils rename the monthly file (「サロン一覧_11月.csv」→「…_12月.csv」): a list is recognised by
    its rows (name and address, normalised), whatever it is called. None when under half match.
    """
    if not records:
        return None
    uploaded = {(name_key(r["name"]), name_key(r["address"])) for r in records}
    per_list: dict[str, dict] = {}
    for row in repo.stored_rows_by_list(kind, city):
        entry = per_list.setdefault(row["key"], {"key": row["key"], "file": row["source_file"], "matches": 0,
                                                 "rows": 0})
        entry["rows"] += 1
        entry["matches"] += (name_key(row["name"]), name_key(row["address"])) in uploaded
    best = max(per_list.values(), key=lambda e: e["matches"], default=None)
    if not best or best["matches"] * 2 < len(records):
        return None
    # Only a list wholly of this city may be replaced by an upload for the city.
    counts = {d["key"]: d["record_count"] for d in repo.datasets()}
    return {**best, "replaceable": counts.get(best["key"], 0) <= best["rows"]}


@uses_stores
def import_upload(repo: Repository, accounts: Accounts, geocoder, path: Path, *, kind: str, city: str,
                  name: str, actor: dict, verb: str, visible_cities=(), replacing: str = "") -> ImportReport:
    """Import an uploaded list for ``city``, replacing that list's earlier upload, and audit it.

    The rows, their dataset record and the audit record commit in one transaction, or none
    of them does. ``verb`` says how the list came ("uploaded", "imported"). ``replacing``: the
    key of a stored list this one replaces (the same list under another file name).
    """
    parsed = imports.parse_list(repo, path, kind, geocoder=geocoder, city=city,
                                key=replacing or upload_key(city, kind, name),
                                attribution=f"{name} ({verb} by a coordinator)",
                                visible_cities=visible_cities, lock_city=True)
    with repo.engine.begin() as conn:
        report = imports.store_list(repo, parsed, connection=conn)
        accounts.record_import(actor, city, f"{name}: {report.stored} {kind} stored", connection=conn)
    return report
