"""安否 on a map: the board counts marks per 町丁目 at the 町丁目's point, for the people the viewer reads."""

from __future__ import annotations

import json
import re
import threading

import pytest
from werkzeug.serving import make_server

from tests.web.helpers import PEOPLE, _csrf, _login, add_people


def _marked_event(world) -> int:
    add_people(world)
    event = world.app.extensions["safety"].open_event("架空の訓練", "13214", {"username": "fixture"})
    west = _login(world.app, "supporter_west")
    board = west.get(f"/safety/{event}").get_data(as_text=True)
    person = re.search(r'id="person-(\d+)"', board).group(1)
    west.post(f"/safety/{event}/marks", data={"csrf_token": _csrf(west, f"/safety/{event}"),
                                              "person_id": person, "status": "safe"})
    return event


def _marks(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="marks-data">(.*?)</script>', page, re.S)
                      .group(1))


def test_the_board_counts_marks_per_chome_and_never_places_a_home(world):
    event = _marked_event(world)
    page = _login(world.app, "kokubunji").get(f"/safety/{event}").get_data(as_text=True)
    marks = {m["chome"]: m for m in _marks(page)["marks"]}
    assert set(marks) == {"西町四丁目", "本多一丁目"}
    assert (marks["西町四丁目"]["counts"]["safe"], marks["西町四丁目"]["counts"]["unconfirmed"]) == (1, 1)
    assert marks["本多一丁目"]["total"] == 1
    data = json.dumps(_marks(page), ensure_ascii=False)
    assert not [v for p in PEOPLE for k, v in p.items() if k in ("氏名", "住所", "連絡先") and v and v in data]
    honda = _login(world.app, "supporter_honda").get(f"/safety/{event}").get_data(as_text=True)
    assert [m["chome"] for m in _marks(honda)["marks"]] == ["本多一丁目"]  # their own area only


@pytest.mark.browser
def test_the_board_draws_the_counts_on_a_map(world, page):
    event = _marked_event(world)
    server = make_server("127.0.0.1", 0, world.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        page.goto(f"{base}/login")
        page.fill("input[name=username]", "kokubunji")
        page.fill("input[name=password]", "coordinator-pw-1")
        page.click("form button")
        page.goto(f"{base}/safety/{event}")
        page.wait_for_function("document.getElementById('marks-map').dataset.drawn === '2'")
        labels = page.locator(".fm-mark-label").all_inner_texts()
        assert any("西町四丁目" in t and "無事 1" in t and "未確認 1" in t for t in labels), labels
        assert page.locator(".fm-mark-label.fm-mark-open").count() == 2  # both have someone unconfirmed
    finally:
        server.shutdown()
