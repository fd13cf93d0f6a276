"""Shelters on the day: opened, filled and closed in an event by the command line and the API, all kept."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app.domain import site_status
from app.services import safety_sites
from app.storage.schema import audit_log, event_site_updates
from tests.web.helpers import _csrf, _login


def _event(world, hazard="flood") -> int:
    runner = world.app.test_cli_runner()
    opened = runner.invoke(args=["event", "open", "架空の水害訓練", "--city", "13214", "--hazard", hazard])
    assert opened.exit_code == 0, opened.output
    return int(opened.output.split()[2].rstrip(":"))


def _updates(world) -> int:
    with world.repo.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(event_site_updates)).scalar_one()


def test_a_coordinator_opens_fills_and_closes_a_shelter_from_the_command_line(world):
    event = _event(world)
    assert world.app.extensions["safety"].event(event)["hazard"] == "flood"
    name = world.repo.find_resources(kinds=["shelter"], city="13214", limit=1)[0]["name"]
    runner = world.app.test_cli_runner()
    opened = runner.invoke(args=["event", "site", str(event), name, "--open", "--people", "12",
                                 "--state", "混雑", "--has", "水、トイレ"])
    assert opened.exit_code == 0 and f"{name}: open, 混雑, 12 people" in opened.output, opened.output
    more = runner.invoke(args=["event", "site", str(event), name, "--people", "30"])
    assert more.exit_code == 0 and "混雑, 30 people" in more.output  # what is not said stays as it was
    closed = runner.invoke(args=["event", "site", str(event), name, "--close"])
    assert closed.exit_code == 0 and f"{name}: closed, 閉鎖" in closed.output
    history = world.app.extensions["safety"].site_updates(event)
    assert [(u["open"], u["people"], u["state"], u["has"]) for u in history] == [
        (True, 12, "crowded", ["water", "toilet"]), (True, 30, "crowded", ["water", "toilet"]),
        (False, 30, "closed", ["water", "toilet"])]  # every change kept, nothing overwritten
    with world.repo.engine.connect() as conn:
        actions = conn.execute(select(audit_log.c.action).where(audit_log.c.action == "site")).all()
    assert len(actions) == 3


def test_a_change_that_cannot_be_read_names_what_and_stores_nothing(world):
    event = _event(world)
    site = str(world.shelter)
    runner = world.app.test_cli_runner()
    for args, said in ((["--state", "たぶん"], "state"), (["--has", "水,ラーメン"], "ラーメン"),
                       (["--people", "-3"], "people"), (["--state", "閉鎖"], "close with open=false")):
        refused = runner.invoke(args=["event", "site", str(event), site, "--open", *args])
        assert refused.exit_code == 1 and said in refused.output, (args, refused.output)
    unknown = runner.invoke(args=["event", "site", str(event), "架空の避難所", "--open"])
    assert unknown.exit_code == 1 and "架空の避難所" in unknown.output
    assert _updates(world) == 0
    assert runner.invoke(args=["event", "close", str(event)]).exit_code == 0
    late = runner.invoke(args=["event", "site", str(event), site, "--open"])
    assert late.exit_code == 1 and "closed" in late.output and _updates(world) == 0


def test_the_api_opens_a_site_for_the_citys_coordinators_only(world):
    event = _event(world)
    url = f"/api/v1/events/{event}/sites/{world.shelter}"
    token = world.accounts.issue_token("kokubunji", "day-of")
    answer = world.app.test_client().post(url, json={"open": True, "people": 40, "state": "満員",
                                                     "has": ["水", "pets"]},
                                          headers={"Authorization": f"Bearer {token}"})
    body = answer.get_json()
    assert answer.status_code == 200 and body["state_label"] == "満員" and body["has_labels"] == ["水", "ペット"]
    assert body["open"] and body["people"] == 40 and body["updated_by"] == "kokubunji"
    other = world.accounts.issue_token("koganei", "day-of")
    refused = world.app.test_client().post(url, json={"open": False}, headers={"Authorization": f"Bearer {other}"})
    assert refused.status_code == 403
    assert world.app.test_client().post(url, json={"open": False}).status_code == 401
    bad = world.app.test_client().post(url, json={"colour": "red"}, headers={"Authorization": f"Bearer {token}"})
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "colour"
    missing = world.app.test_client().post(f"/api/v1/events/{event}/sites/999999", json={"open": True},
                                           headers={"Authorization": f"Bearer {token}"})
    assert missing.status_code == 404 and _updates(world) == 1


def test_the_board_shows_each_site_with_its_last_update_and_says_when_it_is_stale(world):
    event = _event(world)
    name = world.repo.find_resources(kinds=["shelter"], city="13214", limit=1)[0]["name"]
    world.app.test_cli_runner().invoke(args=["event", "site", str(event), name, "--open", "--people", "5"])
    coordinator = _login(world.app, "kokubunji")
    page = coordinator.get(f"/safety/{event}").get_data(as_text=True)
    sites = page[page.index('id="sites-heading"'):page.index("</section>", page.index('id="sites-heading"'))]
    assert name in sites and "受入可" in sites and "5 人" in sites and "3時間以上更新なし" not in sites
    assert _csrf(coordinator, f"/safety/{event}")  # the board is a page with its forms
    now = datetime.now(UTC)
    assert site_status.stale(now - timedelta(hours=3, minutes=1), now)
    assert not site_status.stale(now - timedelta(hours=2, minutes=59), now)
    assert site_status.next_status({"open": True, "state": "full", "people": 90, "has": ["water"]},
                                   {"open": False})["state"] == "closed"


def test_the_public_reads_the_sites_status_and_polls_it_cheaply(world):
    """No login; no count of people below the threshold; 304 while nothing changed; CSV in words."""
    event = _event(world)
    runner = world.app.test_cli_runner()
    runner.invoke(args=["event", "site", str(event), str(world.shelter), "--open", "--people", "2",
                        "--has", "水"])
    public = world.app.test_client()
    assert event in [e["id"] for e in public.get("/api/v1/disaster-events").get_json()["events"]]
    first = public.get(f"/api/v1/events/{event}/sites")
    [site] = first.get_json()["sites"]
    assert site["open"] and site["state_label"] == "受入可" and site["people"] is None
    assert site["people_label"] == "3未満" and site["has_labels"] == ["水"] and not site["stale"]
    etag = first.headers["ETag"]
    assert public.get(f"/api/v1/events/{event}/sites", headers={"If-None-Match": etag}).status_code == 304
    runner.invoke(args=["event", "site", str(event), str(world.shelter), "--people", "23", "--state", "混雑"])
    changed = public.get(f"/api/v1/events/{event}/sites", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.get_json()["sites"][0]["people"] == 25  # rounded
    table = public.get(f"/api/v1/events/{event}/sites?format=csv").data.decode("utf-8-sig")
    assert "混雑" in table and "水" in table and "crowded" not in table
    assert public.get("/api/v1/events/999999/sites").status_code == 404


@pytest.mark.browser
def test_the_residents_map_shows_the_shelters_open_today_in_words(world, page):
    """A banner for the event, a badge per open site saying its state, a popup without small counts."""
    event = _event(world)
    runner = world.app.test_cli_runner()
    names = [r["name"] for r in world.repo.find_resources(kinds=["shelter"], city="13214", limit=2)]
    runner.invoke(args=["event", "site", str(event), names[0], "--open", "--people", "2", "--has", "水"])
    runner.invoke(args=["event", "site", str(event), names[1], "--open", "--people", "90", "--state", "満員"])
    server = make_server("127.0.0.1", 0, world.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}/?city=13214")
        page.wait_for_function("document.body.dataset.openSites === '2'")
        assert "架空の水害訓練" in page.inner_text("#day-status") and "2 か所" in page.inner_text("#day-status")
        badges = sorted(page.locator(".fm-site-state").all_inner_texts())
        assert badges == ["受入可", "満員"]
        page.locator(".fm-site-state", has_text="受入可").click()
        popup = page.locator(".leaflet-popup-content").inner_text()
        assert names[0] in popup and "3未満" in popup and "水" in popup and "最終更新" in popup
    finally:
        server.shutdown()


def test_a_site_left_without_news_turns_stale_for_a_client_holding_an_old_answer(world):
    event = _event(world)
    world.app.test_cli_runner().invoke(args=["event", "site", str(event), str(world.shelter), "--open"])
    with world.app.app_context():
        now = datetime.now(UTC)
        fresh, version = safety_sites.public_sites(event, 3, now=now)
        later, later_version = safety_sites.public_sites(event, 3, now=now + timedelta(hours=3, minutes=5))
    assert not fresh["sites"][0]["stale"] and later["sites"][0]["stale"] and version != later_version


def test_the_board_says_the_time_as_a_clock_in_japan_shows_it(world):
    """Stored in UTC, shown in Japan's time: a site updated at 21:28 UTC reads 06:28."""
    event = _event(world)
    world.app.test_cli_runner().invoke(args=["event", "site", str(event), str(world.shelter), "--open"])
    [update] = world.app.extensions["safety"].site_updates(event)
    at = update["at"] if update["at"].tzinfo else update["at"].replace(tzinfo=UTC)
    page = _login(world.app, "kokubunji").get(f"/safety/{event}").get_data(as_text=True)
    row = page[page.index('id="sites-heading"'):]
    assert at.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M") in row
    if at.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M") != at.strftime("%H:%M"):
        assert f">{at.strftime('%H:%M')} " not in row  # not the UTC clock


def test_a_site_opens_with_the_capacity_the_councils_list_gives(world, tmp_path):
    [row] = world.repo.find_resources(ids=[world.shelter])
    path = tmp_path / "収容人数.csv"
    path.write_text(f"施設名,収容人数\n{row['name']},480\n", encoding="utf-8")
    runner = world.app.test_cli_runner()
    assert runner.invoke(args=["import", "capacity", str(path), "--city", row["city_code"]]).exit_code == 0
    event = _event(world)
    assert runner.invoke(args=["event", "site", str(event), str(world.shelter), "--open"]).exit_code == 0
    [status] = world.app.extensions["safety"].site_updates(event)
    assert status["capacity_day"] == 480  # editable from here: the list's figure is where it starts


def test_how_long_news_stays_fresh_is_a_setting(world):
    event = _event(world)
    world.app.test_cli_runner().invoke(args=["event", "site", str(event), str(world.shelter), "--open"])
    world.app.config["SITE_STALE_HOURS"] = 1
    with world.app.app_context():
        now = datetime.now(UTC)
        later, _ = safety_sites.public_sites(event, 3, now=now + timedelta(hours=1, minutes=30))
    assert later["sites"][0]["stale"]  # 1 h 30 min without news, with the setting at 1 hour
