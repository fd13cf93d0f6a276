"""Normalisation of Japanese names and addresses as councils write them."""

from __future__ import annotations

import re
import unicodedata

_DASHES = "‐‑‒–—―−ー－ｰ─━"
_PUNCT_RE = re.compile(r"[\s　・･「」『』（）()\[\]【】〔〕,，、。.]")


def nfkc(value: str) -> str:
    """Full-width digits and letters to half-width, compatibility forms folded."""
    return unicodedata.normalize("NFKC", value or "").strip()


def fold_ke(value: str) -> str:
    """ヶ/ケ/ヵ/が/ガ between kanji are spelled interchangeably in place names (東恋ヶ窪)."""
    return re.sub(r"(?<=[\u4e00-\u9fff])[ヶケヵがガ](?=[\u4e00-\u9fff])", "ケ", value)


def name_key(value: str) -> str:
    """Key for matching facility names written slightly differently across sources."""
    return _PUNCT_RE.sub("", fold_ke(nfkc(value))).lower()


def name_parts(value: str) -> list[str]:
    """A name and the parts of a compound name (「福祉センター・生きがいセンターとくら」)."""
    base = re.sub(r"[（(][^)）]*[)）]", "", nfkc(value))
    parts = [base, *re.split(r"[・･/／]", base)]
    keys = [name_key(p) for p in parts]
    return [k for i, k in enumerate(keys) if k and k not in keys[:i]]


def clean_address(address: str) -> str:
    """Drop what is not part of an address: postcodes, notes in brackets, 'in the city'."""
    text = nfkc(address)
    text = re.sub(r"〒?\s*\d{3}-?\d{4}", "", text)
    text = re.sub(r"[（(][^)）]*[)）]", "", text)
    for dash in _DASHES:
        text = text.replace(dash, "-")
    text = re.sub(r"^市内", "", text.strip())
    return re.sub(r"\s+", "", text)


def whole_number(text: str, max_digits: int = 9) -> int | None:
    """A whole number of ASCII digits (at most ``max_digits``), or None.

    ``str.isdigit`` also accepts 「²」 and Arabic-Indic digits, which ``int`` then rejects or reads
    as numbers no one typed; a count past ``max_digits`` digits overflows a database integer.
    """
    value = (text or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= max_digits else None


# The city an address names at its start (「東京都府中市宮西町」 → 府中市): a 市 or a Tokyo 区.
_KANA_KANJI = "\u4e00-\u9fffぁ-んァ-ヶ"
_CITY_WRITTEN = re.compile(rf"^(?:東京都)?([{_KANA_KANJI}]{{1,6}}?[市区])(?=[{_KANA_KANJI}])")


def written_city(address: str) -> str | None:
    """The city ``address`` names (「府中市」), or None when it starts at the 町丁目 as council lists do."""
    found = _CITY_WRITTEN.match(clean_address(address))
    return found.group(1) if found else None
