"""The residents' map draws a layer above ``MAP_TILES_ABOVE`` places from vector tiles (Chromium).

The demo's layers are all below the default (1,000), so the test lowers it for its own pages:
the map then asks OGC API – Tiles, says so in its legend, and a dot opens the whole place.
"""

from __future__ import annotations

import math

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def tiled(demo_app):
    kept = demo_app.config["MAP_TILES_ABOVE"]
    demo_app.config["MAP_TILES_ABOVE"] = 10
    yield
    demo_app.config["MAP_TILES_ABOVE"] = kept


def _alone(demo_repo) -> dict:
    """A shelter of 国分寺 with no other shelter within 60 m: a click on its dot can mean only it."""
    rows = demo_repo.find_resources(kinds=["shelter"], city="13214", placed_only=True, limit=1000)
    points = [(r, r["geometry"]["coordinates"]) for r in rows]

    def metres(a, b):  # near enough at 35.7°N: a degree of longitude is about 90 km
        return math.hypot((a[0] - b[0]) * 90_000, (a[1] - b[1]) * 111_000)

    return next(r for r, g in points if all(metres(g, h) > 60 for s, h in points if s["id"] != r["id"]))


def test_a_big_layer_comes_from_tiles_says_so_and_a_dot_opens_the_place(page, live_server, tiled, demo_repo):
    shelter = _alone(demo_repo)
    lon, lat = shelter["geometry"]["coordinates"]
    page.goto(f"{live_server}/?city=13214&lat={lat}&lon={lon}&z=16&layers=shelter")
    page.wait_for_function("document.body.dataset.loaded_shelter === 'tiles'")
    asked = [url for _, url in page.recorder.requests]
    assert any("/ogcapi/collections/shelter/tiles/WebMercatorQuad/16/" in url for url in asked)
    # No page of places by view (the copy kept for offline use is the city's, asked once, by city).
    assert not any("/api/v1/resources?kind=shelter" in url and "bbox=" in url for url in asked)
    page.hover(".leaflet-control-layers")
    label = page.locator(".leaflet-control-layers-overlays label", has_text="指定避難所").inner_text()
    assert "点で表示" in label
    page.mouse.move(400, 700)  # away from the layer switch, which folds away and uncovers the map
    page.wait_for_function("!document.querySelector('.leaflet-control-layers-expanded')")
    point = page.evaluate("([lat, lon]) => { const p = window.fureai.map.latLngToContainerPoint([lat, lon]);"
                          " const r = window.fureai.map.getContainer().getBoundingClientRect();"
                          " return [r.left + p.x, r.top + p.y]; }", [lat, lon])
    page.mouse.click(*point)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert shelter["name"] in popup.inner_text()
    assert page.js_errors == []


def test_a_hazard_chosen_asks_the_tiles_of_the_sites_designated_for_it(page, live_server, tiled):
    page.goto(f"{live_server}/?city=13214&z=15&layers=emergency_site")
    page.wait_for_function("document.body.dataset.loaded_emergency_site === 'tiles'")
    page.select_option("#hazard-filter", "flood")
    page.wait_for_function("performance.getEntriesByType('resource')"
                           ".some((e) => e.name.includes('/emergency_site/tiles/') && e.name.includes('hazard=flood'))")
    assert page.js_errors == []
