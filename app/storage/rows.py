"""Result rows as plain dicts: JSON and GeoJSON columns parsed, hazard flags as one list."""

from __future__ import annotations

import json

from app.storage.schema import HAZARD_COLUMNS

JSON_COLUMNS = ("geometry", "attributes", "properties", "targets")


def hazards_of(mapping: dict) -> list[str]:
    """The hazard keys a row is designated for, popping its boolean columns.

    Returns
    -------
    list of str
        Keys of ``app.domain.kinds.HAZARDS`` in their canonical order.
    """
    return [key for key, column in HAZARD_COLUMNS.items() if mapping.pop(column, False)]


def decoded(mapping) -> dict:
    """A result row as a dict (SpatiaLite returns JSON as text; PostGIS as objects)."""
    row = dict(mapping)
    for key in JSON_COLUMNS:
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    if any(column in row for column in HAZARD_COLUMNS.values()):
        row["hazards"] = hazards_of(row)
    return row
