"""Shelters on the day: open and close a site in an event, say how full it is and what it has.

A coordinator of the event's city (or an admin) changes a site; each change is a new record with
who and when, and a site's status is its latest record. The same use case serves the command line
(``fureai event site``) and the API (``POST /api/v1/events/<id>/sites/<site_id>``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, has_app_context

from app.domain import site_status as rules
from app.domain.access import SITE_AREA, NotAllowed, Viewer
from app.domain.kinds import SITE_KINDS
from app.domain.small_counts import published
from app.importers.report import ImportFailed, RowError
from app.services._stores import uses_stores
from app.storage.repository import Repository
from app.storage.safety import SafetyChecks


def stale_hours() -> float:
    """How long an open site's news stays fresh: ``SITE_STALE_HOURS``, 3 unless configured."""
    return current_app.config.get("SITE_STALE_HOURS", rules.STALE_AFTER_HOURS) if has_app_context() \
        else rules.STALE_AFTER_HOURS


class NoSuchSite(LookupError):
    """No event, or no shelter or emergency site of the event's city, by that id or exact name."""


def _fail(field: str, message: str) -> None:
    raise ImportFailed([RowError("site", None, field, message)])


def _count(value, field: str) -> int | None:
    """A whole number of people (0 … ``MAX_PEOPLE``) or None; refused naming ``field`` otherwise."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) > rules.MAX_PEOPLE:
        _fail(field, f"{value!r} is not a number of people (0 to {rules.MAX_PEOPLE:,})")
    return int(text)


def read_change(values: dict) -> dict:
    """A change from what was typed or sent: open, people, capacities, state and amenities, checked."""
    change = {"open": values.get("open"), "people": _count(values.get("people"), "people"),
              "capacity_day": _count(values.get("capacity_day"), "capacity_day"),
              "capacity_night": _count(values.get("capacity_night"), "capacity_night")}
    if change["open"] not in (None, True, False):
        _fail("open", "true to open the site, false to close it")
    if values.get("state"):
        change["state"] = rules.state_key(values["state"])
        if change["state"] in (None, "closed"):
            _fail("state", f"{values['state']!r} is not 受入可, 混雑 or 満員 (close with open=false)")
    if values.get("has") is not None:
        change["has"], unread = rules.amenity_keys(values["has"])
        if unread:
            known = ", ".join(v[0] for v in rules.AMENITIES.values())
            _fail("has", f"{', '.join(unread)} not known; use {known}")
    return change


def _site(repo: Repository, city: str, site: str | int) -> dict:
    """The shelter or emergency site of ``city`` named by id or exact name."""
    text = str(site).strip()
    found = repo.find_resources(kinds=list(SITE_KINDS), city=city, ids=[int(text)], limit=2) \
        if text.isdigit() and len(text) < 10 else []
    found = found or repo.find_resources(kinds=list(SITE_KINDS), city=city, name=text, limit=20)
    if len(found) != 1:
        raise NoSuchSite(f"no single shelter or emergency site of {city} is {text!r}"
                         + (f" ({len(found)} share that name: give its id)" if found else ""))
    return found[0]


@uses_stores
def update_site(repo: Repository, safety: SafetyChecks, viewer: Viewer, event_id: int, site: str | int,
                values: dict, actor: dict) -> dict:
    """Open, close or update a site in an open event; the status as now recorded, with its site."""
    event = safety.event(event_id)
    if event is None:
        raise NoSuchSite(f"no event {event_id}")
    if not viewer.may_run_sites_of(event["city_code"]):
        raise NotAllowed("only coordinators of the event's city, admins and its shelter leads "
                         "change its sites")
    place = _site(repo, event["city_code"], site)
    if not viewer.may_run_site(event["city_code"], place["site_key"]):
        raise NotAllowed(f"{place['name']} is not one of the sites you run; ask the city's coordinator")
    change = read_change(values)
    previous = _latest(safety.site_updates(event_id)).get(place["id"])
    if previous is None and change.get("capacity_day") is None:
        # The place's own capacity, else the council list's figure; editable from then on.
        change["capacity_day"] = place["capacity"] if place.get("capacity") is not None \
            else place.get("listed_capacity")
    status = rules.next_status(previous, change)
    return {**safety.update_site(event_id, place["id"], status, actor), "name": place["name"],
            "kind": place["kind"]}


@uses_stores
def lead_sites(repo: Repository, cities: list[str], written: list[str]) -> list[tuple[str, str]]:
    """The (``SITE_AREA``, site key) of each site a shelter lead is given, by id or exact name.

    Raises
    ------
    NoSuchSite
        For a site that is no single shelter or emergency site of the lead's cities.
    """
    out = []
    for text in written:
        found = []
        for city in cities:
            try:
                found.append(_site(repo, city, text))
            except NoSuchSite:
                continue
        if len(found) != 1 or not found[0]["site_key"] or len(found[0]["site_key"]) > 100:
            raise NoSuchSite(f"--site {text!r} is no single shelter or emergency site of {', '.join(cities)} "
                             "with an address; give its id (see the map's popup) or its exact name")
        out.append((SITE_AREA, found[0]["site_key"]))
    return out


def _places(repo: Repository, ids) -> dict[int, dict]:
    """The stored rows of the sites an event has changed, by id (only those, never the whole city)."""
    ids = list(ids)
    return {r["id"]: r for r in repo.find_resources(ids=ids, limit=max(len(ids), 1))} if ids else {}


def _latest(updates: list[dict]) -> dict[int, dict]:
    """Per site, its latest record (updates come oldest first)."""
    return {u["resource_id"]: u for u in updates}


@uses_stores
def event_sites(repo: Repository, safety: SafetyChecks, viewer: Viewer, event_id: int,
                now: datetime | None = None) -> list[dict]:
    """Each site changed in the event, open first: its status, last update and whether it is stale."""
    event = safety.event(event_id)
    if event is None:
        raise NoSuchSite(f"no event {event_id}")
    if not viewer.can_edit(event["city_code"]):
        raise NotAllowed("the sites of an event are for its city's coordinators and admins")
    now = now or datetime.now(UTC)
    latest = _latest(safety.site_updates(event_id))
    names = _places(repo, latest)
    out = []
    for resource_id, status in latest.items():
        at = status["at"] if status["at"].tzinfo else status["at"].replace(tzinfo=UTC)
        place = names.get(resource_id, {})
        out.append({**status, "at": at, "name": place.get("name", f"#{resource_id}"),
                    "kind": place.get("kind", ""),
                    "stale": bool(status["open"]) and rules.stale(at, now, stale_hours())})
    return sorted(out, key=lambda s: (not s["open"], s["name"]))


@uses_stores
def public_events_of(safety: SafetyChecks, cities) -> list[dict]:
    """The events of ``cities``, newest first (what a shelter lead sees: no marks, no people)."""
    return safety.events(tuple(cities))


PUBLIC_EVENT = ("id", "title", "city_code", "hazard", "opened_at", "closed_at")


@uses_stores
def public_events(safety: SafetyChecks) -> list[dict]:
    """Every event as the public may know it: its name, city, hazard and when it opened and closed."""
    return [{k: e[k] for k in PUBLIC_EVENT} for e in safety.events()]


@uses_stores
def public_event(safety: SafetyChecks, event_id: int) -> dict | None:
    """One event as the public may know it (``public_events``), or None."""
    event = safety.event(event_id)
    return {k: event[k] for k in PUBLIC_EVENT} if event else None


def _public(status: dict, place: dict, threshold: int, now: datetime) -> dict:
    """One site as anyone may see it: never a count of people below the privacy threshold."""
    at = status["at"] if status["at"].tzinfo else status["at"].replace(tzinfo=UTC)
    people = published(status["people"], threshold) if status["people"] is not None else None
    lon, lat = ((place.get("geometry") or {}).get("coordinates") or (None, None))[:2]
    return {"site_id": status["resource_id"], "name": place.get("name", ""), "kind": place.get("kind", ""),
            "lon": lon, "lat": lat, "open": bool(status["open"]),
            "state": status["state"], "state_label": rules.STATES[status["state"]][0],
            "people": people.count if people else None,
            "people_label": people.label(threshold) if people else "",
            "capacity": status["capacity_day"], "has": list(status["has"]),
            "has_labels": [rules.AMENITIES[k][0] for k in status["has"]],
            "updated_at": at.isoformat(),
            "stale": bool(status["open"]) and rules.stale(at, now, stale_hours())}


@uses_stores
def public_sites(repo: Repository, safety: SafetyChecks, event_id: int, threshold: int,
                 now: datetime | None = None, known: str | None = None) -> tuple[dict | None, str]:
    """(the event's sites as the public sees them, a version that changes with any update or close).

    A client polls with the version as its ETag: when it already holds the version (``known``) the
    answer is None, read from the event and its updates only, no place looked up or written out.
    """
    head = safety.site_head(event_id)
    if head is None:
        raise NoSuchSite(f"no event {event_id}")
    event = head["event"]
    now = now or datetime.now(UTC)
    # Any update or the close changes it, and so does the clock every 10 minutes: a site turns
    # stale with no update, and a client holding an old answer must hear that too.
    version = (f"{event_id}.{head['count']}.{head['last']}.{bool(event['closed_at'])}"
               f".{int(now.timestamp() // 600)}")
    if version == known:
        return None, version
    answer = safety.kept_answer(("public sites", version, threshold),
                                lambda: _public_answer(repo, safety, event, threshold, now))
    return answer, version


def _public_answer(repo: Repository, safety: SafetyChecks, event: dict, threshold: int,
                   now: datetime) -> dict:
    latest = _latest(safety.site_updates(event["id"]))
    places = _places(repo, latest)
    sites = [_public(s, places.get(rid, {}), threshold, now) for rid, s in latest.items()]
    return {"event": {k: event[k] for k in ("id", "title", "city_code", "hazard")},
            "closed": event["closed_at"] is not None, "threshold": threshold,
            "sites": sorted(sites, key=lambda s: (not s["open"], s["name"]))}


@uses_stores
def site_desk(repo: Repository, safety: SafetyChecks, viewer: Viewer, event_id: int) -> dict:
    """What the viewer may change in the event: their sites with the latest status, and the rest.

    A shelter lead gets the sites named for them; a coordinator of the city (or an admin) the sites
    changed so far, and every other shelter and emergency site of the city to open one more.
    """
    event = safety.event(event_id)
    if event is None:
        raise NoSuchSite(f"no event {event_id}")
    city = event["city_code"]
    every = repo.find_resources(kinds=list(SITE_KINDS), city=city, limit=100_000)
    mine = [p for p in every if viewer.may_run_site(city, p["site_key"])]
    if not mine:
        raise NotAllowed("the sites of an event are run by its city's coordinators and its shelter leads")
    latest = _latest(safety.site_updates(event_id))
    lead = not viewer.can_edit(city)
    shown = sorted((p for p in mine if lead or p["id"] in latest),
                   key=lambda p: (p["id"] not in latest, p["name"]))
    others = [] if lead else sorted((p for p in mine if p["id"] not in latest), key=lambda p: p["name"])
    return {"event": event, "sites": [{"place": p, "status": latest.get(p["id"])} for p in shown],
            "others": others}
