"""What is on: the listed places' schedules as dated meetings, for a window and for a feed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.domain.freshness import STALE_AFTER_YEARS, freshness
from app.domain.schedule import Schedule, occurrences, parse_schedule
from app.domain.targets import serves
from app.services._stores import uses_stores
from app.storage.repository import Repository

SCHEDULED_KINDS = ("salon", "hub", "drill")
PAUSED = re.compile(r"休止|中止|活動を.{0,4}停止")


@dataclass(frozen=True)
class Listing:
    """A place with a schedule: the row, its schedule read as dates (or None, with why), status."""

    row: dict
    schedule: Schedule | None
    reason: str
    status: str  # active | paused (the source says so) | ended (a one-off now past) | stale (old)
    as_of_year: int | None = None  # the year the schedule was stated, where known


@uses_stores
def listings(repo: Repository, today: date, *, city=None, kind=None, target=None,
             visible_cities=(), stale_years: int = STALE_AFTER_YEARS) -> list[Listing]:
    """Every place of ``kind`` (salons and hubs by default) that states a schedule."""
    rows = repo.find_resources(kinds=[kind] if kind else list(SCHEDULED_KINDS), city=city, limit=10_000,
                               placed_only=False, restricted_cities=tuple(visible_cities))
    out = []
    for row in rows:
        attributes = row.get("attributes") or {}
        if not attributes.get("schedule") or not serves(row["targets"] or [], target):
            continue
        schedule, reason = parse_schedule(attributes["schedule"])
        fresh = freshness(attributes, str(row.get("source_date") or ""), today, stale_years)
        out.append(Listing(row, schedule, reason, _status(attributes, schedule, today, fresh.state),
                           fresh.year))
    return out


def _status(attributes: dict, schedule: Schedule | None, today: date, fresh: str) -> str:
    if fresh == "closed" or PAUSED.search(f"{attributes['schedule']} {attributes.get('notes', '')}"):
        return "paused"  # the source says the activity stopped, or the venue can no longer be used
    past = schedule is not None and schedule.once is not None and schedule.once < today
    if past:
        return "ended"
    return "stale" if fresh == "stale" else "active"


def upcoming(found: list[Listing], start: date, days: int) -> list[dict]:
    """The meetings from ``start`` for ``days`` days, soonest first.

    Paused places are left out, and so are places whose schedule is old (「情報が古い可能性」):
    "the next two weeks" promises a meeting, which an old schedule cannot.
    """
    out = []
    for listing in found:
        if listing.schedule is None or listing.status in ("paused", "stale"):
            continue
        for begins, ends in occurrences(listing.schedule, start, days, start):
            out.append({"starts": begins, "ends": ends, "timed": listing.schedule.starts is not None,
                        "row": listing.row, "schedule": listing.row["attributes"]["schedule"]})
    return sorted(out, key=lambda e: (e["starts"], e["row"]["name"]))
