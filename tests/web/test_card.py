"""わが家の防災・福祉カード: the nearest shelter, a site per hazard and salons with their venues."""

from __future__ import annotations

import csv
import html
import re
import subprocess

from app.domain.kinds import HAZARDS
from tests.conftest import OPEN_DATA_DIR

ADDRESS = "国分寺市本多1-7"


def _venues() -> set[str]:
    with (OPEN_DATA_DIR / "facts/salons_kokubunji.csv").open(encoding="utf-8-sig") as handle:
        return {r["venue_name"] for r in csv.DictReader(handle) if r["venue_name"]}


def _text(page: str) -> str:
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


def test_the_card_on_paper(demo_client):
    for paper in ("A4", "A5"):
        pdf = demo_client.get(f"/card?address={ADDRESS}&format=pdf&paper={paper}")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        text = "".join(subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True,
                                      check=True).stdout.decode().split())
        assert "わが家の防災・福祉カード" in text and "避難所（指定避難所）" in text and "会場:" in text


def test_a_card_for_a_city_without_an_emergency_list_says_so(demo_client):
    musashino = demo_client.get("/card?lat=35.7176&lon=139.5665").get_data(as_text=True)
    assert "武蔵野市は指定緊急避難場所の一覧を公開していません" in _text(musashino)


def test_bad_card_requests_are_explained(demo_client):
    for query, said in (("", "give an address"), ("address=どこにもない町", "matched no 町丁目"),
                        ("lat=35.0&lon=139.0", "none of the stored cities"),
                        (f"address={ADDRESS}&format=doc", "'format'"), (f"address={ADDRESS}&pace=0", "'pace'")):
        answer = demo_client.get(f"/card?{query}")
        assert answer.status_code == 400 and said in html.unescape(answer.get_data(as_text=True)), query


def test_a_card_opened_from_the_map_names_the_place_not_its_coordinates(demo_client):
    page = _text(demo_client.get("/card?lat=35.71376&lon=139.43462").get_data(as_text=True))
    assert "付近" in page and "緯度" not in page  # 「…町…丁目付近」, the 町丁目 nearest the point
    assert "1分未満" in page or "徒歩 約0分" not in page
