"""A place's position when its address is edited: shown before it is saved, and said after."""

from __future__ import annotations

from flask import request

from app.services import editing
from app.web.access import visible_cities


def placed_note(changes: dict) -> str:
    """What an address change did to the point: placed anew from it, or off the map (and why)."""
    if "lonlat" not in changes or changes.get("placement") == "moved":
        return ""
    if changes["lonlat"] is None:
        return ("。新しい住所からは位置が分からないため、地図から外れました。地図上で置いてください "
                "/ the new address could not be placed: the place is off the map until you place it")
    return (f"。新しい住所から位置を置き直しました（{changes.get('placement_detail', '')}） "
            "/ placed anew from the new address")


def unseen_position(row: dict, given: dict) -> dict | None:
    """A new address's position not yet shown to the coordinator: shown first, saved on the next press.

    The form comes back with the new point in its fields (and on its map). Sent back unchanged, the
    point is the address's own; dragged meanwhile, it is a move by hand.
    """
    form = request.form
    if form.get("position_seen") == given["address"]:
        if (form.get("lat"), form.get("lon")) == (form.get("preview_lat"), form.get("preview_lon")):
            given.update(lat=row["lat"] if row["lat"] is not None else "",
                         lon=row["lon"] if row["lon"] is not None else "")
        return None
    found = editing.position_preview(row, given, visible_cities())
    if found is None:
        return None
    point = {k: "" if found[k] is None else f"{found[k]:.6f}" for k in ("lat", "lon")}
    values = form.copy()  # a MultiDict: the ticked target groups stay ticked
    shown = {**point, "position_seen": given["address"], "preview_lat": point["lat"],
             "preview_lon": point["lon"]}
    for key, value in shown.items():
        values[key] = value  # set, not appended (MultiDict.update appends)
    return {**found, "values": values}
