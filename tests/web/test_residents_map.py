"""The residents' map by keyboard, on a phone and from a typed address, in headless Chromium."""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urlparse

import pytest

from app.domain.kinds import HAZARDS
from tests.web.test_map_browser import KOKUBUNJI, _open

pytestmark = pytest.mark.browser


def test_typing_a_chome_shows_it_and_its_district(page, live_server):
    _open(page, live_server)
    page.fill("#search-input", "西町四丁目")
    page.press("#search-input", "Enter")
    result = page.locator("#search-results .fm-result[data-place-type='chome']")
    assert "国分寺市西町四丁目" in result.inner_text()
    district = page.locator("#near-results .fm-district")
    district.wait_for()
    assert "小学校" in district.inner_text()
    assert page.locator("#near-results .fm-result").count() > 0  # what is near, from that point
    profile = page.locator("#near-results a.fm-profile").first.get_attribute("href")
    assert profile.startswith("/areas/school_district/13214")
    card = page.locator("#near-results a.fm-card").get_attribute("href")
    assert card.startswith("/card?lat=35.") and "pace=43" in card


def test_tab_reaches_near_me_within_five_presses(page, live_server):
    _open(page, live_server)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#near')")
    markers = page.locator(".leaflet-marker-icon")
    assert markers.count() > 0 and markers.evaluate_all("ms => ms.every(m => m.tabIndex < 0)")


def _phone(browser):
    """A 390 × 844 touch screen whose outside requests (tiles) answer with nothing."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  bypass_csp=True)
    page = context.new_page()
    page.route(lambda url: urlparse(url).hostname not in ("127.0.0.1", "localhost"),
               lambda route: route.fulfill(status=204, body=""))
    return context, page


def test_a_phone_sees_near_results_without_scrolling_by_hand(browser, live_server):
    context, page = _phone(browser)
    _open(page, live_server)
    page.fill("#search-input", "西町4-12-3")
    page.press("#search-input", "Enter")
    first = page.locator("#near-results .fm-result").first
    first.wait_for()
    page.wait_for_timeout(300)  # the smooth part of scrollIntoView
    box = first.bounding_box()
    context.close()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844


def _busy_spot(demo_client) -> tuple[float, float, set[str]]:
    """A spot of 国分寺 where places of several kinds shown by default meet (from the API)."""
    spots = defaultdict(list)
    for kind in ("shelter", "hub", "salon"):
        for f in demo_client.get(f"/api/v1/resources?kind={kind}&city=13214&limit=1000").get_json()["features"]:
            lon, lat = f["geometry"]["coordinates"]
            spots[(round(lat, 4), round(lon, 4))].append(f["properties"]["name"])
    (lat, lon), names = max(spots.items(), key=lambda item: len(set(item[1])))
    assert len(set(names)) >= 2
    return lat, lon, set(names)


def test_one_popup_lists_every_place_at_a_spot(page, live_server, demo_client):
    lat, lon, names = _busy_spot(demo_client)
    _open(page, live_server, f"{KOKUBUNJI}&lat={lat}&lon={lon}&z=18&layers=shelter,hub,salon")
    page.wait_for_function("document.body.dataset.loaded_salon !== undefined "
                           "&& document.body.dataset.loading === '0'")
    page.evaluate("([lat, lon]) => { let hit = null; window.fureai.map.eachLayer((l) => {"
                  " if (l.getLatLng && l.getPopup && l.getPopup() && !hit && l.getLatLng().distanceTo([lat, lon]) < 12)"
                  " { hit = l; } }); hit.openPopup(); }", [lat, lon])
    popup = page.locator(".leaflet-popup-content .fm-spot")
    popup.wait_for()
    text = popup.inner_text()
    assert all(name in text for name in names), (names, text)


def test_the_analysis_page_has_a_legend_and_says_its_model_in_words(page, live_server):
    page.goto(live_server + "/analysis?city=13214")
    page.wait_for_selector("body[data-analysis='done']", state="attached")
    legend = page.inner_text("#a-legend")
    assert "0–20%" in legend and "80–100%" in legend and "データなし" in legend
    summary = page.inner_text("#a-summary")
    assert "直線距離×迂回係数" in summary and "straight_line" not in summary


def test_the_household_card_in_the_browser(page, live_server):
    page.goto(live_server + "/card?address=国分寺市本多1-7")
    sections = {s.locator("h2").inner_text(): s.inner_text() for s in page.locator("article.card section").all()}
    assert "徒歩 約" in sections["避難所（指定避難所）"]
    # Every hazard is named: with its site, or once among those no site near is designated for.
    assert all(labels[1] in sections["災害ごとの緊急避難場所"] for labels in HAZARDS.values())
    assert list(sections)[1] == "この場所の危険"  # the risk here first, then where to go
    assert "会場: " in sections["高齢の方の集いの場（サロンなど）"]
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.card li')).fontSize)") >= 16


def test_easy_japanese_map_shows_furigana_and_works(page, live_server):
    _open(page, live_server, f"{KOKUBUNJI}&lang=ja-easy")
    assert page.locator("#near summary ruby").count() > 0 or page.locator(".legend ruby").count() > 0
    page.fill("#search-input", "西町4丁目")
    page.press("#search-input", "Enter")
    page.locator("#near-results .fm-district").wait_for()
    assert "この 場所の 小学校区" in page.inner_text("#near-results")


def test_the_next_meetings_on_the_map(page, live_server, demo_client):
    expected = demo_client.get("/api/v1/events?city=13229&days=14").get_json()["events"]
    _open(page, live_server, "/?city=13229")
    page.click("#events summary")
    if expected:
        page.locator("#events-list .fm-result").first.wait_for()
        names = page.locator("#events-list .fm-result strong").all_inner_texts()
        assert names == [e["feature"]["properties"]["name"] for e in expected]
    else:
        page.wait_for_function("document.querySelector('#events-list').textContent.length > 0")
        assert "日付の分かる予定はありません" in page.inner_text("#events-list")


def _focused(page) -> str:
    return page.evaluate("""() => { const e = document.activeElement;
        return e.tagName + '|' + (e.getAttribute('class') || '') + '|' + (e.getAttribute('href') || ''); }""")


def test_a_keyboard_reaches_the_layer_switch_in_few_tabs_and_never_stops_on_a_shape(page, live_server):
    _open(page, live_server)
    tabs = 0
    while "#legend" not in _focused(page):
        page.keyboard.press("Tab")
        tabs += 1
        assert tabs < 5, _focused(page)
    page.keyboard.press("Enter")
    while "fm-legend-toggle" not in _focused(page):
        page.keyboard.press("Tab")
        tabs += 1
        assert tabs <= 15, _focused(page)
    stops = []
    for _ in range(120):  # on through the panel and the map: never a district shape without a name
        page.keyboard.press("Tab")
        stops.append(_focused(page))
    assert not [s for s in stops if s.startswith("path|")]
    region = page.locator(".folium-map")
    assert region.get_attribute("role") == "region" and "一覧表示" in region.get_attribute("aria-label")
    assert page.locator(".leaflet-control-zoom-in").get_attribute("aria-label") == "拡大"
    assert page.locator(".leaflet-control-layers-toggle").get_attribute("aria-label") == "表示する層と背景の地図"


def test_search_results_are_counted_and_focused_and_escape_closes_a_popup(page, live_server):
    _open(page, live_server)
    page.fill("#search-input", "避難所")
    page.keyboard.press("Enter")
    count = page.wait_for_selector("#search-results .fm-results-count")
    assert re.fullmatch(r"\d+件見つかりました", count.inner_text())
    assert "fm-results-count" in _focused(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the first result: its popup opens
    page.wait_for_selector(".leaflet-popup")
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")


def test_switching_language_keeps_the_answer(page, live_server):
    _open(page, live_server)
    page.fill("#search-input", "西町四丁目")
    page.press("#search-input", "Enter")
    page.locator("#near-results .fm-district").wait_for()
    page.select_option("#near-pace", "60")  # the answer is asked again at this pace, then linked
    page.wait_for_function("document.getElementById('lang-switch').href.includes('pace=60')")
    page.locator("#near-results[aria-busy=false]").wait_for()  # the answer at this pace, not the last
    japanese = [page.locator("#near-results .fm-result strong").nth(i).inner_text()
                for i in range(page.locator("#near-results .fm-result").count())]
    page.click("#lang-switch")  # English
    page.wait_for_url("**lang=en**")
    page.locator("#near-results .fm-district").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    english = [page.locator("#near-results .fm-result strong").nth(i).inner_text()
               for i in range(page.locator("#near-results .fm-result").count())]
    assert english == japanese and page.input_value("#near-pace") == "60"  # the same answer, the same pace
    # The device's own position is never written into a link someone might share.
    page.click("#near-locate")
    page.locator("#near-results .fm-district").wait_for()
    page.wait_for_timeout(300)
    assert "near=" not in page.get_attribute("#lang-switch", "href")


def test_on_a_phone_the_answer_is_a_bottom_sheet_over_the_map(browser, live_server):
    """A peek of the panel at first; an answer opens it to about 60 %; its handle folds it again."""
    context, page = _phone(browser)
    _open(page, live_server)
    handle = page.locator("#sheet-handle")
    peek = page.locator("#panel").bounding_box()
    assert page.evaluate("document.body.dataset.sheet") == "peek" and handle.get_attribute("aria-expanded") == "false"
    assert handle.bounding_box()["height"] >= 44 and peek["y"] > 844 * 0.6
    assert page.locator("#first-hint").bounding_box()["y"] < 844  # the one thing to do shows in the peek
    page.fill("#search-input", "西町4-12-3")
    page.press("#search-input", "Enter")
    first = page.locator("#near-results .fm-result").first
    first.wait_for()
    page.wait_for_timeout(300)  # the sheet's slide
    sheet = page.locator("#panel").bounding_box()
    assert page.evaluate("document.body.dataset.sheet") == "open" and 0.35 * 844 < sheet["y"] < 0.6 * 844
    assert first.bounding_box()["y"] + first.bounding_box()["height"] <= 844
    handle.click()
    page.wait_for_timeout(300)
    assert page.evaluate("document.body.dataset.sheet") == "peek" and handle.inner_text() == "▲ 結果と凡例を開く"
    context.close()


def test_on_a_desktop_the_panel_stays_beside_the_map(page, live_server):
    _open(page, live_server)
    assert not page.locator("#sheet-handle").is_visible()
    panel, map_box = page.locator("#panel").bounding_box(), page.locator(".map-wrap").bounding_box()
    assert panel["x"] >= map_box["x"] + map_box["width"] - 1 and page.evaluate("document.body.dataset.sheet") == "open"


def test_on_a_phone_a_resident_opens_the_card_of_the_place_asked(browser, live_server):
    """From the sheet's answer to the card: the place in words, its small map, large type, nothing wider."""
    context, page = _phone(browser)
    _open(page, live_server)
    page.fill("#search-input", "西町4-12-3")
    page.press("#search-input", "Enter")
    link = page.locator("#near-results a.fm-card")
    link.wait_for()
    link.click()
    page.wait_for_url(lambda url: "/card?" in url)
    home = page.locator("article.card section").first.inner_text()
    assert "西町四丁目" in home and "緯度" not in home
    figure = page.locator("figure.card-map svg")
    assert figure.is_visible() and figure.bounding_box()["width"] <= 390
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.card li')).fontSize)") >= 16
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
