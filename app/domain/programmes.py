"""Which council programme a listed place runs under (国分寺's 地域交流会, 西東京's 子ども食堂).

A place belongs to a programme of its city when the category it was listed under names the
programme (「地域交流会(社協)」 → 地域交流会); the programme's rules then say who it is for.
"""

from __future__ import annotations

import re

from app.domain.text import name_key, name_parts, nfkc


def programme_key(name: str) -> str:
    """The programme's name without notes in brackets or a trailing 事業 (「いきいきサロン事業」)."""
    parts = name_parts(name)
    return re.sub(r"事業$", "", parts[0]) if parts else ""


def programme_for(category: str, city_code: str, programmes: list[dict]) -> dict | None:
    """The programme of ``city_code`` whose name the listed category contains, if exactly one.

    Two sources may report on one programme (two rows of one name): that is still one.
    """
    written = name_key(category)
    if not written:
        return None
    found = [p for p in programmes if p["city_code"] == city_code
             and (key := programme_key(p["name"])) and key in written]
    return found[0] if len({programme_key(p["name"]) for p in found}) == 1 else None


def reported_count(text: str) -> int | None:
    """The number of places a publisher reports (「27ヶ所」, 「10地区」), or ``None``."""
    match = re.match(r"\s*(\d+)", nfkc(text or ""))
    return int(match.group(1)) if match else None
