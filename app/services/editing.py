"""Editing resources in the workspace and the API: one row through the importers' own checks."""

from __future__ import annotations

import re
from pathlib import Path

from app.domain.kinds import RESOURCE_KINDS
from app.domain.targets import CATEGORIES, TARGET_GROUPS
from app.domain.text import name_key
from app.domain.walking import WalkingModel, nearest
from app.importers.report import ImportFailed, ImportReport, RowError
from app.importers.resources import parse_records, parse_resources
from app.services import imports
from app.storage.accounts import Accounts
from app.storage.repository import Repository

UPLOAD_SUFFIXES = (".csv", ".xlsx")
FORM_FIELDS = ("name", "address", "lat", "lon", "schedule", "target_group", "capacity", "notes",
               "venue_name", "target_area")


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
    [record], _ = parse_records("form", header, [row], kind, context, city, lock_city=True)
    record.update(_chosen(form))
    return record


def _chosen(form) -> dict:
    """Category and target groups chosen by the coordinator; empty means read from the text.

    Raises
    ------
    ImportFailed
        For a key that is not in the vocabulary, naming the allowed ones.
    """
    out, errors = {}, []
    category = str(form.get("category") or "").strip()
    if category and category not in CATEGORIES:
        errors.append(RowError("form", None, "category", f"unknown category {category!r}; choose one of "
                               f"{', '.join(CATEGORIES)} or leave it empty to read it from the text"))
    elif category:
        out["category"] = category
    given = form.get("targets") or []
    if not isinstance(given, str | list) or not all(isinstance(k, str) for k in ([] if isinstance(given, str)
                                                                               else given)):
        raise ImportFailed([RowError("form", None, "targets", "targets is a list of target-group keys "
                                     f"(strings), e.g. [\"older\"]; choose from {', '.join(TARGET_GROUPS)}")])
    keys = [k.strip() for k in (given.split(",") if isinstance(given, str) else given) if k.strip()]
    unknown = [k for k in keys if k not in TARGET_GROUPS]
    if unknown:
        errors.append(RowError("form", None, "targets", f"unknown target group "
                               f"{', '.join(map(repr, unknown))}; choose from {', '.join(TARGET_GROUPS)} "
                               "or none to read them from 対象"))
    elif keys:
        out["targets"] = [k for k in TARGET_GROUPS if k in keys]  # the vocabulary's order, once each
    if errors:
        raise ImportFailed(errors)
    return out


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


ATTRIBUTE_FIELDS = ("schedule", "target_group", "notes", "venue_name", "target_area")
COLUMN_FIELDS = ("kind", "name", "address", "city_code", "capacity", "restricted", "welfare_shelter",
                 "category", "targets")
# Coordinates that differ by less than this (degrees, ~1 cm) are the same place.
SAME_PLACE = 1e-7


def _moved(current: dict, given: dict) -> tuple[float, float] | None:
    """The new (lon, lat) when the submission moves the resource, else None."""
    try:
        lon, lat = float(given.get("lon", "")), float(given.get("lat", ""))
    except (TypeError, ValueError):
        return None
    if current.get("lon") is not None and abs(lon - current["lon"]) < SAME_PLACE \
            and abs(lat - current["lat"]) < SAME_PLACE:
        return None
    return lon, lat


def edit_changes(current: dict, given: dict, record: dict) -> dict:
    """Only what an edit changes: fields given and different, a move recorded as a move.

    Parameters
    ----------
    current : dict
        The stored row (with ``lon``/``lat``).
    given : dict
        The submitted fields (a form, or a PATCH body): fields not given are kept.
    record : dict
        ``given`` merged over ``current`` and validated by ``parse_form``.

    Returns
    -------
    dict
        Columns to write; ``lonlat`` with placement ``moved`` when the point changed, or the
        new placement when an unplaced resource could now be placed from its address.
    """
    changes = {f: record[f] for f in COLUMN_FIELDS if f in record and record[f] != current.get(f)}
    attributes = dict(current.get("attributes") or {})
    for name in (n for n in ATTRIBUTE_FIELDS if n in given):
        value = record["attributes"].get(name)
        if value:
            attributes[name] = value
        else:
            attributes.pop(name, None)  # a field emptied on purpose
    if attributes != (current.get("attributes") or {}):
        changes["attributes"] = attributes
    moved = _moved(current, given)
    if moved is not None:
        changes.update(lonlat=moved, placement="moved", placement_detail="moved by coordinator")
    elif current.get("lon") is None and record.get("lonlat"):
        changes.update(lonlat=record["lonlat"], placement=record["placement"],
                       placement_detail=record["placement_detail"])
    return changes


def edit_resource(repo: Repository, accounts: Accounts, geocoder, current: dict, given: dict, actor: dict,
                  expected_version: int | None, visible_cities=()) -> tuple[dict, int]:
    """Validate ``given`` over the stored row and write only what changed (audited).

    Returns
    -------
    changes, version
        What was written, and the resource's new version.

    Raises
    ------
    ImportFailed
        For a field that does not validate; ``StaleWrite`` when the row moved on.
    """
    changes = proposed_changes(repo, geocoder, current, given, visible_cities)
    if not changes:
        return {}, current["version"]
    return changes, accounts.update(current["id"], changes, actor, expected_version)


def proposed_changes(repo: Repository, geocoder, current: dict, given: dict, visible_cities=()) -> dict:
    """What ``given`` would change in the stored row, validated like an imported row.

    Raises
    ------
    ImportFailed
        For a field that does not validate.
    """
    merged = {**(current.get("attributes") or {}), "name": current["name"], "address": current["address"],
              "capacity": "" if current["capacity"] is None else current["capacity"],
              "lat": current["lat"] if current["lat"] is not None else "",
              "lon": current["lon"] if current["lon"] is not None else "",
              "restricted": current["restricted"],
              # The stored choice stays unless the edit makes another (empty: read from the text).
              "category": current.get("category", ""), "targets": current.get("targets") or [], **given}
    city = str(given.get("city_code") or current["city_code"])
    kind = str(given.get("kind") or current["kind"])
    readdressed = _readdressed(current, given)
    if readdressed:  # a new address places the point anew (or leaves it unplaced, and says so)
        merged.update(lat="", lon="")
    record = parse_form(repo, geocoder, merged, kind, city, visible_cities)
    changes = edit_changes(current, given, record)
    if readdressed and "lonlat" not in changes:
        changes.update(lonlat=record.get("lonlat"), placement=record["placement"],
                       placement_detail=record["placement_detail"])
    return changes


def position_preview(repo: Repository, geocoder, current: dict, given: dict,
                     visible_cities=()) -> dict | None:
    """Where a new address would put the place, to be shown before it is saved; None if it stays put.

    Returns
    -------
    dict or None
        ``lon``/``lat`` (None: the address cannot be placed, the place would leave the map),
        ``detail`` (how it was placed) and ``moved_m`` (from where it is now; None if it was unplaced).
    """
    changes = proposed_changes(repo, geocoder, current, given, visible_cities)
    if "lonlat" not in changes or changes.get("placement") == "moved":
        return None
    lonlat = changes["lonlat"]
    moved = None
    if lonlat and current.get("lon") is not None:
        moved = nearest((current["lon"], current["lat"]), [{"lon": lonlat[0], "lat": lonlat[1]}], 1,
                        WalkingModel())[0]["distance_m"]
    return {"lon": lonlat[0] if lonlat else None, "lat": lonlat[1] if lonlat else None,
            "detail": changes.get("placement_detail", ""), "moved_m": moved}


def _readdressed(current: dict, given: dict) -> bool:
    """The address changed and the point was not moved by hand: the point must follow the address."""
    if "address" not in given or _moved(current, given) is not None:
        return False
    return name_key(str(given.get("address") or "")) != name_key(current.get("address") or "")
