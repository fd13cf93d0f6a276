"""避難行動要支援者: what a person registered for help needs, how fast they walk, and 安否 on the day.

Pure rules over plain values: the vocabulary of needs as councils write them, the pace a need
implies (and why), age bands, and the marks a supporter gives on the day of a disaster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.domain.text import nfkc
from app.domain.walking import DEFAULT_PACE


@dataclass(frozen=True)
class Need:
    """One kind of help a person needs, with the words councils write for it."""

    key: str
    label: str
    words: tuple[str, ...]
    slow: bool  # moving takes longer: the plan uses the slower pace


NEEDS = {n.key: n for n in (
    Need("walking", "歩行", ("歩行", "歩く", "杖", "つえ", "歩行器", "足", "walking"), True),
    Need("wheelchair", "車いす", ("車いす", "車椅子", "くるまいす", "wheelchair"), True),
    Need("sight", "視覚", ("視覚", "目", "視力", "全盲", "弱視", "sight", "blind"), False),
    Need("hearing", "聴覚", ("聴覚", "耳", "難聴", "ろう", "hearing", "deaf"), False),
    Need("cognition", "認知", ("認知", "認知症", "知的", "精神", "cognition", "dementia"), False),
    Need("medical", "医療機器", ("医療機器", "酸素", "人工呼吸", "透析", "たん吸引", "medical"), True),
    Need("language", "言語", ("言語", "日本語", "外国語", "通訳", "language"), False),
)}
SLOW_PACE = 30.0  # m/min: moving with a wheelchair, a walker or medical equipment
PACE_REASONS = {
    SLOW_PACE: "車いす・歩行・医療機器の支援が必要なため、ゆっくりした速さ（分速30m）で計算しています",
    DEFAULT_PACE: "高齢の方の歩く速さ（分速43m、逃げ地図の計画の目安）で計算しています",
}

STATUSES = {
    "unconfirmed": "未確認",
    "safe": "無事",
    "needs_help": "要支援",
    "absent": "不在",
    "moved": "避難所へ移動",
}
READ_PURPOSES = ("list", "print", "plan", "event", "api", "export")
AGE_BANDS = ((85, "85歳以上"), (75, "75〜84歳"), (65, "65〜74歳"), (0, "65歳未満"))


def read_needs(text: str) -> tuple[list[str], list[str]]:
    """The need keys named in ``text`` (「車いす、視覚」) and the words that named none.

    Returns
    -------
    keys, unknown
        Keys in the order of ``NEEDS``; the parts of the text no need's words matched (kept as
        「その他」 by the caller, never dropped).
    """
    parts = [p for p in re.split(r"[、,，・/／;；\s]+", nfkc(text or "")) if p]
    keys, unknown = set(), []
    for part in parts:
        hits = {n.key for n in NEEDS.values() if any(w in part for w in n.words)}
        if hits:
            keys |= hits
        else:
            unknown.append(part)
    return [k for k in NEEDS if k in keys], unknown


# Needs that make a person one of those a 障害者 welfare shelter is for.
DISABILITY_NEEDS = ("wheelchair", "sight", "hearing", "cognition", "medical")


def care_groups(needs: list[str], age_band_label: str) -> list[str]:
    """The target groups whose 福祉避難所 suit a registered person (``domain.targets``).

    Aged 65 or over: older people needing care; a disability need: people with disabilities;
    anyone else on the register: people needing care in general (要配慮者), whom only a site for
    要配慮者 as a whole serves. Never a group the person is not in: a frail older person is not
    sent to a site for pregnant women and infants.
    """
    older = any(label in (age_band_label or "") for _, label in AGE_BANDS[:3]) or bool(
        re.search(r"(6[5-9]|[7-9]\d|1\d\d)歳以上|高齢", nfkc(age_band_label or "")))
    groups = (["older_needing_care"] if older else []) + (
        ["disabled"] if any(k in DISABILITY_NEEDS for k in needs or ()) else [])
    return groups or ["needs_care"]


def pace_for(needs: list[str]) -> tuple[float, str]:
    """The walking pace (m/min) a plan uses for these needs, and the sentence saying why."""
    pace = SLOW_PACE if any(NEEDS[k].slow for k in needs if k in NEEDS) else DEFAULT_PACE
    return pace, PACE_REASONS[pace]


def birth_year(text: str, today: date) -> int | None:
    """A birth year from 「1940」, 「昭和15年」 or 「S15」; None when the cell says none.

    Raises
    ------
    ValueError
        For a year that cannot be a living person's.
    """
    value = nfkc(text or "").strip()
    if not value:
        return None
    initials = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
    match = re.match(r"(明治|大正|昭和|平成|令和|[MTSHR])\s*(\d{1,2}|元)\s*年?", value, flags=re.I)
    if match:
        era = ERA_START[initials.get(match.group(1).upper(), match.group(1))]
        year = era + (1 if match.group(2) == "元" else int(match.group(2)))
    elif re.match(r"\d{4}(?!\d)", value):  # 1940, 1940年, or the year of 1940-05-03
        year = int(value[:4])
    else:
        raise ValueError(f"{text!r} is not a birth year; write it as 1940 or 昭和15年")
    if not today.year - 120 <= year <= today.year:
        raise ValueError(f"birth year {year} cannot be a living person's; check the cell")
    return year


def age_band(year: int | None, written: str, today: date) -> str:
    """The age band of a person born in ``year``, or the band the list wrote (年齢区分)."""
    if year is None:
        return nfkc(written or "").strip() or "不明"
    age = today.year - year
    return next(label for floor, label in AGE_BANDS if age >= floor)


ERA_START = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}


def consent_date(text: str, today: date) -> date:
    """The date consent was given, from 「2026-04-01」, 「2026/4/1」 or 「令和8年4月1日」.

    Raises
    ------
    ValueError
        When the cell is empty (no consent, no registration), not a date, or in the future.
    """
    value = nfkc(text or "").strip()
    if not value:
        raise ValueError("no 同意日: a person is registered only with their consent; write the date they "
                         "gave it, or leave the row out")
    western = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", value)
    era = re.fullmatch(r"(明治|大正|昭和|平成|令和)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?",
                       value)
    try:
        if western:
            given = date(*map(int, western.groups()))
        elif era:
            year = ERA_START[era.group(1)] + (1 if era.group(2) == "元" else int(era.group(2)))
            given = date(year, int(era.group(3)), int(era.group(4)))
        else:
            raise ValueError
    except ValueError:
        raise ValueError(f"同意日 {text!r} is not a date; write it as 2026-04-01 or 令和8年4月1日") from None
    if given > today:
        raise ValueError(f"同意日 {given.isoformat()} is in the future; check the date")
    return given


# A Japanese telephone number as councils write it: 042-300-1234, 090(1234)5678, 0423001234.
PHONE = re.compile(r"0\d{1,4}[-‐ー−(（\s]?\d{1,4}[-‐ー−)）\s]?\d{3,4}")
UNCONFIRMED = "unconfirmed"


def phone_link(contact: str) -> str | None:
    """A ``tel:`` link to the first telephone number in ``contact``, or None when it holds none.

    On the day a supporter calls from the list; an e-mail address or a note is not a number.
    """
    found = PHONE.search(nfkc(contact or ""))
    return "tel:" + re.sub(r"\D", "", found.group(0)) if found else None


def board_order(person: dict) -> tuple:
    """Unconfirmed people first, those no supporter covers first among them; then by district."""
    return (person["status"] != UNCONFIRMED, person.get("covered", True), person.get("district", ""),
            person.get("chome_code", ""))


def marks_by_chome(people: list[dict]) -> list[dict]:
    """Per 町丁目: its point and its people's 安否 counted by status, most unconfirmed first.

    A registered person is placed at their 町丁目's point (``lon``/``lat`` of the row), so the map
    shows where to go next, never a home; a person without a point is left off the map (the board's
    list still names them).
    """
    out: dict[str, dict] = {}
    for person in people:
        if person.get("lon") is None or not person.get("chome_code"):
            continue
        entry = out.setdefault(person["chome_code"], {
            "chome": person["chome_code"].split(":", 1)[-1], "lon": person["lon"], "lat": person["lat"],
            "counts": dict.fromkeys(STATUSES, 0), "total": 0})
        entry["counts"][person.get("status", UNCONFIRMED)] += 1
        entry["total"] += 1
    return sorted(out.values(), key=lambda e: (-e["counts"][UNCONFIRMED], e["chome"]))
