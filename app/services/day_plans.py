"""The register on the day: each person's nearest open shelter that suits them and has room.

Computed when read, from the event's latest site statuses, so a site that opens, closes or fills
moves every plan it touches at the next read. The rows are the people the caller may already
read (``services.persons``): nobody is planned here whom the viewer could not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain import day_plan as rules
from app.domain import persons as person_rules
from app.domain import site_access
from app.domain.site_status import STATES
from app.domain.walking import DEFAULT_MINUTES, WalkingModel, nearest
from app.services._stores import uses_stores
from app.storage.repository import Repository
from app.storage.safety import SafetyChecks


@dataclass
class DayPicture:
    """An event's open shelters with the people headed to each, and every person's plan today."""

    event: dict | None
    sites: list[dict] = field(default_factory=list)  # each open shelter: state, free room, headed
    plans: dict[int, dict | None] = field(default_factory=dict)  # person id → plan (None: no site)
    beyond: list[dict] = field(default_factory=list)  # people with no suitable site within the walk
    minutes: float = DEFAULT_MINUTES

    def days(self) -> dict[int, dict]:
        """Per person: their ``plan`` and whether it is ``within`` the walk (what pages show)."""
        return {pid: {"event": (self.event or {}).get("title", ""), "plan": plan,
                      "within": plan is not None and plan["walk_minutes"] <= self.minutes}
                for pid, plan in self.plans.items()}


@uses_stores
def open_event(safety: SafetyChecks, city: str) -> dict | None:
    """The city's open event (the newest, if several are open), or None on an ordinary day."""
    return next((e for e in safety.events((city,)) if e["closed_at"] is None), None)


def _shelters(repo: Repository, safety: SafetyChecks, event: dict) -> list[dict]:
    """The event's shelters as they stand: each place with its latest status and twin's hazards."""
    latest = {u["resource_id"]: u for u in safety.site_updates(event["id"])}
    ids = list(latest)
    places = repo.find_resources(ids=ids, kinds=["shelter"], placed_only=True, limit=len(ids)) if ids else []
    twins = {r["site_key"]: r["hazards"] for r in repo.find_resources(
        kinds=["emergency_site"], city=event["city_code"], limit=100_000) if r["site_key"]}
    out = []
    for place in places:
        lon, lat = place["geometry"]["coordinates"][:2]
        out.append({**place, "lon": lon, "lat": lat, "status": latest[place["id"]],
                    "twin_hazards": twins.get(place["site_key"], []), "access": site_access.of_place(place)})
    return out


@uses_stores
def day_plans(repo: Repository, safety: SafetyChecks, event: dict | None, rows: list[dict],
              minutes: float = DEFAULT_MINUTES) -> DayPicture:
    """Plan each of ``rows`` (people with ``lon``, ``lat``, ``pace``, ``needs``, ``age_band``) today.

    A person's site is the nearest open shelter that takes people, is for everyone or for their
    own groups, is designated for the event's hazard (or has not said) and has no 「なし」 for
    what their needs ask (``domain.day_plan.fits``), at their own pace.
    """
    picture = DayPicture(event=event, minutes=minutes)
    if event is None or event["closed_at"] is not None:
        return picture
    shelters = _shelters(repo, safety, event)
    taking = [s for s in shelters if rules.takes_people(s["status"])]
    headed: dict[int, int] = {}
    for row in rows:
        plan = _plan(row, taking, event.get("hazard"))
        picture.plans[row["id"]] = plan
        if plan is not None:
            headed[plan["site_id"]] = headed.get(plan["site_id"], 0) + 1
        if plan is None or plan["walk_minutes"] > minutes:
            picture.beyond.append(row)
    picture.sites = sorted(({"id": s["id"], "name": s["name"], "state": s["status"]["state"],
                             "state_label": STATES[s["status"]["state"]][0], "open": s["status"]["open"],
                             "free": rules.free_room(s["status"]), "headed": headed.get(s["id"], 0),
                             "takes": rules.takes_people(s["status"])}
                            for s in shelters if s["status"]["open"]), key=lambda s: s["name"])
    return picture


def _plan(row: dict, taking: list[dict], hazard: str | None) -> dict | None:
    groups = person_rules.care_groups(row.get("needs", []), row.get("age_band", ""))
    needed = site_access.needed_for(row.get("needs", []))
    fits = {s["id"]: rules.fits(s, groups, needed, hazard) for s in taking}
    suited = [s for s in taking if fits[s["id"]].ok]
    [best] = nearest((row["lon"], row["lat"]), suited, 1, WalkingModel(pace_m_per_min=row["pace"])) or [None]
    if best is None:
        return None
    return {"site_id": best["id"], "name": best["name"], "address": best["address"],
            "walk_minutes": best["walk_minutes"], "walk_m": best["walk_m"],
            "state_label": STATES[best["status"]["state"]][0], "free": rules.free_room(best["status"]),
            "unknown": rules.unknown_words(fits[best["id"]].unknown)}


@uses_stores
def today(repo: Repository, safety: SafetyChecks, rows: list[dict]) -> dict[int, dict]:
    """Per person of ``rows`` whose city has an open event: that event's title and their plan.

    People of a city with no open event are absent: on an ordinary day nothing is said.
    """
    out = {}
    for city in sorted({r["city_code"] for r in rows}):
        event = open_event(safety, city)
        if event is None:
            continue
        out.update(day_plans(repo, safety, event, [r for r in rows if r["city_code"] == city]).days())
    return out
