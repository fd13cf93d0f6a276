"""A live server on the demo database and headless Chromium, for browser tests."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from werkzeug.serving import make_server

from tests.conftest import ROOT
from tests.web.helpers import build_world

TILE_HOSTS = {"cyberjapandata.gsi.go.jp", "tile.openstreetmap.org", "disaportaldata.gsi.go.jp"}
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def live_server(demo_app):
    server = make_server("127.0.0.1", 0, demo_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # The server's own address is its public one: absolute links (OGC paging) start there.
    kept = demo_app.config["PUBLIC_URL"]
    demo_app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield demo_app.config["PUBLIC_URL"]
    demo_app.config["PUBLIC_URL"] = kept
    server.shutdown()


def _chromium() -> str:
    path = os.environ.get("FUREAI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if Path(path).exists():
        return path
    if os.environ.get("CI") or os.environ.get("FUREAI_REQUIRE_POSTGIS"):
        pytest.fail(f"Chromium not found at {path}; make test installs it")
    pytest.skip("Chromium is not installed; run make test")


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class PageRecorder:
    """Every request the page makes; outside requests are answered locally, never sent."""

    def __init__(self):
        self.requests: list[tuple[str, str]] = []

    def outside(self) -> list[tuple[str, str]]:
        return [(kind, url) for kind, url in self.requests
                if urlparse(url).hostname not in ("127.0.0.1", "localhost") and
                not url.startswith("data:")]


@pytest.fixture
def page(browser, request):
    # The tests drive pages with evaluated predicates, which the app's strict CSP forbids (no
    # eval); test_the_content_security_policy_* checks the CSP itself in a context without this.
    context = browser.new_context(viewport={"width": 1280, "height": 850}, locale="ja-JP",
                                  geolocation={"latitude": 35.7003, "longitude": 139.4805},
                                  permissions=["geolocation"], bypass_csp=True)
    page = context.new_page()
    recorder = PageRecorder()
    page.on("request", lambda r: recorder.requests.append((r.resource_type, r.url)))
    page.route(lambda url: urlparse(url).hostname not in ("127.0.0.1", "localhost"),
               lambda route: route.fulfill(status=204, body=""))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.console_errors = console
    page.recorder = recorder
    page.js_errors = errors
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def world(app):
    """Users of two cities and an admin, with private rows of 国分寺 (see ``helpers``)."""
    return build_world(app)
