"""The catalogue of meetings: the listed places' schedules as dated Features, an OGC collection.

Published as ``meetings`` beside the layers of ``catalogue``: one Feature per meeting of a
salon, hub or drill in the calendar's window (the next 92 days), at its place, with when it
starts and ends in Japan's time. Meetings are computed from schedules, not stored, so their
filters (the OGC ``datetime`` parameter, CQL2 comparisons and temporal predicates) are evaluated
on the meetings themselves by pygeofilter's own evaluator, over these queryables only.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from pygeofilter.backends.native.evaluate import NativeEvaluator

from app.services import calendar
from app.services.catalogue import Page, japan_today
from app.services.errors import FilterRefused

COLLECTION_ID = "meetings"
WINDOW_DAYS = 92  # as far as the calendar looks ahead
JAPAN = ZoneInfo("Asia/Tokyo")
# Queryable → JSON Schema type ("date-time" is a string of that format).
QUERYABLES = {"place_id": "integer", "name": "string", "kind": "string", "city_code": "string",
              "starts": "date-time", "ends": "date-time", "timed": "boolean"}


def _when(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=JAPAN) if moment is not None else None


def _meeting(found: dict) -> dict:
    row = found["row"]
    starts = _when(found["starts"])
    # A meeting whose end is not stated ends, for a filter, when it starts (an instant).
    ends = _when(found["ends"]) or starts
    return {"type": "Feature", "id": f"{row['id']}-{starts:%Y%m%d%H%M}", "geometry": row.get("geometry"),
            "properties": {"place_id": row["id"], "name": row["name"], "kind": row["kind"],
                           "city_code": row["city_code"], "address": row.get("address") or "",
                           "starts": starts.isoformat(), "ends": ends.isoformat(),
                           "timed": found["timed"], "schedule": found["schedule"]}}


def meetings(*, city: str | None = None, visible_cities=(), stale_years: int) -> list[dict]:
    """Every meeting in the window from today (Japan), soonest first, as Features."""
    today = japan_today()
    found = calendar.listings(today, city=city, visible_cities=visible_cities, stale_years=stale_years)
    return [_meeting(m) for m in calendar.upcoming(found, today, WINDOW_DAYS)]


def instant(value: date | datetime) -> datetime:
    """A date or a time as a moment: a date is its first moment in Japan; a naive time is Japan's."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    return value if value.tzinfo else value.replace(tzinfo=JAPAN)


def matcher(tree):
    """A test of one meeting for a parsed CQL2 filter; ``FilterRefused`` when it cannot be applied."""
    names = {name: name for name in QUERYABLES}
    test = NativeEvaluator(attribute_map=names, use_getattr=False).evaluate(tree)

    def matches(feature: dict) -> bool:
        values = dict(feature["properties"])
        values["starts"], values["ends"] = (datetime.fromisoformat(values[k]) for k in ("starts", "ends"))
        try:
            return bool(test(values))
        except TypeError:  # a date beside a moment: Python will not order them
            raise FilterRefused("compare starts and ends with TIMESTAMP('2026-12-10T10:00:00+09:00') "
                                "or an interval of timestamps, not a date") from None

    return matches


def _meets(meeting: dict, low: datetime | None, high: datetime | None) -> bool:
    """Whether the meeting's time (starts to ends) meets the interval ``low``–``high`` (None: open)."""
    return (high is None or datetime.fromisoformat(meeting["starts"]) <= high) and \
        (low is None or datetime.fromisoformat(meeting["ends"]) >= low)


def meeting_page(*, limit: int, offset: int, city: str | None, during=None, match=None,
                 visible_cities=(), stale_years: int) -> Page:
    """A page of meetings meeting ``during`` (start, end; None for open) and ``match`` (a CQL2 test)."""
    found = meetings(city=city, visible_cities=visible_cities, stale_years=stale_years)
    if during is not None:
        low, high = during
        found = [f for f in found if _meets(f["properties"], low, high)]
    if match is not None:
        found = [f for f in found if match(f)]
    return Page(found[offset:offset + limit], len(found))
