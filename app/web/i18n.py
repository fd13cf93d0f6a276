"""User-interface strings from gettext catalogs (``translations/*.po``): ja, en and ja-easy.

The message ids are symbolic keys (``near_me``); the pages and the map script read the same
catalogs (the script gets them as JSON in its config). やさしい日本語 (``ja-easy``) gives its own
words where the catalog has them and the Japanese ones otherwise, with ふりがな on every kanji.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.messages.pofile import read_po
from markupsafe import Markup, escape

from app.domain.said import in_language
from app.web.params import BadParameter

LANGUAGES = ("ja", "en", "ja-easy")
# Each language named in itself, the same on every page.
LANGUAGE_NAMES = {"ja": "日本語", "en": "English", "ja-easy": "やさしい日本語"}
CATALOGS = Path(__file__).parent / "translations"


def pick_language(value: str | None) -> str:
    """``value`` when it is a supported language, else Japanese."""
    return value if value in LANGUAGES else "ja"


def base_language(lang: str) -> str:
    """The language of data labels (kinds, hazards): Japanese for both Japanese forms."""
    return "en" if lang == "en" else "ja"


@cache
def catalog(lang: str) -> dict[str, str]:
    """One catalog's translated messages, by key."""
    with (CATALOGS / f"{lang.replace('-', '_')}.po").open("rb") as handle:
        return {message.id: message.string for message in read_po(handle) if message.id and message.string}


def plain_strings(lang: str) -> dict[str, str]:
    """Every UI string as text, for the map script (easy Japanese falls back to Japanese)."""
    lang = pick_language(lang)
    return {**catalog("ja"), **catalog(lang)} if lang == "ja-easy" else dict(catalog(lang))


def strings(lang: str) -> dict[str, str]:
    """Every UI string for the templates; in easy Japanese each carries its ふりがな."""
    words = plain_strings(lang)
    return {key: ruby(text) for key, text in words.items()} if lang == "ja-easy" else words


@cache
def _kakasi():
    # deferred: pykakasi loads its dictionaries (~0.3 s); only easy-Japanese pages need them
    import pykakasi

    return pykakasi.kakasi()


def _has_kanji(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" or c == "々" for c in text)


def _annotated(word: str, reading: str) -> str:
    """``<ruby>`` on the kanji of one word, its kana ending (okurigana) left outside."""
    shortest = min(len(word), len(reading))
    start = 0
    while start < shortest and word[start] == reading[start] and not _has_kanji(word[start]):
        start += 1
    end = 0
    while end < shortest - start and word[-1 - end] == reading[-1 - end] and not _has_kanji(word[-1 - end]):
        end += 1
    core, kana = word[start:len(word) - end], reading[start:len(reading) - end]
    tail = word[len(word) - end:]
    return f"{escape(word[:start])}<ruby>{escape(core)}<rt>{escape(kana)}</rt></ruby>{escape(tail)}"


@cache
def ruby(text: str) -> Markup:
    """``text`` as HTML with ふりがな on its kanji (「避難所」→ <ruby>避難所<rt>ひなんじょ</rt></ruby>)."""
    out = []
    for part in _kakasi().convert(text):
        word, reading = part["orig"], part["hira"]
        out.append(_annotated(word, reading) if _has_kanji(word) and reading != word else str(escape(word)))
    return Markup("".join(out))


def plain(text) -> str:
    """A UI string for an attribute (placeholder, aria-label): no markup, ふりがな dropped.

    An attribute cannot hold ruby; a screen reader and a search box read the plain words.
    """
    value = re.sub(r"<rt>.*?</rt>|<rp>.*?</rp>", "", str(text or ""))
    return re.sub(r"<[^>]+>", "", value)


def html_lang(lang: str) -> str:
    """The page's ``lang`` attribute: easy Japanese is Japanese (BCP 47 has no subtag for it)."""
    return base_language(lang)


def furigana(text, lang: str):
    """A data label (a kind, a hazard) with ふりがな on an easy-Japanese page, else as it is."""
    return ruby(str(text)) if lang == "ja-easy" and text else text


def init_app(app) -> None:
    """Give every template the language names, the ``lang`` attribute and the furigana filter."""
    app.add_template_filter(furigana)
    app.add_template_filter(plain)
    app.add_template_filter(in_language, "said")
    app.add_template_filter(japan_time)
    app.context_processor(lambda: {"language_names": LANGUAGE_NAMES, "html_lang": html_lang})


def refusal(exc: Exception, lang: str) -> str:
    """A page's refusal in the page's language: the parameter named, and what to do.

    The English detail stays in the JSON API's answer; a page says one language.
    """
    words = plain_strings(lang)
    if isinstance(exc, BadParameter):
        return words["bad_parameter"].format(name=exc.name)
    return words["no_profile"]


TOKYO = ZoneInfo("Asia/Tokyo")


def japan_time(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored moment (kept in UTC; naive ones are UTC too) as a clock in Japan shows it."""
    if value is None:
        return ""
    if not isinstance(value, datetime):  # a day, not a moment: as it is
        return value.strftime(fmt)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(TOKYO).strftime(fmt)
