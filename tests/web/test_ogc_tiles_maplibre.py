"""MapLibre GL JS, a reader of vector tiles of its own, draws our tiles in Chromium (WebGL in software).

The page is the test's own (served by Playwright at the live server's address, so the tiles are
asked from the same origin as a web team's page would be); what MapLibre drew is compared with
the tile's own content, decoded here.
"""

from __future__ import annotations

import mapbox_vector_tile
import morecantile
import pytest

from tests.conftest import ROOT
from tests.web.conftest import _chromium

pytestmark = pytest.mark.browser
MAPLIBRE = ROOT / ".cache" / "npm" / "node_modules" / "maplibre-gl" / "dist" / "maplibre-gl.js"
CENTRE, ZOOM = (139.462, 35.705), 14
PAGE = """<!doctype html><html><body><div id="map" style="width:1024px;height:1024px"></div>
<script src="/maplibre-test/maplibre-gl.js"></script><script>
const tiles = location.origin + "/ogcapi/collections/shelter/tiles/WebMercatorQuad/{z}/{y}/{x}";
const map = new maplibregl.Map({container: "map", center: [%(lon)s, %(lat)s], zoom: %(zoom)s, style: {
  version: 8, sources: {s: {type: "vector", tiles: [tiles], minzoom: 8, maxzoom: 18}},
  layers: [{id: "dots", type: "circle", source: "s", "source-layer": "shelter", paint: {"circle-radius": 6}}]}});
map.on("error", (e) => { window.failed = String(e.error && e.error.message); });
map.on("idle", () => { window.drawn = map.queryRenderedFeatures({layers: ["dots"]}).map((f) => f.properties.name); });
</script></body></html>"""


@pytest.fixture(scope="module")
def webgl_browser(browser):
    if not MAPLIBRE.exists():
        pytest.fail(f"{MAPLIBRE} is missing; make install-test installs maplibre-gl from npm")
    # From the session's Playwright (a second one cannot start inside its loop); SwiftShader gives
    # WebGL without a GPU, as a headless machine has none.
    webgl = browser.browser_type.launch(executable_path=_chromium(), args=[
        "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
        "--disable-background-networking"])
    yield webgl
    webgl.close()


def test_maplibre_draws_the_shelters_a_tile_holds(webgl_browser, live_server, demo_client):
    page = webgl_browser.new_page(viewport={"width": 1100, "height": 1100})
    page.route("**/maplibre-test/maplibre-gl.js", lambda route: route.fulfill(
        body=MAPLIBRE.read_bytes(), content_type="application/javascript"))
    page.route("**/maplibre-test/index.html", lambda route: route.fulfill(
        body=PAGE % {"lon": CENTRE[0], "lat": CENTRE[1], "zoom": ZOOM}, content_type="text/html"))
    page.goto(f"{live_server}/maplibre-test/index.html")
    page.wait_for_function("window.drawn !== undefined || window.failed !== undefined", timeout=60_000)
    assert page.evaluate("window.failed") is None
    drawn = set(page.evaluate("window.drawn"))
    # MapLibre draws a tile 512 px wide: the view (1,024 px at z14) holds the whole tile at its
    # centre, and lies within the tiles around it. Each place drawn is one of theirs, and every
    # place of the centre tile's own square is drawn.
    tms = morecantile.tms.get("WebMercatorQuad")
    centre = tms.tile(*CENTRE, ZOOM)
    around, inside = set(), set()
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            body = demo_client.get(f"/ogcapi/collections/shelter/tiles/WebMercatorQuad/{ZOOM}/"
                                   f"{centre.y + dy}/{centre.x + dx}").data
            features = mapbox_vector_tile.decode(body)["shelter"]["features"] if body else []
            around |= {f["properties"]["name"] for f in features}
            if (dx, dy) == (0, 0):  # the centre tile lies wholly in the view: its own places all show
                inside = {f["properties"]["name"] for f in features
                          if all(0 <= v < 4096 for v in f["geometry"]["coordinates"])}
    assert inside and inside <= drawn <= around
    page.close()
