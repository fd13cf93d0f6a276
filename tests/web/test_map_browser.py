"""The resident's map in real headless Chromium against the live server on the demo data."""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlparse

import pytest
from pyproj import Transformer

from tests.web.conftest import TILE_HOSTS

pytestmark = pytest.mark.browser
KOKUBUNJI = "/?city=13214"


def _open(page, live_server, path=KOKUBUNJI):
    page.goto(live_server + path)
    page.wait_for_function("document.body.dataset.loaded_shelter !== undefined "
                           "&& document.body.dataset.loading === '0'")
    return page


def _layer_labels(page) -> list[str]:
    page.hover(".leaflet-control-layers")
    return [label.inner_text().strip() for label in page.query_selector_all(".leaflet-control-layers label")]


def _overlay(page, text):
    page.hover(".leaflet-control-layers")
    return page.locator(".leaflet-control-layers-overlays label", has_text=text).locator("input")


def test_layer_control_lists_layers(page, live_server):
    labels = " | ".join(_layer_labels(_open(page, live_server)))
    for expected in ("地理院 淡色地図", "地理院 標準地図", "OpenStreetMap",
                     "洪水浸水想定区域（想定最大規模）", "土砂災害警戒区域", "サロン・地域交流会",
                     "居場所・拠点", "指定避難所", "指定緊急避難場所", "小学校区（近似）", "小学校区",
                     "市", "土砂災害危険箇所"):
        assert expected in labels
    assert "寄付型・災害対応自販機 (データなし)" in labels  # no machine could be placed
    assert page.js_errors == []


def test_toggling_a_layer_changes_markers(page, live_server):
    _open(page, live_server, KOKUBUNJI + "&z=15")
    shelters = page.locator(".fm-marker span", has_text=re.compile("^避$"))
    before = shelters.count()
    assert before > 0
    _overlay(page, "指定避難所").uncheck()
    assert shelters.count() == 0
    _overlay(page, "指定避難所").check()
    page.wait_for_function("document.body.dataset.loading === '0'")
    page.wait_for_timeout(300)
    assert shelters.count() == before


def test_the_legend_is_the_layer_switch_and_counts_as_the_list_does(page, live_server, demo_client):
    _open(page, live_server, KOKUBUNJI + "&z=15")
    shelters = page.locator(".fm-marker span", has_text=re.compile("^避$"))
    before = shelters.count()
    row = page.locator('#legend li[data-kind="shelter"] label')
    assert before > 0 and row.bounding_box()["height"] >= 44
    row.click()  # the whole row is the switch
    assert shelters.count() == 0 and not _overlay(page, "指定避難所").is_checked()
    row.click()
    page.wait_for_function("document.body.dataset.loading === '0'")
    page.wait_for_timeout(300)
    assert shelters.count() == before
    # A layer with rows that could not be placed says how many of all it shows; /list has them all.
    salons = page.inner_text('#legend li[data-kind="salon"] .count')
    listed = demo_client.get("/list?city=13214&layers=salon").get_data(as_text=True).count('<tr id="place-')
    placed = demo_client.get("/api/v1/layers?city=13214").get_json()["layers"]
    placed = next(layer["count"] for layer in placed if layer["id"] == "salon")
    assert salons == (str(listed) if placed == listed else f"位置の分かるもの {placed} / 全 {listed}")


def test_a_metric_scale_and_a_notice_when_the_background_map_fails(page, live_server):
    # Base-map tiles cannot load here (the page fixture answers outside hosts with nothing).
    _open(page, live_server, KOKUBUNJI)
    notice = page.wait_for_selector(".fm-tiles-failed", state="visible")
    assert "背景の地図を読み込めません" in notice.inner_text()
    scale = page.inner_text(".leaflet-control-scale")
    assert re.search(r"\d+ k?m", scale) and "ft" not in scale and "mi" not in scale
    # The map draws its own base instead: the national rivers, railways and stations, stations named.
    page.wait_for_function("Number(document.body.dataset.ownBase) > 0")
    assert page.locator(".leaflet-ownbase-pane path").count() > 0 and "川・鉄道・駅" in notice.inner_text()
    assert page.locator(".fm-station-label").count() > 0


def test_search_finds_shelter_and_popup_shows_its_fields(page, live_server):
    _open(page, live_server)
    page.fill("#search-input", "国分寺市立第十小学校")
    page.click("#search-form button")
    page.locator("#search-results .fm-result", has_text="指定避難所").click()
    popup = page.locator(".leaflet-popup-content .fm-popup").first  # the place chosen comes first
    popup.wait_for()
    text = popup.inner_text()
    assert "国分寺市立第十小学校" in text and "東京都国分寺市戸倉3-5" in text
    assert "同じ場所の指定" in text and "指定緊急避難場所" in text  # linked across the GSI lists
    assert "不明" in text  # capacity is not published: unknown, not zero
    assert "国土地理院" in text and "2025-10" in text


def test_emergency_site_popup_lists_hazards(page, live_server):
    _open(page, live_server)
    page.fill("#search-input", "市立第十小学校")
    page.click("#search-form button")
    page.locator("#search-results .fm-result", has_text="指定緊急避難場所").first.click()
    popup = page.locator(".leaflet-popup-content .fm-popup").first  # the place chosen comes first
    popup.wait_for()
    hazards = popup.locator(".fm-hazard").all_inner_texts()
    assert sorted(hazards) == sorted(["土砂災害", "地震", "大規模な火事"])


def test_hazard_filter_limits_emergency_sites(page, live_server, demo_client):
    _open(page, live_server, "/?lat=35.705&lon=139.50&z=12")
    everything = int(page.evaluate("document.body.dataset.loaded_emergency_site"))
    page.select_option("#hazard-filter", "flood")
    page.wait_for_function(f"document.body.dataset.loaded_emergency_site !== '{everything}'")
    flood = int(page.evaluate("document.body.dataset.loaded_emergency_site"))
    assert 0 < flood < everything
    assert "hazard=flood" in page.url


def test_near_me_at_a_clicked_point(page, live_server, demo_repo):
    _open(page, live_server, "/?lat=35.7003&lon=139.4805&z=16")
    page.click("#near-pick")
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    first = page.locator("#near-results li").first
    first.wait_for()
    origin = page.evaluate("(() => { let c; window.fureai.map.eachLayer(l => { if (l instanceof "
                           "L.CircleMarker && !(l instanceof L.Marker)) c = l.getLatLng(); }); "
                           "return [c.lat, c.lng]; })()")
    to_metric = Transformer.from_crs(4326, 6677, always_xy=True)
    ox, oy = to_metric.transform(origin[1], origin[0])
    shelters = demo_repo.resources_frame(kinds=["shelter"], placed_only=True)
    # Near-me offers 指定避難所 open to all: a site reserved for a group (a nursery's 妊婦・乳幼児) is
    # that group's welfare shelter, not anyone's nearest shelter.
    open_to_all = shelters[shelters["targets"].map(lambda t: "everyone" in (t or []))]
    distances = sorted(
        (((x - ox) ** 2 + (y - oy) ** 2) ** 0.5, s.name)
        for s in open_to_all.itertuples() for x, y in [to_metric.transform(s.geometry.x, s.geometry.y)])
    metres, name = distances[0]
    text = first.inner_text()
    assert name in text
    assert f"{math.floor(metres / 10 + 0.5) * 10} m" in text  # tens of metres from the point
    assert f"{max(1, math.floor(metres * 1.3 / 43 + 0.5))} 分" in text
    assert "小学校区" in page.locator("#near-results .fm-district").inner_text()
    assert "この場所の危険" in page.locator("#near-results .fm-risk").inner_text()


def test_english_switch(page, live_server):
    _open(page, live_server)
    page.click("#lang-switch")
    page.wait_for_url(re.compile(r"lang=en"))
    page.wait_for_function("document.body.dataset.loading === '0'")
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_attribute("#search-input", "placeholder") == "Address, neighbourhood, station or name"
    labels = " | ".join(_layer_labels(page))
    assert "Designated shelters" in labels and "Elementary school districts (approximate)" in labels
    legend = page.inner_text("#legend")
    assert "Salons" in legend and "サロン" not in legend
    page.fill("#search-input", "国分寺市立第十小学校")
    page.click("#search-form button")
    page.locator("#search-results .fm-result", has_text="Designated shelters").click()
    popup = page.locator(".leaflet-popup-content .fm-popup").first
    popup.wait_for()
    assert "Address" in popup.inner_text() and "Capacity" in popup.inner_text()


def test_permalink_keeps_view_layers_and_language(page, live_server):
    # A link made before layer ids had one spelling (city:official) still opens its layers, and
    # the permalink is rewritten in the one spelling.
    _open(page, live_server, "/?lat=35.70&lon=139.47&z=15&lang=en&layers=shelter,city:official")
    page.wait_for_selector("body[data-loaded_city_official]", state="attached")
    query = parse_qs(urlparse(page.url).query)
    assert query["lang"] == ["en"] and query["z"] == ["15"]
    assert set(query["layers"][0].split(",")) == {"shelter", "city-official"}
    assert float(query["lat"][0]) == pytest.approx(35.70, abs=1e-3)
    assert page.locator(".fm-marker span", has_text=re.compile("^Sh$")).count() > 0
    assert page.locator(".fm-marker span", has_text=re.compile("^S$")).count() == 0


def test_no_script_style_or_font_from_outside(page, live_server):
    _open(page, live_server)
    _overlay(page, "洪水浸水想定区域").check()
    page.wait_for_timeout(500)
    outside = page.recorder.outside()
    assert all(urlparse(url).hostname in TILE_HOSTS for _, url in outside), outside
    assert all(kind == "image" for kind, _ in outside), outside
    assert any("disaportaldata" in url for _, url in outside)  # the hazard overlay asked for tiles
    own = [url for kind, url in page.recorder.requests if kind in ("script", "stylesheet", "font")]
    assert own and all(urlparse(url).hostname == "127.0.0.1" for url in own)


def test_list_view_has_same_data_as_api(page, live_server, demo_client):
    page.goto(live_server + "/list?city=13214")
    caption = page.locator("#shelter caption").inner_text()
    api = demo_client.get("/api/v1/resources?kind=shelter&city=13214&limit=1000").get_json()
    assert caption.endswith(str(api["numberMatched"]))
    names = page.locator("#shelter tbody th").all_inner_texts()
    assert {n.split("\n")[0] for n in names} == {f["properties"]["name"] for f in api["features"]}


def test_the_content_security_policy_blocks_nothing_the_pages_need(browser, live_server):
    """Every script and style of the map, analysis and sign-in pages runs under the strict CSP."""
    context = browser.new_context(viewport={"width": 1280, "height": 850})
    page = context.new_page()
    page.route(lambda url: urlparse(url).hostname not in ("127.0.0.1", "localhost"),
               lambda route: route.fulfill(status=204, body=""))
    messages, errors = [], []
    page.on("console", lambda m: messages.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server + KOKUBUNJI)
    page.wait_for_selector("body[data-loaded_shelter]", state="attached")
    page.wait_for_selector(".leaflet-marker-icon, .fm-cluster", state="attached")
    page.goto(live_server + "/analysis?city=13214")
    page.wait_for_selector("body[data-analysis='done']", state="attached")
    page.goto(live_server + "/login")
    refused = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
    context.close()
    assert refused == [] and errors == []


def test_a_salon_popup_says_where_it_meets_and_for_whom(page, live_server):
    _open(page, live_server)
    page.fill("#search-input", "あずま会")
    page.click("#search-form button")
    popup = page.locator(".leaflet-popup-content .fm-popup").first  # the place chosen comes first
    popup.wait_for()
    text = popup.inner_text()
    assert "会場" in text and "本多公民館" in text  # the venue named in the council's list
    link = popup.locator("a", has_text="情報の修正を送る").get_attribute("href")
    assert re.fullmatch(r"/resources/\d+/correction", link)
    assert "主な対象" in text and "ひとり暮らしの高齢者" in text


def test_the_embedded_map_works_without_the_sites_navigation(page, live_server):
    _open(page, live_server, "/embed?city=13214")
    assert page.locator(".fm-marker").count() > 0 and page.js_errors == []
    assert page.locator("#sign-in-link, #list-link").count() == 0
    assert page.locator("a[target=_blank]", has_text="ふれあいマップを開く").get_attribute("href").startswith("/?")


