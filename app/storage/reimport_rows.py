"""A list imported again, in storage: its places' edits, deletions and pending corrections kept.

``domain.reimport`` says which new row is which stored place and what carries over; this reads
what coordinators did to the stored rows (the audit) before they are replaced, lays it over the
new rows, and puts pending corrections back on the same places, in the import's transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select, update

from app.domain.reimport import CARRIED, Carried, carry, match
from app.storage.schema import audit_log, corrections, datasets, resources

IMPORT_ACTOR = {"id": None, "username": "import"}
IDENTITY = ("name", "address", "external_id", "site_key")
COLUMNS = ("id", "name", "address", "city_code", "external_id", "site_key", "capacity", "restricted",
           "category", "targets", "attributes", "placement", "placement_detail", "deleted_at")


def _edited(conn, ids: list[int], since) -> dict[int, tuple[set[str], dict]]:
    """Per stored id: the fields coordinators changed, and the row as its list first gave it.

    Only records from ``since`` (the list's import) on: SQLite may give a new row the id of a
    deleted one, whose older records are not this place's.
    """
    out: dict[int, tuple[set[str], dict]] = {}
    rows = conn.execute(select(audit_log.c.resource_id, audit_log.c.before, audit_log.c.after)
                        .where(audit_log.c.resource_id.in_(ids), audit_log.c.action == "update",
                               audit_log.c.at >= since)
                        .order_by(audit_log.c.id)).all() if ids else []
    for resource_id, before, after in rows:
        before, after = before or {}, after or {}
        fields, first = out.setdefault(resource_id, (set(), dict(before)))
        fields |= {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        if {"lon", "lat"} & fields:
            fields.add("lonlat")
    for _, first in out.values():
        if "lon" in first:
            first["lonlat"] = (first["lon"], first["lat"])
    return out


def _snapshot(row: dict) -> dict:
    """The carried fields of a row as audit records keep them (a point as lon/lat)."""
    out = {k: row.get(k) for k in CARRIED if k != "lonlat"}
    if row.get("lonlat"):
        out["lon"], out["lat"] = row["lonlat"]
    return out


def before_replace(conn, old_dataset: int, incoming: list[dict], result: Carried) -> dict:
    """Lay coordinators' edits over ``incoming`` (in place); return what ``after_replace`` needs."""
    stored = [dict(r._mapping) for r in conn.execute(
        select(*[resources.c[c] for c in COLUMNS], func.ST_X(resources.c.geom).label("lon"),
               func.ST_Y(resources.c.geom).label("lat")).where(resources.c.dataset_id == old_dataset))]
    since = conn.execute(select(datasets.c.imported_at).where(datasets.c.id == old_dataset)).scalar()
    edits = _edited(conn, [r["id"] for r in stored], since)
    for row in stored:
        row["lonlat"] = (row["lon"], row["lat"]) if row["lon"] is not None else None
        if row["id"] in edits:
            row["imported"] = {**row, **edits[row["id"]][1]}
    pairs = match(stored, incoming)
    laid = {}  # old id → (the new list's row, the row with the edits laid over), for the audit
    for row in stored:
        if row["id"] in pairs and row["id"] in edits:
            index = pairs[row["id"]]
            given = incoming[index]
            incoming[index] = carry(row, edits[row["id"]][0], row["imported"], given, result)
            laid[row["id"]] = (given, incoming[index])
    pending = [dict(r._mapping) for r in conn.execute(
        select(corrections).where(corrections.c.resource_id.in_([r["id"] for r in stored]),
                                  corrections.c.status == "pending"))] if stored else []
    # Each matched place as its new row will be stored (edits laid over): how to find it again.
    as_stored = [{"id": old, **{k: incoming[index].get(k, "") for k in IDENTITY}}
                 for old, index in pairs.items()]
    deleted = {r["id"]: r["deleted_at"] for r in stored if r["deleted_at"] is not None}
    return {"as_stored": as_stored, "deleted": deleted, "pending": pending, "laid": laid}


def after_replace(conn, new_dataset: int, kept: dict, result: Carried) -> None:
    """Deletions stay deleted, and pending corrections follow their place (or are closed, audited)."""
    new_rows = [dict(r._mapping) for r in conn.execute(
        select(resources.c.id, *[resources.c[k] for k in IDENTITY])
        .where(resources.c.dataset_id == new_dataset))]
    pairs = {old: new_rows[index]["id"] for old, index in match(kept["as_stored"], new_rows).items()}
    now = datetime.now(UTC)
    for old, (given, laid) in kept["laid"].items():
        if old in pairs:  # recorded as an edit of the new row, so the next import carries it again
            conn.execute(insert(audit_log).values(
                at=now, user_id=None, username=IMPORT_ACTOR["username"], action="update",
                resource_id=pairs[old], city_code=laid.get("city_code", ""), before=_snapshot(given),
                after=_snapshot(laid), summary=f"{laid.get('name', '')}: coordinators' edits kept on "
                                               "re-import"))
    for old, deleted_at in kept["deleted"].items():
        if old in pairs:  # a coordinator's deletion stays a deletion
            conn.execute(update(resources).where(resources.c.id == pairs[old]).values(deleted_at=deleted_at))
            result.deletions += 1
    for correction in kept["pending"]:
        conn.execute(delete(corrections).where(corrections.c.id == correction["id"]))  # cascade-safe
        new_id = pairs.get(correction["resource_id"])
        if new_id is not None:
            conn.execute(insert(corrections).values({**correction, "resource_id": new_id}))
        else:
            # Its place is gone with the old list: the decision is recorded, never silent.
            conn.execute(insert(audit_log).values(
                at=datetime.now(UTC), user_id=None, username=IMPORT_ACTOR["username"], action="correction",
                resource_id=None, city_code=correction["city_code"], before=None, after=None,
                summary=f"correction #{correction['id']} closed: the list was imported again without its "
                        "place"))
            result.conflicts.append(f"correction #{correction['id']} closed: its place is not in the new "
                                    "list")
