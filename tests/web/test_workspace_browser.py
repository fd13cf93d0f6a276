"""A coordinator's day in headless Chromium: sign in, add a salon by address, keep a vacant house private."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from app.services import imports
from app.storage.passwords import hash_password
from tests.conftest import open_data

pytestmark = pytest.mark.browser


@pytest.fixture
def workspace_server(app):
    repo = app.extensions["repository"]
    imports.import_boundaries(repo, open_data("boundaries/n03_2022_cities.geojson"), "city")
    imports.import_resources(repo, open_data("schools/elementary_schools_gsi.geojson"), "school")
    imports.build_approximate_districts(repo, set())
    app.extensions["accounts"].add_user("kokubunji", hash_password("coordinator-pw-1"), "coordinator",
                                        ["13214"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _add(page, base, kind, name, address):
    page.goto(base + "/workspace/resources/new")
    page.select_option("select[name=kind]", kind)
    page.fill("input[name=name]", name)
    page.fill("input[name=address]", address)
    if kind == "vacant_house":
        page.check("input[name=restricted]")
    page.click("#resource-form button[type=submit]")
    page.wait_for_selector(".notice")
    assert "chome_centroid" in page.inner_text(".notice")


def test_coordinator_adds_salon_and_vacant_house(page, browser, workspace_server):
    base = workspace_server
    page.goto(base + "/login")
    page.fill("input[name=username]", "kokubunji")
    page.fill("input[name=password]", "coordinator-pw-1")
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/workspace")
    _add(page, base, "salon", "ひかり町サロン", "国分寺市光町3-13-19")
    _add(page, base, "vacant_house", "光町の空き家", "国分寺市光町2-5")
    page.goto(base + "/?city=13214&lat=35.70&lon=139.456&z=15&layers=salon,vacant_house")
    page.wait_for_function("document.body.dataset.loaded_salon !== undefined && "
                           "document.body.dataset.loaded_vacant_house !== undefined && "
                           "document.body.dataset.loading === '0'")
    assert page.locator(".leaflet-marker-icon[title='ひかり町サロン']").count() == 1
    assert page.locator(".leaflet-marker-icon[title='光町の空き家']").count() == 1  # the coordinator's own

    public = browser.new_context(bypass_csp=True).new_page()  # evaluated predicates: see conftest
    public.goto(base + "/?city=13214&lat=35.70&lon=139.456&z=15&layers=salon")
    public.wait_for_function("document.body.dataset.loaded_salon !== undefined && "
                             "document.body.dataset.loading === '0'")
    assert public.locator(".leaflet-marker-icon[title='ひかり町サロン']").count() == 1
    html = public.content()
    assert "光町の空き家" not in html and "vacant_house" not in public.url
    public.goto(base + "/list?city=13214")
    counts = public.inner_text("#restricted-counts")
    assert "3件未満" in counts and "光町の空き家" not in public.content()
    public.context.close()


@pytest.mark.parametrize("size", [(1280, 860), (390, 844)], ids=["desktop", "phone"])
def test_a_coordinator_uploads_a_list_with_mistakes_and_reads_what_to_fix(browser, workspace_server, tmp_path,
                                                                          size):
    """Every mistake at once, in Japanese, with the row as Excel numbers it; nothing stored; fits the screen."""
    base = workspace_server
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, bypass_csp=True)
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("input[name=username]", "kokubunji")
    page.fill("input[name=password]", "coordinator-pw-1")
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/workspace")
    mistakes = tmp_path / "架空サロン一覧.csv"
    mistakes.write_text("名称,住所,定員\n,国分寺市光町3-13-19,\n架空の会,国分寺市光町2-5,たくさん\n", encoding="utf-8")
    page.goto(base + "/workspace/upload")
    page.select_option("select[name=kind]", "salon")
    page.set_input_files("input[name=file]", str(mistakes))
    page.locator("form button[type=submit]").first.click()
    table = page.locator("table.fm-errors")
    table.wait_for()
    assert "架空サロン一覧.csv" in table.locator("caption").inner_text()
    rows = [r.inner_text() for r in table.locator("tbody tr").all()]
    assert rows[0].startswith("2\t名称\t名称が空です") and rows[1].startswith("3\t定員\t定員・収容人数「たくさん」")
    assert "何も保存していません" in page.inner_text("[role=alert]")
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    context.close()
