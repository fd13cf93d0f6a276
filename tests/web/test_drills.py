"""防災訓練 as dated events at a place, and the 災害ボランティアセンター opened like a shelter.

Drills show on the map, the calendar and the 地区カルテ. Every name here is made up.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from app.services import imports
from tests.conftest import open_data
from tests.web.helpers import _login


def _csv(world, name: str, rows: list[list[str]]) -> Path:
    target = Path(world.app.config["INSTANCE_DIR"]) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\r\n".join(",".join(r) for r in rows) + "\r\n", encoding="utf-8")
    return target


def _import(world, path, kind):
    return world.app.test_cli_runner().invoke(args=["import", "resources", str(path), "--kind", kind,
                                                    "--city", "13214"])


def test_a_drill_is_on_the_map_the_calendar_and_its_districts_profile(world):
    day = date.today() + timedelta(days=6)
    when = f"{day.year}年{day.month}月{day.day}日 10:00"
    path = _csv(world, "訓練.csv", [["名称", "開催日時", "会場", "住所", "想定災害", "対象地域"],
                                     ["架空町会 防災訓練", when, "架空公園", "国分寺市西町4-12-3", "地震、水害", "西町四丁目"]])
    done = _import(world, path, "drill")
    assert done.exit_code == 0, done.output
    imports.import_population(world.repo, open_data("population/estat_mesh250m_2020_age.csv"))  # the カルテ's
    client = world.app.test_client()
    [drill] = client.get("/api/v1/resources?kind=drill").get_json()["features"]
    assert sorted(drill["properties"]["hazards"]) == ["earthquake", "flood"]
    events = client.get("/api/v1/events?city=13214&kind=drill&days=30").get_json()["events"]
    assert [e["starts"][:10] for e in events] == [day.isoformat()]
    lon, lat = drill["geometry"]["coordinates"]
    [district] = [a for a in world.repo.areas_at(lon, lat) if a["kind"] == "school_district"]
    page = client.get(f"/areas/school_district/{district['code']}").get_data(as_text=True)
    assert "防災訓練" in page and "架空町会 防災訓練" in page and "地震" in page


def test_a_hazard_no_one_can_read_refuses_the_list_naming_the_cell(world):
    path = _csv(world, "訓練.csv", [["名称", "開催日時", "住所", "想定災害"],
                                     ["架空の訓練", "2026年12月13日", "国分寺市西町4-12-3", "隕石"]])
    done = _import(world, path, "drill")
    assert done.exit_code != 0 and "row 2" in done.output and "想定災害" in done.output and "隕石" in done.output
    assert world.app.test_client().get("/api/v1/resources?kind=drill").get_json()["features"] == []


def test_a_volunteer_centre_is_opened_in_an_event_like_a_shelter(world):
    path = _csv(world, "災害VC.csv", [["名称", "住所"], ["架空災害ボランティアセンター", "国分寺市本多1-1-1"]])
    assert _import(world, path, "volunteer_centre").exit_code == 0
    runner = world.app.test_cli_runner()
    opened = runner.invoke(args=["event", "open", "架空の地震訓練", "--city", "13214", "--hazard", "earthquake"])
    event = opened.output.split()[2].rstrip(":")
    done = runner.invoke(args=["event", "site", event, "架空災害ボランティアセンター", "--open"])
    assert done.exit_code == 0, done.output
    [site] = world.app.test_client().get(f"/api/v1/events/{event}/sites").get_json()["sites"]
    assert site["kind"] == "volunteer_centre" and site["open"]
    desk = _login(world.app, "kokubunji").get(f"/safety/{event}/sites").get_data(as_text=True)
    assert "架空災害ボランティアセンター" in desk
