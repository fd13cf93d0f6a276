"""axe-core (from npm, injected locally) finds no violation on the pages people use."""

from __future__ import annotations

import os
import threading
from urllib.parse import urlparse

import pytest
from werkzeug.serving import make_server

from tests.conftest import ROOT
from tests.web.helpers import PASSWORDS, add_people, add_survey

pytestmark = pytest.mark.browser
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
PUBLIC_PAGES = ("/?city=13214", "/list?city=13214", "/analysis?city=13214", "/about", "/login",
                "/card?address=国分寺市本多1-7", "/?city=13214&lang=ja-easy", "/list?city=13214&lang=ja-easy",
                "/areas/school_district/13214:国分寺市立第八小学校", "/areas/school_district?city=13214",
                "/?city=13214&lang=en", "/analysis?question=shelters&city=13214",
                "/analysis?question=capacity&city=13214&lang=en")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("FUREAI_REQUIRE_POSTGIS"):
            pytest.fail(f"{AXE} is missing; make install-test installs axe-core from npm")
        pytest.skip("axe-core is not installed; run make install-test")
    return AXE.read_text(encoding="utf-8")


def _violations(page, url: str, axe_source: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=axe_source)
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']}))"
                          ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))")
    return found


def _context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 850}, bypass_csp=True)
    page = context.new_page()
    page.route(lambda url: urlparse(url).hostname not in ("127.0.0.1", "localhost"),
               lambda route: route.fulfill(status=204, body=""))
    return context, page


def _sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_violations(browser, live_server, axe_source, path):
    context, page = _context(browser)
    try:
        assert _violations(page, live_server + path, axe_source) == []
    finally:
        context.close()


def test_the_workspace_has_no_violations(browser, world, axe_source):
    server = make_server("127.0.0.1", 0, world.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    context, page = _context(browser)
    try:
        _sign_in(page, base, "kokubunji")
        for path in ("/workspace", "/workspace/resources/new", f"/workspace/resources/{world.salon}/edit",
                     f"/workspace/resources/{world.salon}/history", "/workspace/changes?city=13214"):
            assert _violations(page, base + path, axe_source) == [], path
        # 削除 asks first: a page of its own, with two answers a finger can hit.
        page.goto(base + "/workspace")
        page.click(f'form[action$="/resources/{world.salon}/delete"] button')
        page.wait_for_selector("#confirm-delete")
        page.add_script_tag(content=axe_source)
        assert page.evaluate("async () => (await axe.run(document)).violations.length") == 0
        for answer in ("#confirm-delete button", "#confirm-delete a.button"):
            assert page.locator(answer).bounding_box()["height"] >= 44, answer
        assert world.repo.find_resources(kinds=["salon"], ids=[world.salon], restricted_cities=("13214",))
    finally:
        context.close()
        server.shutdown()


def test_the_register_pages_have_no_violations(browser, world, axe_source):
    """The register, the 安否確認 board and the survey pages (the household's form too), on a phone."""
    add_people(world)
    survey = add_survey(world)
    event = world.app.extensions["safety"].open_event("架空の訓練", "13214", {"username": "fixture"})
    server = make_server("127.0.0.1", 0, world.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    context, page = _context(browser)
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        _sign_in(page, base, "kokubunji")
        first = page.goto(base + "/api/v1/persons").json()["persons"][0]["id"]
        for path in ("/persons", f"/persons/{first}", "/persons/new", "/safety", f"/safety/{event}",
                     "/workspace/surveys", f"/workspace/surveys/{survey}", f"/workspace/surveys/{survey}/entry",
                     f"/s/{world.survey_code}", f"/s/{world.survey_code}?lang=ja-easy",
                     f"/s/{world.survey_code}?lang=en", "/s", "/s?lang=en"):
            assert _violations(page, base + path, axe_source) == [], path
        # Outdoors, on a phone: marks and calls a thumb can hit, 未確認 only as an undo once marked.
        page.goto(f"{base}/safety/{event}")
        targets = page.locator(".fm-marks button, a.fm-call")
        assert targets.count() >= 4 * 3 and all(
            box["height"] >= 48 for box in (targets.nth(i).bounding_box() for i in range(targets.count())))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        first_person = page.locator("section.mark").first
        assert first_person.locator(".fm-undo").count() == 0
        first_person.locator("button", has_text="無事").click()
        marked = page.locator("section.mark[data-status=safe]")
        marked.wait_for()  # the mark posts and the board comes back (its map loads with it)
        assert marked.count() == 1 and marked.locator(".fm-undo").bounding_box()["height"] >= 48
    finally:
        context.close()
        server.shutdown()


def test_the_correction_form_has_no_violations(browser, live_server, demo_client, axe_source):
    shelter = demo_client.get("/api/v1/resources?kind=shelter&city=13214&limit=1").get_json()["features"][0]
    context, page = _context(browser)
    try:
        assert _violations(page, f"{live_server}/resources/{shelter['id']}/correction", axe_source) == []
    finally:
        context.close()
