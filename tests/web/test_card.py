"""わが家の防災・福祉カード: the nearest shelter, a site per hazard and salons with their venues."""

from __future__ import annotations

import csv
import html
import re
import subprocess

import pytest

from app.domain.kinds import HAZARDS
from app.outputs.textpages import text_pdf
from tests.conftest import OPEN_DATA_DIR

ADDRESS = "国分寺市本多1-7"


def _venues() -> set[str]:
    with (OPEN_DATA_DIR / "facts/salons_kokubunji.csv").open(encoding="utf-8-sig") as handle:
        return {r["venue_name"] for r in csv.DictReader(handle) if r["venue_name"]}


def _text(page: str) -> str:
    """The card's words, its small map left out (its legend repeats the headings' words)."""
    page = re.sub(r'<figure class="card-map".*?</figure>', " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_the_card_of_an_address(demo_client):
    page = demo_client.get(f"/card?address={ADDRESS}")
    assert page.status_code == 200
    text = _text(page.get_data(as_text=True))
    assert "国分寺市本多一丁目" in text and "小学校区:" in text
    shelters = {f["properties"]["name"] for f in demo_client.get(
        "/api/v1/resources?kind=shelter&city=13214&limit=500").get_json()["features"]}
    section = text[text.index("避難所（指定避難所）"):text.index("福祉避難所")]
    assert any(name in section for name in shelters) and "徒歩 約" in section
    emergency = text[text.index("災害ごとの緊急避難場所"):text.index("高齢の方の集いの場")]
    for key, labels in HAZARDS.items():
        assert labels[1] in emergency, key  # every hazard is named: its site, or once among those with none
    assert text.index("この場所の危険") < text.index("避難所（指定避難所）")  # the risk here comes first
    salons = text[text.index("高齢の方の集いの場"):text.index("この地図で分からないこと")]
    assert any(f"会場: {venue}" in salons for venue in _venues())
    assert "東京都国分寺市本多1-7-1" in salons  # the venue's address, for a salon listed without one


def _pdf(data: bytes, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


@pytest.mark.parametrize("lang", ["ja", "en", "ja-easy"])
def test_the_card_on_paper(demo_client, lang):
    """One A4 page or two A5 pages, in the reader's language, with no word past the right edge."""
    for paper, pages in (("A4", 1), ("A5", 2)):
        pdf = demo_client.get(f"/card?address={ADDRESS}&format=pdf&paper={paper}&lang={lang}")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        text = "".join(_pdf(pdf.data).split())
        if lang == "ja":
            assert "わが家の防災・福祉カード" in text and "避難所（指定避難所）" in text and "会場:" in text
        info = subprocess.run(["pdfinfo", "-"], input=pdf.data, capture_output=True, check=True).stdout.decode()
        assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) == pages, (paper, lang)
        width = float(re.search(r'<page width="([\d.]+)"', _pdf(pdf.data, "-bbox")).group(1))
        right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', _pdf(pdf.data, "-bbox")))
        assert right <= width - 18, (paper, lang, right, width)  # a quarter inch of paper at least


def test_a_card_for_a_city_without_an_emergency_list_says_so(demo_client):
    musashino = demo_client.get("/card?lat=35.7176&lon=139.5665").get_data(as_text=True)
    assert "武蔵野市は指定緊急避難場所の一覧を公開していません" in _text(musashino)


def test_bad_card_requests_are_explained(demo_client):
    for query, said in (("", "住所を入れてください"), ("lang=en", "give an address"), ("address=どこにもない町", "町丁目が見つかりません"),
                        ("lat=35.0&lon=139.0", "どの市にも入っていません"),
                        ("address=どこにもない町&lang=en", "matched no 町丁目"),
                        ("lat=35.0&lon=139.0&lang=ja-easy", "市の 中では ありません"),
                        (f"address={ADDRESS}&format=doc", "「format」"), (f"address={ADDRESS}&pace=0", "「pace」")):
        answer = demo_client.get(f"/card?{query}")
        assert answer.status_code == 400 and said in html.unescape(answer.get_data(as_text=True)), query


def test_a_card_opened_from_the_map_names_the_place_not_its_coordinates(demo_client):
    page = _text(demo_client.get("/card?lat=35.71376&lon=139.43462").get_data(as_text=True))
    assert "付近" in page and "緯度" not in page  # 「…町…丁目付近」, the 町丁目 nearest the point
    assert "1分未満" in page or "徒歩 約0分" not in page


def test_the_card_speaks_the_readers_language(demo_client):
    english = html.unescape(_text(demo_client.get(f"/card?address={ADDRESS}&lang=en").get_data(as_text=True)))
    for heading in ("Dangers at this place", "Shelter (designated evacuation shelter)",
                    "Emergency evacuation sites, by hazard", "What this map cannot tell"):
        assert heading in english, heading
    assert "この場所の危険" not in english and "徒歩" not in english and "walk (about" in english
    assert "Check the city's hazard map" in english  # the risk sentences too, not only the headings
    assert all(labels[2] in english for labels in HAZARDS.values())
    easy = demo_client.get(f"/card?address={ADDRESS}&lang=ja-easy&format=pdf&paper=A4")
    text = " ".join(_pdf(easy.data).split())
    assert "わたしの 家の 防災カード" in text and "この 場所の きけん" in text and "この場所の危険" not in text


def test_the_card_has_a_small_map_of_home_and_its_places(demo_client):
    """Home, the places the card names with their letters, the stations around, north up and credited."""
    for lang, home, shelter in (("ja", "わが家", "避"), ("en", "Home", "S")):
        page = demo_client.get(f"/card?address={ADDRESS}&lang={lang}").get_data(as_text=True)
        figure = page[page.index('<figure class="card-map"'):page.index("</figure>")]
        assert 'role="img"' in figure and "<svg" in figure
        svg_text = " ".join(re.findall(r">([^<]+)<", html.unescape(figure)))
        assert home in svg_text and shelter in svg_text and "N" in svg_text, (lang, svg_text[:300])
        assert "国分寺" in svg_text  # the station the home is found by
        assert "国土数値情報（鉄道データ）" in figure


def test_a_card_map_goes_on_paper_only_where_the_last_page_has_room():
    """The inset shrinks to the room under the text, never below its smallest, and never adds a page."""
    drawn = []
    inset = (lambda figure, rect: drawn.append(rect), 3.4, 3.74, 2.2)
    short = [("見出し", ["架空の行"] * 3)]
    long = [("見出し", ["架空の行"] * 36)]
    for sections, expected in ((short, 1), (long, 0)):
        drawn.clear()
        pdf = text_pdf("架空のカード", sections, "A4", "http://example.invalid", inset=inset)
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) == 1 and len(drawn) == expected


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_card_with_more_to_say_still_fits_its_paper(demo_client, lang):
    """武蔵野 (no emergency list: more lines) on one A4 page and two A5 pages, set no smaller than 12 pt."""
    for paper, pages in (("A4", 1), ("A5", 2)):
        pdf = demo_client.get(f"/card?lat=35.7176&lon=139.5665&format=pdf&paper={paper}&lang={lang}").data
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) == pages, (paper, lang)
        boxes = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', _pdf(pdf, "-bbox"))
        assert min(float(b) - float(a) for a, b in boxes) >= 12 * 0.9, (paper, lang)


def test_a_cards_small_map_is_drawn_once_for_the_same_home_and_places(demo_app):
    from app.outputs import card_map
    from app.services.card import household_card, surroundings

    with demo_app.app_context():
        card = household_card(139.4777, 35.7005, "架空の住所")
        context, _ = surroundings(card)
    card_map._KEPT.clear()  # other tests of this worker may have drawn this very map
    first = card_map.card_map_svg(card, context, "ja")
    assert card_map.card_map_svg(card, context, "ja") is first and len(card_map._KEPT) == 1
    english = card_map.card_map_svg(card, context, "en")
    assert english is not first and "Home" in english and len(card_map._KEPT) == 2
