"""The ``meetings`` OGC collection on both backends: the calendar's meetings, filtered in time.

Every expected set is the calendar API's own list (``/api/v1/events``) cut here in Python.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from urllib.parse import quote

ITEMS = "/ogcapi/collections/meetings/items?limit=1000"


def _calendar(client) -> list[tuple[int, datetime]]:
    events = client.get("/api/v1/events?days=92").get_json()["events"]
    return [(e["feature"]["properties"]["id"], datetime.fromisoformat(e["starts"])) for e in events]


def _found(client, query: str) -> list[tuple[int, datetime]]:
    answer = client.get(f"{ITEMS}&{query}")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return [(f["properties"]["place_id"], datetime.fromisoformat(f["properties"]["starts"]).replace(tzinfo=None))
            for f in answer.get_json()["features"]]


def test_the_collection_holds_the_calendars_meetings_at_their_places(demo_client):
    listed = {c["id"] for c in demo_client.get("/ogcapi/collections").get_json()["collections"]}
    assert "meetings" in listed
    schema = demo_client.get("/ogcapi/collections/meetings/queryables").get_json()["properties"]
    assert schema["starts"] == {"type": "string", "format": "date-time"}
    every = demo_client.get(ITEMS).get_json()
    calendar = _calendar(demo_client)
    assert calendar and [(f["properties"]["place_id"], f["properties"]["starts"][:16])
                         for f in every["features"]] == [(i, s.isoformat()[:16]) for i, s in calendar]
    assert every["numberMatched"] == len(calendar)
    assert all(f["properties"]["starts"].endswith("+09:00") for f in every["features"])
    first = every["features"][0]
    one = demo_client.get(f"/ogcapi/collections/meetings/items/{first['id']}").get_json()
    assert (one["id"], one["properties"]) == (first["id"], first["properties"])
    assert demo_client.get("/ogcapi/collections/meetings/items/1-190001010000").status_code == 404
    page = demo_client.get("/ogcapi/collections/meetings/items?f=html&limit=3").get_data(as_text=True)
    assert f"/ogcapi/collections/meetings/items/{first['id']}" in page


def test_datetime_and_cql2_keep_the_meetings_of_the_time_asked(demo_client):
    calendar = [(i, s.replace(tzinfo=None)) for i, s in _calendar(demo_client)]
    middle = calendar[len(calendar) // 2][1].date()
    day = [(i, s) for i, s in calendar if s.date() == middle]
    assert _found(demo_client, f"datetime={middle.isoformat()}") == day
    week = (middle, middle + timedelta(days=6))
    assert _found(demo_client, f"datetime={week[0]}/{week[1]}") == [
        (i, s) for i, s in calendar if week[0] <= s.date() <= week[1]]
    assert _found(demo_client, f"datetime=../{middle}") == [(i, s) for i, s in calendar if s.date() <= middle]
    moment = datetime.combine(middle, datetime.min.time())
    later = [(i, s) for i, s in calendar if s > moment]
    text = quote(f"starts > TIMESTAMP('{middle}T00:00:00+09:00')")
    assert _found(demo_client, f"filter={text}") == later
    as_json = quote(json.dumps({"op": "t_after", "args": [{"property": "starts"},
                                                         {"timestamp": f"{middle}T00:00:00+09:00"}]}))
    assert _found(demo_client, f"filter-lang=cql2-json&filter={as_json}") == later


def test_a_time_that_cannot_be_read_says_which_and_how(demo_client):
    for query, said in (("datetime=tomorrow", "datetime"), ("filter=" + quote("starts > DATE('2027-01-10')"),
                                                            "TIMESTAMP"),
                        ("filter=" + quote("capacity > 3"), "capacity"), ("colour=red", "colour")):
        answer = demo_client.get(f"{ITEMS}&{query}")
        assert answer.status_code == 400 and said in answer.get_json()["description"], query
