"""A drill on a small world: shelters open, fill and close, and each registered person's plan follows.

The people are the made-up register of ``helpers`` (架空 花子 uses a wheelchair, 見本 次郎 needs help
with cognition, both in 西町四丁目; 試験 太郎 in 本多一丁目); the shelters are 国分寺's real ones.
"""

from __future__ import annotations

import subprocess

from app.domain import day_plan
from app.domain.targets import open_to_all
from app.services import day_plans
from tests.web.helpers import _login, add_people

HAZARD = "earthquake"


def _open_event(world) -> int:
    runner = world.app.test_cli_runner()
    opened = runner.invoke(args=["event", "open", "架空の地震訓練", "--city", "13214", "--hazard", HAZARD])
    assert opened.exit_code == 0, opened.output
    return int(opened.output.split()[2].rstrip(":"))


def _site(world, event, site, *args):
    done = world.app.test_cli_runner().invoke(args=["event", "site", str(event), str(site), *args])
    assert done.exit_code == 0, done.output


def _three_shelters(world) -> list[dict]:
    """The three general shelters nearest 西町四丁目 that the event's hazard does not rule out."""
    twins = {r["site_key"]: r["hazards"] for r in world.repo.find_resources(kinds=["emergency_site"], limit=10_000)}
    rows = world.repo.find_resources(kinds=["shelter"], city="13214", near=(139.4377, 35.7100), limit=200)
    fit = [r for r in rows if open_to_all(r["targets"])
           and day_plan.designation(r["hazards"], twins.get(r["site_key"]), HAZARD) is not False]
    return fit[:3]


def test_plans_follow_the_shelters_as_they_open_fill_and_close(world, tmp_path):
    add_people(world)
    event = _open_event(world)
    near, second, third = _three_shelters(world)
    for site in (near, second, third):
        _site(world, event, site["id"], "--open", "--people", "10", "--capacity-day", "100")
    coordinator = _login(world.app, "kokubunji")
    listed = coordinator.get("/persons").get_data(as_text=True)
    assert "今日の行き先" in listed and listed.count(near["name"]) >= 2  # 花子 and 次郎 both to the nearest

    _site(world, event, near["id"], "--state", "満員")
    path = tmp_path / "access.csv"
    path.write_text(f"施設名,段差なし入口\n{second['name']},×\n", encoding="utf-8")
    imported = world.app.test_cli_runner().invoke(args=["import", "access", str(path), "--city", "13214"])
    assert imported.exit_code == 0, imported.output
    with world.app.app_context():
        picture = _picture(world, event)
    by_name = {p["name"]: p for p in picture["people"]}
    # 花子 (車いす) skips the full one and the one with steps; 次郎 can take the steps.
    assert by_name["架空 花子"]["plan"]["name"] == third["name"]
    assert by_name["見本 次郎"]["plan"]["name"] in (second["name"], third["name"])
    assert "段差なし入口が不明" not in str(by_name["見本 次郎"]["plan"])  # he needs no step-free way in
    assert picture["headed"][near["id"]] == 0  # a full shelter gets nobody

    board = coordinator.get(f"/safety/{event}").get_data(as_text=True)
    assert "向かう要支援者・空き" in board and "空き 90 人" in board
    west = _login(world.app, "supporter_west")
    paper = _pdf_text(west.get("/persons.pdf?layout=pages").data)
    assert f"今日（架空の地震訓練）: {third['name']}" in paper  # 花子's sheet, printed on the day
    _the_public_sees_the_same(world, event, {near["id"]: "満員", second["id"]: "受入可", third["id"]: "受入可"})

    _site(world, event, third["id"], "--close")
    with world.app.app_context():
        picture = _picture(world, event)
    by_name = {p["name"]: p for p in picture["people"]}
    assert by_name["架空 花子"]["plan"] is None and "架空 花子" in picture["beyond"]
    board = coordinator.get(f"/safety/{event}").get_data(as_text=True)
    assert "行ける避難所がない方" in board and "架空 花子" in board.split('id="beyond-heading"')[1].split("</section>")[0]
    page = coordinator.get(f"/persons/{by_name['架空 花子']['id']}").get_data(as_text=True)
    assert "今日の行き先" in page and "この方に合い、空きのある避難所がありません" in page


def test_a_supporter_sees_the_day_only_for_their_own_people(world):
    add_people(world)
    event = _open_event(world)
    near, *_ = _three_shelters(world)
    _site(world, event, near["id"], "--open")
    honda = _login(world.app, "supporter_honda")
    listed = honda.get("/persons").get_data(as_text=True)
    assert "試験 太郎" in listed and "架空 花子" not in listed and "今日の行き先" in listed
    board = honda.get(f"/safety/{event}").get_data(as_text=True)
    assert "架空 花子" not in board and "見本 次郎" not in board
    assert "向かう要支援者・空き" not in board  # the sites' table is the coordinators'


def test_an_ordinary_day_says_nothing_of_today(world):
    add_people(world)
    coordinator = _login(world.app, "kokubunji")
    assert "今日の行き先" not in coordinator.get("/persons").get_data(as_text=True)


def _pdf_text(body: bytes) -> str:
    text = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split()).replace("（ ", "（")


def _the_public_sees_the_same(world, event, states: dict[int, str]) -> None:
    """The public JSON and the OGC collection say each site's state as the board does (no names of people)."""
    public = world.app.test_client()
    listed = public.get("/ogcapi/collections").get_json()["collections"]
    assert f"event-{event}-sites" in {c["id"] for c in listed}
    items = public.get(f"/ogcapi/collections/event-{event}-sites/items?limit=50")
    assert items.status_code == 200 and items.headers["ETag"]
    assert {f["id"]: f["properties"]["state_label"] for f in items.get_json()["features"]} == states
    again = public.get(f"/ogcapi/collections/event-{event}-sites/items?limit=50",
                       headers={"If-None-Match": items.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    sites = public.get(f"/api/v1/events/{event}/sites").get_json()["sites"]
    assert {s["site_id"]: s["state_label"] for s in sites} == states
    one = public.get(f"/ogcapi/collections/event-{event}-sites/items/{next(iter(states))}").get_json()
    assert one["properties"]["state_label"] == "満員" and one["geometry"]["type"] == "Point"
    assert "架空" not in items.get_data(as_text=True) and "花子" not in items.get_data(as_text=True)
    assert public.get("/ogcapi/collections/event-999999-sites/items").status_code == 404


def _picture(world, event_id) -> dict:
    from app.domain.access import Viewer
    from app.services import persons

    event = world.app.extensions["safety"].event(event_id)
    rows = persons.people(Viewer("admin"), "event", {"id": None, "username": "test"})
    picture = day_plans.day_plans(event, rows)
    return {"people": [{"id": r["id"], "name": r["name"], "plan": picture.plans[r["id"]]} for r in rows],
            "headed": {s["id"]: s["headed"] for s in picture.sites},
            "beyond": [r["name"] for r in picture.beyond]}
