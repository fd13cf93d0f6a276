"""The catalogue of shelters on the day: one collection per disaster event, each site's public status.

Published as OGC API – Features collections (``event-<id>-sites``) beside the layers of
``catalogue``; what a site's status says to anyone is decided once, by ``safety_sites.public_sites``
(no count of people below the privacy threshold), and its Feature is built here alone.
"""

from __future__ import annotations

from app.services import safety_sites
from app.services.catalogue import Page


def status_collection_id(event_id: int) -> str:
    """The collection of an event's site status, in its one spelling."""
    return f"event-{event_id}-sites"


def _status_entry(event: dict) -> dict:
    return {"id": status_collection_id(event["id"]), "event_id": event["id"],
            "title": f"{event['title']}：避難所の開設状況",
            "description": f"Shelters on the day: {event['title']}"}


def status_collections() -> list[dict]:
    """The open events' status collections (a closed one stays readable by its id, unlisted)."""
    return [_status_entry(e) for e in safety_sites.public_events() if e["closed_at"] is None]


def status_collection(event_id: int) -> dict | None:
    """One event's status collection, open or closed; None when there is no such event."""
    event = safety_sites.public_event(event_id)  # asked on every poll: one event, not all of them
    return _status_entry(event) if event else None


def status_feature(site: dict) -> dict:
    """A site's public status as a Feature (flat: what ``GET /api/v1/events/<id>/sites`` says)."""
    props = {k: v for k, v in site.items() if k not in ("lon", "lat", "site_id", "has")}
    props["has_labels"] = "・".join(props["has_labels"])
    point = {"type": "Point", "coordinates": [site["lon"], site["lat"]]} if site["lon"] is not None else None
    return {"type": "Feature", "id": site["site_id"], "geometry": point, "properties": props}


def status_page(event_id: int, threshold: int, *, limit: int, offset: int = 0, ids=None,
                known: str | None = None) -> tuple[Page | None, str]:
    """(a page of an event's sites as Features, or None when the client holds ``known``; the version)."""
    answer, version = safety_sites.public_sites(event_id, threshold, known=known)
    if answer is None:
        return None, version
    sites = [s for s in answer["sites"] if ids is None or s["site_id"] in ids]
    return Page([status_feature(s) for s in sites[offset:offset + limit]], len(sites)), version
