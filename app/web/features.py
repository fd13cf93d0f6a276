"""The one mapping from stored rows to GeoJSON Features, for the API and OGC API alike."""

from __future__ import annotations

from datetime import date

from app.domain.freshness import freshness
from app.domain.kinds import PLACEMENTS

HIDDEN = ("geometry", "dataset_id", "deleted_at")


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def resource_feature(row: dict, *, flat: bool = False) -> dict:
    """A resource as a Feature; ``flat`` for clients that want scalar properties only (OGC, GDAL).

    ``restricted`` is present only when true, so public features do not carry the flag at all.
    """
    props = {k: _plain(v) for k, v in row.items() if k not in HIDDEN and (k != "restricted" or row[k])}
    props["placement_label"] = PLACEMENTS.get(props.get("placement", ""), "")
    fresh = freshness(row.get("attributes") or {}, str(row.get("source_date") or ""), date.today())
    props["as_of_year"], props["freshness"] = fresh.year, fresh.state
    if flat:
        props.pop("id", None)
        attributes = props.pop("attributes", None) or {}
        props.update({k: v for k, v in attributes.items() if isinstance(v, str | int | bool)})
        props["hazards"] = ",".join(row.get("hazards", []))
        props["linked_sites"] = ",".join(f"{link['kind']}:{link['id']}" for link in props.pop("linked", []))
        programme = props.pop("programme", None) or {}
        props.update(programme=programme.get("name", ""), programme_rules=programme.get("rules", ""))
    return {"type": "Feature", "id": row["id"], "geometry": row.get("geometry"), "properties": props}


def area_feature(row: dict, *, flat: bool = False) -> dict:
    """An area as a Feature; ``flat`` keeps the OGC collection's scalar properties."""
    if flat:
        props = {k: row[k] for k in ("code", "name", "city_code", "kind", "set_name", "provenance", "source")}
        props["population"] = (row.get("properties") or {}).get("population")
    else:
        props = {k: _plain(v) for k, v in row.items() if k not in HIDDEN}
    return {"type": "Feature", "id": row["id"], "geometry": row.get("geometry"), "properties": props}
