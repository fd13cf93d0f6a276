"""安否確認 on the day: open an event, mark each person, read the board, close it."""

from __future__ import annotations

from collections import Counter

from app.domain import persons as rules
from app.domain.access import Viewer
from app.domain.kinds import HAZARDS
from app.importers.report import ImportFailed, RowError
from app.services._stores import uses_stores
from app.services.persons import NotAllowed, people
from app.storage.persons import Register
from app.storage.repository import Repository
from app.storage.safety import EventClosed, SafetyChecks

__all__ = ["EventClosed", "board", "close", "mark", "open_event", "visible_events"]


@uses_stores
def open_event(repo: Repository, safety: SafetyChecks, viewer: Viewer, title: str, city: str,
               actor: dict, hazard: str | None = None) -> int:
    """Open an event for ``city`` and its ``hazard`` (coordinators of it and admins); returns its id."""
    if city not in repo.city_names():
        raise ImportFailed([RowError("event", None, "city", f"unknown city {city!r}")])
    if not viewer.can_edit(city):
        raise NotAllowed(f"only coordinators of {city} and admins open an event")
    if not title.strip():
        raise ImportFailed([RowError("event", None, "title", "name the event, e.g. 令和8年 地震")])
    if hazard is not None and hazard not in HAZARDS:
        known = ", ".join(HAZARDS)
        raise ImportFailed([RowError("event", None, "hazard", f"{hazard!r} is not one of {known}")])
    return safety.open_event(title.strip()[:200], city, actor, hazard)


@uses_stores
def close(safety: SafetyChecks, viewer: Viewer, event_id: int, actor: dict) -> None:
    """Close an event; its marks stay for the record."""
    event = safety.event(event_id)
    if event is None or not viewer.can_edit(event["city_code"]):
        raise NotAllowed("only coordinators of the event's city and admins close it")
    safety.close_event(event_id, actor)


@uses_stores
def visible_events(safety: SafetyChecks, viewer: Viewer, all_cities) -> list[dict]:
    """The events of the cities whose people ``viewer`` may read some of."""
    scope = viewer.person_scope(all_cities)
    if scope.empty:
        return []
    return safety.events(tuple(scope.cities) + tuple(scope.within))


@uses_stores
def mark(register: Register, safety: SafetyChecks, viewer: Viewer, event_id: int, person_id: int,
         status: str, actor: dict) -> None:
    """Record a person's 安否 now; only for someone the viewer may read, in the event's city."""
    if status not in rules.STATUSES:
        raise ImportFailed([RowError("mark", None, "status",
                                     f"status must be one of {', '.join(rules.STATUSES)}")])
    event, where = safety.event(event_id), register.where(person_id)
    same_city = event is not None and where is not None and where["city_code"] == event["city_code"]
    if not same_city or not viewer.may_mark(where):
        raise NotAllowed("you may mark only the people of your own areas, in their city's event")
    safety.mark(event_id, person_id, status, actor)


@uses_stores
def board(repo: Repository, register: Register, safety: SafetyChecks, viewer: Viewer, event_id: int,
          actor: dict, supported: set | None = None) -> dict:
    """Counts per school district and status, and each person the viewer may read, unconfirmed first.

    ``supported`` is every (area kind, code) an active supporter looks after (``Accounts.
    supported_areas``): a person in none of them, with no helper named in the register, is
    ``covered`` False, and nobody will knock on their door unless the board says so.

    Returns
    -------
    dict
        ``event``, ``areas`` (name → Counter of status), ``totals`` (Counter), ``people`` (each with
        ``status``, ``marked_at``, ``marked_by``, ``district``, ``covered`` and ``phone``, a ``tel:``
        link or None), ``unconfirmed`` and ``uncovered`` (the unconfirmed no supporter covers).
    """
    event = safety.event(event_id)
    scope = viewer.person_scope(repo.city_names())
    if event is None or event["city_code"] not in (*scope.cities, *scope.within):
        raise NotAllowed("the board is for the event city's coordinators and supporters")
    seen = [p for p in people(repo, register, viewer, "event", actor) if p["city_code"] == event["city_code"]]
    marks = safety.latest_marks(event_id)
    names = dict(zip(*_district_names(repo, event["city_code"]), strict=True))
    areas: dict[str, Counter] = {}
    supported = supported or set()
    for person_row in seen:
        latest = marks.get(person_row["id"], {})
        looked_after = {tuple(a) for a in person_row["areas"]} & supported
        person_row.update(status=latest.get("status", rules.UNCONFIRMED), marked_at=latest.get("at"),
                          marked_by=latest.get("username", ""), covered=bool(person_row.get("supporters")
                                                                             or looked_after),
                          phone=rules.phone_link(person_row.get("contact")))
        district = next((names[c] for k, c in person_row["areas"] if k == "school_district" and c in names),
                        "小学校区不明")
        person_row["district"] = district
        areas.setdefault(district, Counter())[person_row["status"]] += 1
    totals = sum(areas.values(), Counter())
    seen.sort(key=rules.board_order)
    unconfirmed = [p for p in seen if p["status"] == rules.UNCONFIRMED]
    return {"event": event, "areas": dict(sorted(areas.items())), "totals": totals, "people": seen,
            "unconfirmed": unconfirmed, "uncovered": [p for p in unconfirmed if not p["covered"]]}


def _district_names(repo: Repository, city: str) -> tuple[list[str], list[str]]:
    frame = repo.areas_frame(kind="school_district")
    frame = frame[frame["city_code"] == city]
    return list(frame["code"]), list(frame["name"])


@uses_stores
def events(safety: SafetyChecks) -> list[dict]:
    """Every 安否確認 event, open and closed."""
    return safety.events()
