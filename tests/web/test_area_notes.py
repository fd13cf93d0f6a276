"""懇談会 notes on a profile: coordinators of the city write and read them; nobody else sees them."""

from __future__ import annotations

from urllib.parse import quote, unquote

import pytest

from app.services import imports
from tests.importers.helpers import write_csv
from tests.services.worlds import CELLS
from tests.web.helpers import _csrf, _login

ISSUE = "架空の課題: 坂道が多く集いの場まで歩けない"


@pytest.fixture
def district(world, tmp_path):
    """The world's people in four cells by 国分寺駅, and the approximate district holding them."""
    header = ["KEY_CODE", "HTKSYORI", "HTKSAKI", "GASSAN", "T001142001", "T001142019"]
    imports.import_population(world.repo, write_csv(tmp_path / "mesh_2020.csv",
                                                    [header, *[[c, "0", "", "", "400", "100"] for c in CELLS]]))
    centre = world.repo.population_frame("mesh250").geometry.union_all().centroid
    [code] = [a["code"] for a in world.repo.areas_at(centre.x, centre.y) if a["kind"] == "school_district"]
    return f"/areas/school_district/{quote(code)}"


def test_a_coordinator_writes_a_note_that_only_the_citys_coordinators_read(world, district):
    coordinator = _login(world.app, "kokubunji")
    added = coordinator.post(f"{district}/notes", data={
        "csrf_token": _csrf(coordinator, district), "noted_on": "2026-11-20", "issue": ISSUE,
        "proposal": "架空の提案", "owner": "架空の地区社協", "status": "open"})
    assert added.status_code == 302
    assert ISSUE in coordinator.get(district).get_data(as_text=True)
    for reader in (world.app.test_client(), _login(world.app, "koganei")):
        page = reader.get(district)
        assert page.status_code == 200 and ISSUE not in page.get_data(as_text=True)
    other = _login(world.app, "koganei")
    assert other.post(f"{district}/notes", data={"csrf_token": _csrf(other, "/workspace"), "noted_on": "2026-11-20",
                                                 "issue": "x"}).status_code == 403


def test_a_status_change_keeps_the_history_and_refuses_a_stale_form(world, district):
    coordinator = _login(world.app, "kokubunji")
    token = _csrf(coordinator, district)
    coordinator.post(f"{district}/notes", data={"csrf_token": token, "noted_on": "2026-11-20", "issue": ISSUE})
    [note] = world.accounts.notes("school_district", _code(district))
    coordinator.post(f"{district}/notes/{note['id']}", data={"csrf_token": token, "status": "in_progress",
                                                             "version": "1"})
    stale = coordinator.post(f"{district}/notes/{note['id']}", data={"csrf_token": token, "status": "done",
                                                                     "version": "1"})
    assert stale.status_code == 302
    assert world.accounts.note(note["id"])["status"] == "in_progress"
    blind = coordinator.post(f"{district}/notes/{note['id']}", data={"csrf_token": token, "status": "done"})
    assert blind.status_code == 428 and world.accounts.note(note["id"])["status"] == "in_progress"
    history = world.accounts.note_history(note["id"])
    assert [v["snapshot"]["status"] for v in history] == ["open", "in_progress"]
    assert all(v["username"] == "kokubunji" for v in history)


def test_a_bad_note_is_refused_with_the_field(world, district):
    coordinator = _login(world.app, "kokubunji")
    coordinator.post(f"{district}/notes", data={"csrf_token": _csrf(coordinator, district),
                                                "noted_on": "11月20日", "issue": ISSUE})
    page = coordinator.get(district).get_data(as_text=True)
    assert "noted_on" in page and "YYYY-MM-DD" in page and world.accounts.notes("school_district", _code(district)) == []


def _code(path: str) -> str:
    return unquote(path.rsplit("/", 1)[1])
