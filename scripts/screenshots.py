"""Screenshots of each journey for the guides (docs/images), from a running server.

Not a test: the journeys are asserted in tests/web; this draws what a person sees, at a desktop
(1280 × 860) and a phone (390 × 844), and paper as PNG. Outside hosts (base-map tiles) are refused,
as they are here, so the map shows its own base.

    python scripts/screenshots.py --base http://127.0.0.1:5000 [--user NAME --password PW]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlparse

from playwright.sync_api import sync_playwright

DESKTOP, PHONE = (1280, 860), (390, 844)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ADDRESS = quote("国分寺市本多1-7")
DISTRICT = quote("13214:国分寺市立第八小学校")


def _page(browser, size, phone=False):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, is_mobile=phone,
                                  has_touch=phone, bypass_csp=True)
    page = context.new_page()
    page.route(lambda url: urlparse(url).hostname not in ("127.0.0.1", "localhost"), lambda r: r.abort())
    return page


def _map(browser, base: str, out: Path) -> None:
    """The residents' map on a desktop, and on a phone with an address asked (the sheet open)."""
    page = _page(browser, DESKTOP)
    page.goto(base + "/?city=13214")
    page.wait_for_function("document.body.dataset.loading === '0' && document.body.dataset.ownBase")
    page.screenshot(path=out / "map-desktop.png")
    page = _page(browser, PHONE, phone=True)
    page.goto(base + "/?city=13214")
    page.wait_for_function("document.body.dataset.loading === '0'")
    page.fill("#search-input", "西町4-12-3")
    page.press("#search-input", "Enter")
    page.locator("#near-results .fm-result").first.wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=out / "map-phone.png")


def _planner(browser, base: str, out: Path) -> None:
    """Shelter reach on a desktop (emergency sites for floods shaded), shelter room on a phone."""
    page = _page(browser, DESKTOP)
    page.goto(base + "/analysis?question=shelters&city=13214")
    page.wait_for_function("document.body.dataset.analysis === 'done'")
    page.select_option("#a-layer", "emergency_site")
    page.select_option("#a-hazard", "flood")
    page.click("#analysis-form button[type=submit]")
    page.wait_for_function("document.body.dataset.analysis === 'done' && "
                           "document.querySelector('#a-csv').href.includes('hazard=flood')")
    page.screenshot(path=out / "planner-shelters-desktop.png")
    page = _page(browser, PHONE, phone=True)
    page.goto(base + "/analysis?question=capacity&city=13214")
    page.wait_for_function("document.body.dataset.analysis === 'done'")
    page.screenshot(path=out / "planner-capacity-phone.png")


def _card(browser, base: str, out: Path) -> None:
    """A household's card on a phone (its small map first), and the card and district sheet on paper."""
    page = _page(browser, PHONE, phone=True)
    page.goto(f"{base}/card?address={ADDRESS}")
    page.screenshot(path=out / "card-phone.png", full_page=False)
    _pdf_page(f"{base}/card?address={ADDRESS}&format=pdf&paper=A4", out / "card-paper.png")
    _pdf_page(f"{base}/print?area_kind=school_district&area={DISTRICT}&paper=A4", out / "district-sheet.png")


def _pdf_page(url: str, png: Path) -> None:
    """The first page of the PDF at ``url`` as a PNG (poppler's pdftoppm, 60 dpi)."""
    with urllib.request.urlopen(url) as answer, tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "page.pdf"
        pdf.write_bytes(answer.read())
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(png.with_suffix(""))], check=True)


def _upload(browser, base: str, out: Path, user: str, password: str) -> None:
    """A coordinator's upload refused with every mistake in Japanese (a fictional list)."""
    page = _page(browser, DESKTOP)
    page.goto(base + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(base + "/workspace")
    with tempfile.TemporaryDirectory() as folder:
        mistakes = Path(folder) / "架空サロン一覧.csv"
        mistakes.write_text("名称,住所,定員\n,国分寺市光町3-13-19,\n架空の会,府中市宮町1-1,たくさん\n",
                            encoding="utf-8")
        page.goto(base + "/workspace/upload")
        page.select_option("select[name=kind]", "salon")
        page.set_input_files("input[name=file]", str(mistakes))
        page.locator("form button[type=submit]").last.click()
        page.locator("table.fm-errors").wait_for()
    page.screenshot(path=out / "upload-mistakes-desktop.png")


def main() -> None:
    """Draw every journey into ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:5000")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "images"))
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=ARGS)
        for journey in (_map, _planner, _card):
            journey(browser, args.base.rstrip("/"), out)
        if args.user and args.password:
            _upload(browser, args.base.rstrip("/"), out, args.user, args.password)
        browser.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
