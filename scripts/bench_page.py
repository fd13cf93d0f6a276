"""The pages in headless Chromium: bytes, time to the load event and to the first marker drawn.

Our resident map ``/`` and the coordinator's ``/analysis`` are served by ``fureai serve`` over the
demo database; beside them, in the same run and the same browser, the folium baseline: one HTML
file with every demo feature embedded as GeoJSON (folium's usual way), its Leaflet served from
the same local xstatic files ours use (nothing from a CDN; folium's other CDN files answer empty).
"First marker" is when the first Leaflet marker, cluster or vector shape enters the page,
recorded in the page by a MutationObserver. Each page is loaded ``--repeat`` times in a new
browser context (a cold cache each time); medians are reported.

Usage: .venv/bin/python scripts/bench_page.py [--repeat 5] [--only SpatiaLite|PostGIS]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import build_demo, ensure_database, log, postgres_url, start_server, stop_server

PAGES = {"/ (resident map)": "/?city=13214", "/analysis (coordinator)": "/analysis?city=13214"}
# Recorded inside the page, so the figure does not include the browser's round trip to the script.
FIRST_MARKER = """
window.__firstMarker = null;
new MutationObserver((_, observer) => {
  if (document.querySelector('.leaflet-marker-icon, .marker-cluster, path.leaflet-interactive')) {
    window.__firstMarker = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def folium_baseline(url: str, folder: Path) -> Path:
    """Folium's usual page: every demo feature (resources and areas) embedded in one HTML file."""
    import folium

    from app.storage.engine import make_engine
    from app.storage.repository import Repository

    repo = Repository(make_engine(url))
    fmap = folium.Map(location=[35.71, 139.48], zoom_start=13, tiles=None)
    for rows in (repo.find_resources(limit=100_000), repo.find_areas(limit=100_000)):
        folium.GeoJson({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": r["geometry"], "properties": {"name": r["name"]}}
            for r in rows if r["geometry"]]}).add_to(fmap)
    repo.engine.dispose()
    path = folder / "folium.html"
    fmap.save(str(path))
    return path


def local_leaflet(route) -> None:
    """Answer folium's CDN requests for Leaflet from the xstatic files; anything else empty."""
    import xstatic.pkg.leaflet as leaflet

    name = route.request.url.rsplit("/", 1)[-1].split("?")[0]
    local = Path(leaflet.BASE_DIR) / name
    if name in ("leaflet.js", "leaflet.css") and local.exists():
        route.fulfill(status=200, body=local.read_bytes(),
                      content_type="text/css" if name.endswith(".css") else "application/javascript")
    else:
        route.fulfill(status=204, body="")


def load_once(browser, url: str, own_prefix: str | None) -> dict:
    """One cold load of ``url``: bytes and files of its own origin, load event and first marker."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(FIRST_MARKER)
    sizes: dict[str, int] = {}

    def on_response(response):
        if "/api/" not in response.url and (own_prefix is None or response.url.startswith(own_prefix)):
            with contextlib.suppress(Exception):  # redirects and empty answers have no body
                sizes[response.url] = len(response.body())

    page.on("response", on_response)
    if own_prefix is None:
        page.route(lambda u: not u.startswith("file:"), local_leaflet)
    else:
        page.route(lambda u: not u.startswith(own_prefix), lambda route: route.fulfill(status=204, body=""))
    page.goto(url, wait_until="load")
    load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventStart")
    marker_ms, deadline = None, time.monotonic() + 30
    while marker_ms is None:  # polled from outside: the page's CSP forbids evaluated predicates
        assert time.monotonic() < deadline, f"{url}: no marker within 30 s"
        page.wait_for_timeout(20)
        marker_ms = page.evaluate("window.__firstMarker")
    if own_prefix is None:
        sizes[url] = Path(url.removeprefix("file://")).stat().st_size
    context.close()
    return {"bytes": sum(sizes.values()), "files": len(sizes), "load_ms": load_ms, "marker_ms": marker_ms}


def measure(browser, url: str, own_prefix: str | None, repeat: int) -> dict:
    """Medians of ``repeat`` cold loads."""
    runs = [load_once(browser, url, own_prefix) for _ in range(repeat)]
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=["SpatiaLite", "PostGIS"], help="one backend only")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    backends = {"SpatiaLite": f"sqlite:///{folder / 'bench.db'}", "PostGIS": postgres_url()}
    if args.only:
        backends = {args.only: backends[args.only]}
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("FUREAI_CHROMIUM", "/usr/bin/chromium"),
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for backend, url in backends.items():
            if backend == "PostGIS":
                ensure_database(url)
            log(f"{backend}: building the demo database")
            build_demo(url)
            proc, port = start_server(url, os.cpu_count() or 2)
            try:
                prefix = f"http://127.0.0.1:{port}"
                for name, path in PAGES.items():
                    log(f"{backend}: {name} × {args.repeat}")
                    rows.append((f"Fureai Map {name}, {backend}", measure(browser, prefix + path, prefix,
                                                                        args.repeat)))
                baseline = folium_baseline(url, folder)
                log(f"{backend}: folium baseline × {args.repeat}")
                rows.append((f"baseline: folium with every feature embedded, {backend} data",
                             measure(browser, f"file://{baseline}", None, args.repeat)))
            finally:
                stop_server(proc)
        browser.close()
    report(rows, args)


def report(rows, args) -> None:
    print(f"\nPages in headless Chromium, cold cache, median of {args.repeat}; load (1 min) "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores\n")
    print("| page | bytes (own, before API data) | files | load event ms | first marker ms |")
    print("|---|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['bytes']:,.0f} | {r['files']:.0f} | {r['load_ms']:.0f} "
              f"| {r['marker_ms']:.0f} |")
    print("\nTarget: the page (HTML + own assets) < 300 KB before data; data by bounding box, so it "
          "does not grow with the database.")


if __name__ == "__main__":
    main()
