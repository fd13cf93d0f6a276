"""Three languages from gettext catalogs: every key translated, easy Japanese with ふりがな."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from app.web.i18n import catalog, ruby

CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_every_message_is_in_japanese_and_english_and_easy_japanese_adds_no_new_key():
    assert set(catalog("ja")) == set(catalog("en"))
    assert set(catalog("ja-easy")) <= set(catalog("ja"))
    assert not [k for k, v in catalog("en").items() if CJK.search(v)], "English screens have no Japanese"


def test_ruby_goes_on_kanji_and_leaves_the_kana_ending_outside():
    assert str(ruby("歩く")) == "<ruby>歩<rt>ある</rt></ruby>く"
    assert str(ruby("ひなん")) == "ひなん"
    assert str(ruby("<避難>")) == "&lt;<ruby>避難<rt>ひなん</rt></ruby>&gt;"  # escaped, never raw HTML


def _config(page: str) -> dict:
    """The map script's config (the JSON handed to window.fureaiBoot)."""
    found = re.search(r"config: (\{.*?\})\};\s*window\.dispatchEvent", page, re.S)
    return json.loads(found.group(1))


def test_easy_japanese_pages_carry_furigana_and_the_script_gets_plain_words(demo_client):
    for path in ("/?city=13214&lang=ja-easy", "/list?city=13214&lang=ja-easy", "/card?address=西町4-12-3&lang=ja-easy"):
        page = demo_client.get(path).get_data(as_text=True)
        assert "<ruby>" in page and '<html lang="ja">' in page, path
    config = _config(demo_client.get("/?lang=ja-easy").get_data(as_text=True))
    assert config["strings"]["near_me"] == catalog("ja-easy")["near_me"]
    assert config["strings"]["analysis"] == catalog("ja")["analysis"]  # not in the easy catalog: Japanese
    assert not any("<ruby>" in v for v in config["strings"].values())


def test_each_page_links_to_the_other_two_languages(demo_client):
    page = demo_client.get("/?lang=en").get_data(as_text=True)
    links = re.findall(r'class="lang-link" data-lang="([a-z-]+)"', page)
    assert links == ["ja", "ja-easy"] and "やさしい日本語" in page and "日本語" in page


def test_attributes_carry_plain_words_never_ruby_markup(demo_client):
    """A placeholder or an aria-label cannot hold ruby: easy-Japanese pages put plain words there."""
    for path in ("/?city=13214&lang=ja-easy", "/list?city=13214&lang=ja-easy", "/analysis?lang=ja-easy"):
        page = demo_client.get(path).get_data(as_text=True)
        attributes = re.findall(r'(?:placeholder|aria-label|title|alt)="([^"]*)"', page)
        assert attributes and not [a for a in attributes if "ruby" in a or "&lt;" in a], path


ENGLISH_RUN = re.compile(r"[A-Za-z]{3,}(?:\s+[A-Za-z]{2,}){2,}")  # three English words in a row


def test_data_limits_speak_the_pages_language(demo_client):
    """Each limit of an answer comes in the page's language: no English sentence on a Japanese page."""
    asked = ("/api/v1/analysis/coverage?kind=salon&city=13214&minutes=10&target=older",
             "/api/v1/analysis/coverage?kind=salon&city=13221&minutes=10",
             "/api/v1/analysis/reach?city=13203&minutes=15")
    for path in asked:
        english = demo_client.get(path).get_json()["data_limits"]
        assert english and all(ENGLISH_RUN.search(line) for line in english), path
        for lang in ("ja", "ja-easy"):
            lines = demo_client.get(f"{path}&lang={lang}").get_json()["data_limits"]
            assert len(lines) == len(english) and all(CJK.search(line) for line in lines), (path, lang)
            assert not [line for line in lines if ENGLISH_RUN.search(line)], (path, lang)
    profile = demo_client.get(f"/areas/school_district/{quote('13214:国分寺市立第八小学校')}").get_data(as_text=True)
    limits = profile[profile.index("データの限界"):]
    assert not ENGLISH_RUN.search(re.sub(r"<[^>]+>", " ", limits[:limits.find("</section>")]))
    comparison = demo_client.get("/areas/school_district?city=13214").get_data(as_text=True)
    limits = comparison[comparison.index("データの限界"):]
    assert not ENGLISH_RUN.search(re.sub(r"<[^>]+>", " ", limits[:limits.find("</section>")]))


@pytest.mark.parametrize("path", ["/list?city=99x", "/card?pace=9999&address=本多1-7",
                                  "/areas/school_district?minutes=999", "/areas/school_district/nowhere",
                                  "/analysis?question=nope"])
def test_a_refused_page_speaks_its_own_language_and_names_what_to_do(demo_client, path):
    """An English 'parameter …' sentence on a Japanese page is a developer's; each page says it in its own words."""
    for lang, marker in (("ja", "もう一度開いて"), ("en", "open the page again"), ("ja-easy", "もう いちど")):
        answer = demo_client.get(f"{path}&lang={lang}" if "?" in path else f"{path}?lang={lang}")
        text = re.sub(r"<[^>]+>", "", answer.get_data(as_text=True))
        assert answer.status_code in (400, 404), (path, lang)
        assert "parameter '" not in text, (path, lang)
        if "nowhere" in path:
            assert {"ja": "地区カルテ", "en": "cannot be profiled", "ja-easy": "みつかりません"}[lang] in text
        else:
            assert marker in text, (path, lang, text[-400:])
