"""Figures in their units: buildings are not dwellings, a preliminary figure is not the final one.

A survey cell such as 「8棟 / 38戸」 states two counts in two units; both are kept, each with its
unit, and neither is served as the other. A figure marked 速報 (preliminary) gives way to the final
report of the same survey where one is held, and a figure quoted second-hand says so.
"""

from __future__ import annotations

import re

from app.domain.text import nfkc

UNIT_WORDS = (("棟", "buildings"), ("戸", "dwellings"), ("%", "percent"), ("人", "people"),
              ("か所", "places"), ("ヵ所", "places"), ("ヶ所", "places"))
PRELIMINARY = re.compile(r"速報")
SECOND_HAND = re.compile(r"二次情報|原典未確認|による引用|ブログ")


def counts_with_units(text: str, default_unit: str) -> list[tuple[float, str]]:
    """Every number of a cell with the unit written after it (「514棟 / 18040戸」 → two counts).

    A number with no unit word takes ``default_unit``; 「(0.2%)」 after a count is the count's
    share, not a second count, and is left out.
    """
    folded = nfkc(text or "").replace(",", "")
    folded = re.sub(r"[（(][^)）]*%[^)）]*[)）]", "", folded)
    out = []
    for match in re.finditer(r"(\d+(?:\.\d+)?)\s*(棟|戸|%|人|か所|ヵ所|ヶ所)?", folded):
        unit = dict(UNIT_WORDS).get(match.group(2) or "", default_unit)
        out.append((float(match.group(1)), unit))
    return out


def status_of(*texts: str) -> str:
    """``preliminary`` (速報), ``second_hand`` (quoted, source unchecked) or ``final``."""
    joined = nfkc(" ".join(t or "" for t in texts))
    if PRELIMINARY.search(joined):
        return "preliminary"
    if SECOND_HAND.search(joined):
        return "second_hand"
    return "final"


STATUS_WORDS = {"preliminary": "速報値", "second_hand": "二次情報・原典未確認", "final": ""}
UNIT_LABELS = {"buildings": "棟", "dwellings": "戸", "percent": "%", "people": "人", "places": "か所"}
