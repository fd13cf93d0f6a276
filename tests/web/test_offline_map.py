"""The residents' map as an installed app, with the network cut.

It still shows the city's shelters, their status on the day and the last card opened, says it is
offline, and keeps nothing personal.
"""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.web.helpers import PASSWORDS

KEPT = "caches.open('fureai-offline-v1').then((c) => c.keys()).then((ks) => ks.map((k) => k.url))"


def test_the_manifest_and_the_worker_are_served_for_installing(world):
    client = world.app.test_client()
    manifest = client.get("/manifest.webmanifest")
    body = manifest.get_json(force=True)
    assert manifest.mimetype == "application/manifest+json" and body["display"] == "standalone"
    assert {i["sizes"] for i in body["icons"]} == {"192x192", "512x512"}
    icon = client.get(body["icons"][0]["src"])
    assert icon.status_code == 200 and icon.data[:8] == b"\x89PNG\r\n\x1a\n"
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.headers["Service-Worker-Allowed"] == "/"
    assert client.get("/icons/64.png").status_code == 404
    assert 'rel="manifest"' in client.get("/?city=13214").get_data(as_text=True)
    assert 'rel="manifest"' not in client.get("/embed?city=13214").get_data(as_text=True)


@pytest.mark.browser
def test_the_installed_map_shows_shelters_and_their_status_with_the_network_cut(world, page):
    runner = world.app.test_cli_runner()
    opened = runner.invoke(args=["event", "open", "架空の避難訓練", "--city", "13214", "--hazard", "earthquake"])
    event = opened.output.split()[2].rstrip(":")
    runner.invoke(args=["event", "site", event, str(world.shelter), "--open", "--people", "40", "--state", "混雑"])
    server = make_server("127.0.0.1", 0, world.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        page.goto(f"{base}/?city=13214")
        page.wait_for_function("document.body.dataset.offlineReady === '1'", timeout=20_000)
        page.goto(f"{base}/card?lat=35.7003&lon=139.4805")  # the resident's card, opened once
        page.goto(f"{base}/?city=13214")
        page.wait_for_function("document.body.dataset.offlineReady === '1'", timeout=20_000)
        page.context.set_offline(True)
        page.reload()
        page.wait_for_function("Number(document.body.dataset.loaded_shelter || 0) > 0", timeout=20_000)
        page.wait_for_function("document.body.dataset.openSites === '1'", timeout=20_000)
        page.wait_for_function("document.body.dataset.offline === '1'")
        banner = page.inner_text("#offline-status")
        assert "オフラインです" in banner and "最終更新" in banner
        assert page.locator(".fm-site-state").all_inner_texts() == ["混雑"]
        page.click("#offline-status a")
        page.wait_for_load_state()
        assert "/card" in page.url and "避難所" in page.inner_text("main")
        _nothing_personal(page, base)
    finally:
        page.context.set_offline(False)
        server.shutdown()


def _nothing_personal(page, base):
    """Signed in, the register and the board are read; the worker keeps none of it."""
    page.context.set_offline(False)
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "kokubunji")
    page.fill("input[name=password]", PASSWORDS["kokubunji"])
    page.click("form button[type=submit], form button")
    page.wait_for_load_state()
    for path in ("/persons", "/safety", "/api/v1/persons", "/?city=13214"):
        page.goto(base + path)
    kept = page.evaluate(KEPT)
    assert kept and not [u for u in kept if any(p in u for p in ("/persons", "/safety", "/api/v1/persons",
                                                                    "/workspace", "/login"))]
