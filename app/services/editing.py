"""Editing places in the workspace and the API: one row through the importers' own checks.

Every write of a place by a person goes through here: add, edit, delete and restore, each with
its audit record in the same transaction (``storage.edits``). Whole lists come through ``uploads``.
"""

from __future__ import annotations

from app.domain import site_access
from app.domain.kinds import RESOURCE_KINDS
from app.domain.targets import CATEGORIES, TARGET_GROUPS
from app.domain.text import name_key
from app.domain.walking import WalkingModel, nearest
from app.importers.report import ImportFailed, RowError
from app.importers.resources import parse_records
from app.services import imports
from app.services._stores import uses_stores
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
    [record], _ = parse_records("form", header, [row], kind, context, city, lock_city=True)
    record.update(_chosen(form))
    own = own_access(form)
    if own:
        record["attributes"]["access"] = own
    return record


ACCESS_FIELDS = {f"access_{k}": k for k in site_access.FEATURES}
ACCESS_ANSWERS = {"yes": True, "no": False}


def own_access(form) -> dict[str, bool]:
    """A coordinator's own answers (access_step_free=yes|no …); empty keeps what the list says.

    Raises
    ------
    ImportFailed
        For an answer that is not yes, no or empty, naming the field.
    """
    out, errors = {}, []
    for field, feature in ACCESS_FIELDS.items():
        answer = str(form.get(field) or "").strip()
        if answer in ACCESS_ANSWERS:
            out[feature] = ACCESS_ANSWERS[answer]
        elif answer:
            errors.append(RowError("form", None, field,
                                   f"{answer!r} is not yes, no or empty (as the list says)"))
    if errors:
        raise ImportFailed(errors)
    return out


def access_fields(attributes: dict) -> dict[str, str]:
    """The form's access fields for a stored place's own answers (the inverse of ``own_access``)."""
    own = (attributes or {}).get("access") or {}
    return {f"access_{k}": "yes" if v else "no" for k, v in own.items() if v is not None}


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


ATTRIBUTE_FIELDS = ("schedule", "target_group", "notes", "venue_name", "target_area", "access")
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
    said = {*given, *(["access"] if set(ACCESS_FIELDS) & set(given) else [])}
    for name in (n for n in ATTRIBUTE_FIELDS if n in said):
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


@uses_stores
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
    merged = {**(current.get("attributes") or {}), **access_fields(current.get("attributes")),
              "name": current["name"], "address": current["address"],
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


@uses_stores
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


@uses_stores
def add_place(repo: Repository, accounts: Accounts, geocoder, form, kind: str, city: str, actor: dict,
              visible_cities=()) -> tuple[int, dict]:
    """Validate a new place like an imported row and store it with its audit record.

    Returns
    -------
    id, record
        The new place's id and what was stored (its placement says how it was placed).
    """
    record = parse_form(repo, geocoder, form, kind, city, visible_cities)
    return accounts.create(record, actor), record


@uses_stores
def delete_place(accounts: Accounts, resource_id: int, actor: dict, expected_version: int | None) -> None:
    """Delete a place (kept, and restorable by an admin), checking the version the person saw."""
    accounts.set_deleted(resource_id, True, actor, expected_version)


@uses_stores
def restore_place(accounts: Accounts, resource_id: int, actor: dict) -> None:
    """Bring a deleted place back (an admin's undo), audited."""
    accounts.set_deleted(resource_id, False, actor)


@uses_stores
def stored_place(accounts: Accounts, resource_id: int) -> dict | None:
    """A place as stored (with its version and deleted state) for editing, or None."""
    return accounts.resource(resource_id)


@uses_stores
def history(accounts: Accounts, *, resource_id: int | None = None, city: str | None = None) -> list[dict]:
    """The audited changes of one place or one city, newest first."""
    return accounts.history(resource_id=resource_id, city=city)
