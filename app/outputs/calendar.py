"""The places' schedules as an iCalendar feed (RFC 5545), for council web sites and phones."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from app.domain.kinds import RESOURCE_KINDS
from app.domain.schedule import occurrences
from app.services.calendar import Listing

TOKYO = ZoneInfo("Asia/Tokyo")
LOOKAHEAD_DAYS = 400  # the first meeting of a rule is looked for within about a year


def _first(listing: Listing, today: date):
    if listing.schedule.once:
        return datetime.combine(listing.schedule.once, listing.schedule.starts or datetime.min.time())
    found = occurrences(listing.schedule, today, LOOKAHEAD_DAYS, today)
    return found[0][0] if found else None


def _event(listing: Listing, today: date, host: str) -> Event | None:
    first = _first(listing, today)
    if first is None:
        return None
    row, schedule = listing.row, listing.schedule
    attributes = row.get("attributes") or {}
    event = Event()
    event.add("uid", f"resource-{row['id']}@{host}")
    event.add("summary", row["name"])
    event.add("dtstamp", datetime.now(TOKYO))
    if schedule.starts is None:  # the hours are not stated: a day, not a time
        event.add("dtstart", first.date())
        event.add("dtend", first.date() + timedelta(days=1))
    else:
        event.add("dtstart", first.replace(tzinfo=TOKYO))
        if schedule.ends:
            event.add("dtend", datetime.combine(first.date(), schedule.ends, tzinfo=TOKYO))
    if schedule.rule:
        event.add("rrule", vRecur.from_ical(schedule.rule))
    place = attributes.get("venue_name") or row["address"] or attributes.get("venue_address", "")
    if place:
        event.add("location", place)
    said = [RESOURCE_KINDS[row["kind"]].label_ja, f"日程（元の記載）: {schedule.text}",
            "日程と場所は主催者に確認してください / check the date with the organiser"]
    if attributes.get("target_group"):
        said.insert(1, f"対象: {attributes['target_group']}")
    if listing.status == "paused":
        said.insert(0, "休止中との記載があります / the source says it is paused")
    if listing.status == "stale":
        said.insert(0, f"情報が古い可能性（{listing.as_of_year}年の記載） / information may be out of date "
                       f"(stated in {listing.as_of_year})")
    event["description"] = "\n".join(said)
    # Paused or old: not cancelled for good, not to be counted on either.
    event.add("status", "CONFIRMED" if listing.status == "active" else "TENTATIVE")
    return event


def ics_bytes(found: list[Listing], today: date, name: str, host: str = "fureai-map") -> bytes:
    """One VEVENT per place whose schedule reads as dates (a recurrence rule or a dated meeting).

    A place whose source says it stopped (paused, or its venue can no longer be used) is left out;
    an old schedule is TENTATIVE with its year said.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Fureai Map//ふれあいマップ//JA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    for listing in found:
        if listing.status == "paused":
            continue
        if listing.schedule is not None and (event := _event(listing, today, host)) is not None:
            calendar.add_component(event)
    return calendar.to_ical()
