"""The calendar: the next meetings, an .ics feed that parses back, paused places said as such."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar
from dateutil.rrule import rrulestr

from app.web.calendar_api import today


def _features(client, city):
    return client.get(f"/api/v1/resources?kind=salon&city={city}&limit=500&placed=0").get_json()["features"]


def test_the_feed_parses_back_and_gives_the_next_dates(demo_client):
    body = demo_client.get("/api/v1/calendar.ics?city=13229").data
    calendar = icalendar.Calendar.from_ical(body)
    events = list(calendar.walk("VEVENT"))
    assert events and calendar["x-wr-timezone"] == "Asia/Tokyo"
    recurring = [e for e in events if e.get("rrule")]
    assert recurring
    start = datetime.combine(today(), datetime.min.time())
    for event in recurring:
        first = event["dtstart"].dt
        first = first if isinstance(first, datetime) else datetime.combine(first, datetime.min.time())
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=first.replace(tzinfo=None))
        upcoming = rule.after(start, inc=True)
        assert upcoming is not None and upcoming - start < timedelta(days=40), event["summary"]
    named = {f["properties"]["name"] for f in _features(demo_client, "13229")}
    assert {str(e["summary"]) for e in events} <= named


def test_the_next_meetings_and_the_paused_places(demo_client):
    answer = demo_client.get("/api/v1/events?city=13229&days=31").get_json()
    starts = [e["starts"] for e in answer["events"]]
    assert starts == sorted(starts) and all(s[:10] >= answer["from"] for s in starts)
    assert all(date.fromisoformat(s[:10]) < today() + timedelta(days=31) for s in starts)
    paused = {p["name"] for p in answer["paused"]}
    assert not paused & {e["feature"]["properties"]["name"] for e in answer["events"]}
    assert all(x["reason"] for x in answer["not_dated"])
    children = demo_client.get("/api/v1/events?city=13229&days=31&target=older").get_json()
    assert all(set(e["feature"]["properties"]["targets"]) & {"older", "everyone"} for e in children["events"])


def test_the_list_shows_the_next_two_weeks(demo_client):
    page = demo_client.get("/list?city=13229").get_data(as_text=True)
    section = page[page.index('id="events"'):page.index('id="programmes"')]
    assert "これから2週間の予定" in section and "calendar.ics" in section
