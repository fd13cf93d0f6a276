"""``/workspace/supporters``: a coordinator gives supporters their areas by name, audited, for their city only."""

from __future__ import annotations

import pytest

from tests.web.helpers import _csrf, _login, _names, add_people


@pytest.fixture
def people(world):
    return add_people(world)


def test_a_coordinator_gives_a_supporter_their_areas_by_name(people):
    """/workspace/supporters: ticked names, not typed codes; the people seen follow; audited; only theirs."""
    coordinator = _login(people.app, "kokubunji")
    page = coordinator.get("/workspace/supporters").get_data(as_text=True)
    west = page[page.index('id="supporter-supporter_west"'):]
    west = west[:west.index("</section>")]
    assert 'value="13214:西町四丁目" checked' in west and "いまの担当 / now: 西町四丁目" in west
    west_client = _login(people.app, "supporter_west")
    before = _names(west_client)
    token = _csrf(coordinator, "/workspace/supporters")
    nothing = coordinator.post("/workspace/supporters/supporter_west", data={"csrf_token": token})
    assert nothing.status_code == 302 and people.accounts.user(username="supporter_west")["areas"] == [
        ("chome", "13214:西町四丁目")]
    unreadable = coordinator.post("/workspace/supporters/supporter_west",
                                  data={"csrf_token": token, "chome": "13214:架空町九丁目"})
    assert unreadable.status_code == 302 and len(people.accounts.user(username="supporter_west")["areas"]) == 1
    moved = coordinator.post("/workspace/supporters/supporter_west",
                             data={"csrf_token": token, "chome": ["13214:西町四丁目", "13214:本多一丁目"]})
    assert moved.status_code == 302
    assert set(people.accounts.user(username="supporter_west")["areas"]) == {
        ("chome", "13214:西町四丁目"), ("chome", "13214:本多一丁目")}
    after = _names(west_client)  # at once, in the same session
    assert before < after and after == before | _names(_login(people.app, "supporter_honda"))
    [entry] = [e for e in people.accounts.history(city="13214") if e["action"] == "areas"]
    assert entry["username"] == "kokubunji"
    assert entry["after"] == {"supporter_areas": ["13214:西町四丁目", "13214:本多一丁目"]}
    log = coordinator.get("/workspace/changes?city=13214").get_data(as_text=True)
    assert "支援者の担当地区" in log and "担当地区: 西町四丁目 → 西町四丁目、本多一丁目" in log
    other = _login(people.app, "koganei")  # 小金井's coordinator neither sees nor moves 国分寺's supporters
    assert "supporter_west" not in other.get("/workspace/supporters").get_data(as_text=True)
    assert other.post("/workspace/supporters/supporter_west",
                      data={"csrf_token": _csrf(other, "/workspace")}).status_code == 404
    assert west_client.get("/workspace/supporters").status_code == 403
