"""Disaster equipment of a place (防災公園 and others), read from how it is written."""

from __future__ import annotations

import re

from app.domain.text import nfkc

EQUIPMENT = {
    "manhole_toilet": ("マンホールトイレ", "Manhole toilets", r"マンホール|防災トイレ"),
    "cooking_bench": ("かまどベンチ・スツール", "Cooking benches (kamado)", r"かまど"),
    "storage_bench": ("収納ベンチ", "Storage benches", r"収納ベンチ"),
    "toilet_stool": ("トイレスツール", "Toilet stools", r"トイレスツール"),
    "disaster_vendor": ("災害救援ベンダー", "Disaster-relief vending machine", r"ベンダー|自販機|自動販売機"),
    "emergency_lighting": ("非常用照明・誘導灯", "Emergency lighting", r"照明|誘導灯"),
}


def equipment_of(text: str) -> list[str]:
    """Equipment keys named in ``text`` (「防災トイレ(マンホール型)、災害救援ベンダー」 → two keys)."""
    folded = nfkc(text or "")
    return [key for key, (_, _, pattern) in EQUIPMENT.items() if re.search(pattern, folded)]
