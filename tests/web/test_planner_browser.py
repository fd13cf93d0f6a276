"""The planner's page in headless Chromium: each question, its table, its file and its map, on the demo data."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _asked(page, url: str, phone: bool = False) -> None:
    """Open the planner's page at ``url`` (on a phone's screen) and wait for its first answer."""
    if phone:
        page.set_viewport_size(PHONE)
    page.goto(url)
    page.wait_for_function("document.body.dataset.analysis === 'done'")


def test_analysis_page_what_if(page, live_server, demo_client):
    _asked(page, live_server + "/analysis?city=13214")
    api = demo_client.get("/api/v1/analysis/coverage?kind=salon&city=13214&minutes=10").get_json()
    assert float(page.evaluate("document.body.dataset.covered")) == pytest.approx(api["totals"]["covered"])
    assert page.locator("#a-table tbody tr").count() == len(api["areas"])
    assert page.locator("#a-suggestions li").count() == 3
    before = float(page.evaluate("document.body.dataset.covered"))
    page.click("#a-add")
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
    page.wait_for_function(f"document.body.dataset.analysis === 'done' && "
                           f"Number(document.body.dataset.covered) !== {before}")
    assert float(page.evaluate("document.body.dataset.covered")) > before
    assert "+" in page.inner_text(".fm-change")
    assert page.js_errors == []


def test_the_analysis_counts_older_people_and_the_places_for_them_when_asked(page, live_server, demo_client):
    """「高齢者」: people aged 65+, and only places for them or for everyone (the API's target=older)."""
    _asked(page, live_server + "/analysis?city=13214")
    everyone = float(page.evaluate("document.body.dataset.covered"))
    page.select_option("#a-target", "older")
    page.click("#analysis-form button[type=submit]")
    page.wait_for_function(f"document.body.dataset.analysis === 'done' && "
                           f"Number(document.body.dataset.covered) !== {everyone}")
    older = demo_client.get("/api/v1/analysis/coverage?kind=salon&city=13214&minutes=10&target=older").get_json()
    assert float(page.evaluate("document.body.dataset.covered")) == pytest.approx(older["totals"]["covered"])
    assert "target=older" in page.get_attribute("#a-csv", "href")  # the file saved is the answer shown
    assert page.js_errors == []


def test_on_a_phone_the_analysis_answer_comes_before_its_conditions(page, live_server):
    """390 px: the conditions fold under one button, the sources are one link; the answer is on screen."""
    _asked(page, live_server + "/analysis?city=13214", phone=True)
    toggle = page.locator("#a-conditions")
    assert toggle.get_attribute("aria-expanded") == "false" and not page.locator("#a-city").is_visible()
    assert toggle.bounding_box()["height"] >= 44 and page.locator("#a-summary").bounding_box()["y"] < 844
    assert not page.locator("footer .fm-sources").is_visible() and page.locator(".fm-sources-link").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and page.locator("#a-city").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_analysis_page_names_its_data_limits(page, live_server):
    _asked(page, live_server + "/analysis?city=13214")
    limits = page.locator("#a-summary .fm-limits").inner_text()
    # In the page's language: no English sentence on a Japanese page.
    assert "データの限界" in limits and "近似です" in limits and "approximate" not in limits


def test_the_analysis_map_follows_the_city_chosen(page, live_server, demo_client):
    _asked(page, live_server + "/analysis?city=13214")
    page.select_option("#a-city", "13229")  # 西東京市: its figures, and the map over it
    page.wait_for_function("document.body.dataset.analysis === 'done' && "
                           "window.fureaiAnalysisState.shownCity === '13229'")
    centre = page.evaluate("(() => { const c = window.fureaiAnalysisMap.getCenter(); return [c.lng, c.lat]; })()")
    west, south, east, north = _bounds(demo_client, "13229")
    assert west <= centre[0] <= east and south <= centre[1] <= north


def _bounds(client, city: str) -> tuple[float, float, float, float]:
    import shapely

    areas = client.get(f"/api/v1/areas?kind=city&city={city}").get_json()["features"]
    return shapely.GeometryCollection([shapely.geometry.shape(a["geometry"]) for a in areas]).bounds


def test_the_planner_saves_what_is_on_screen_as_a_csv_a_person_reads(page, live_server, demo_client):
    _asked(page, live_server + "/analysis?city=13214")
    href = page.get_attribute("#a-csv", "href")
    assert "format=csv" in href and "lang=ja" in href and "city=13214" in href
    assert page.locator("#a-print").is_visible()
    table = demo_client.get(href).data.decode("utf-8-sig").splitlines()
    header, first = table[0].split(","), table[1].split(",")
    assert header[:6] == ["区域コード", "区域名", "市区町村コード", "人口（人）", "歩いて行ける人", "歩いて行けない人"]
    assert all(cell.isdigit() for cell in first[3:6])  # whole people
    assert "{" not in table[1] and "直線距離×係数" in table[1]  # the model in words, not a JSON cell


def test_the_planner_asks_who_can_walk_to_each_kind_of_shelter(page, live_server, demo_client):
    """指定避難所 / 福祉避難所 / 緊急避難場所 per area; an emergency site counts for the hazard chosen."""
    _asked(page, live_server + "/analysis?question=shelters&city=13214")
    assert page.title().startswith("避難所に歩いて行けるか") and page.locator("#a-add").count() == 0
    api = demo_client.get("/api/v1/analysis/reach?city=13214&minutes=15").get_json()
    summary = page.inner_text("#a-summary")
    assert all(label in summary for label in ("指定避難所", "福祉避難所", "緊急避難場所"))
    assert page.locator("#a-table tbody tr").count() == len(api["areas"])
    page.select_option("#a-layer", "emergency_site")
    page.select_option("#a-hazard", "flood")
    page.click("#analysis-form button[type=submit]")
    page.wait_for_function("document.body.dataset.analysis === 'done' && document.querySelector('#a-csv')"
                           ".href.includes('hazard=flood')")
    flood = demo_client.get("/api/v1/analysis/reach?city=13214&minutes=15&hazard=flood").get_json()
    covered = flood["layers"]["emergency_site"]["covered"]
    assert float(page.evaluate("document.body.dataset.covered")) == pytest.approx(covered)
    assert "緊急避難場所に歩いて行ける人の割合" in page.inner_text("#a-legend")
    table = demo_client.get(page.get_attribute("#a-csv", "href")).data.decode("utf-8-sig").splitlines()
    assert "緊急避難場所に歩いて行ける割合（%）" in table[0] and len(table) == len(api["areas"]) + 1
    assert page.js_errors == []


def test_the_planner_holds_each_shelters_people_against_its_room(page, live_server, demo_client):
    """Capacity: per shelter the people nearest it and its capacity, unknown said as unknown, never 0."""
    _asked(page, live_server + "/analysis?question=capacity&city=13214")
    api = demo_client.get("/api/v1/analysis/reach?city=13214&minutes=15&measure=total").get_json()
    shelters = api["catchments"]["shelters"]
    assert page.locator("#a-table tbody tr").count() == len(shelters)
    first = page.locator("#a-table tbody tr").first.inner_text()
    assert shelters[0]["name"] in first
    if shelters[0]["capacity"] is None:
        assert "不明" in first
    known, unknown = api["catchments"]["capacity_known"], api["catchments"]["capacity_unknown"]
    assert f"{known} か所 / {known + unknown} か所" in page.inner_text("#a-summary")
    href = page.get_attribute("#a-csv", "href")
    assert "table=shelters" in href and "measure=total" in href
    rows = demo_client.get(href).data.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("番号,避難所,市区町村コード,最寄りがここの人,うち歩いて行ける人,収容人数（人）")
    assert len(rows) == len(shelters) + 1 and rows[1].split(",")[3].isdigit()  # whole people
    assert page.js_errors == []


def test_on_a_phone_the_planners_questions_are_tabs_a_finger_hits(page, live_server):
    _asked(page, live_server + "/analysis?question=capacity&city=13229&lang=en", phone=True)
    tabs = page.locator(".fm-questions a")
    assert tabs.count() == 3 and all(tabs.nth(i).bounding_box()["height"] >= 44 for i in range(3))
    assert page.locator(".fm-questions a[aria-current=page]").inner_text() == "Shelter room against people"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "city=13229" in tabs.first.get_attribute("href") and "lang=en" in tabs.first.get_attribute("href")
