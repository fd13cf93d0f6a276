"""Areas as councils write them: 町丁目 lists such as 「東恋ヶ窪1～3丁目、西町3丁目(全域)」."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.domain.text import fold_ke, nfkc

KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUMBER = r"[0-9〇一二三四五六七八九十]+"
RANGE = r"(?:～|~|〜|－|-|‐|から)"
SEPARATORS = r"[、,，・;；]"
CHOME_RE = re.compile(rf"^(?P<base>.*?)(?P<a>{NUMBER})(?:丁目)?(?:{RANGE}(?P<b>{NUMBER}))?丁目(?P<rest>.*)$")
TOWN_CHOME_RE = re.compile(r"^(?P<base>.+?)(?P<n>[〇一二三四五六七八九十]+)丁目$")


def parse_number(text: str) -> int | None:
    """Arabic or kanji numerals up to 99 (三, 十二, 二十); ``None`` if not a number."""
    if text.isascii() and text.isdigit():
        return int(text)
    if not text or any(c not in KANJI_DIGITS and c != "十" for c in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (KANJI_DIGITS[ones] if ones else 0)
    value = 0
    for c in text:
        value = value * 10 + KANJI_DIGITS[c]
    return value


def _key(text: str) -> str:
    return fold_ke(nfkc(text)).replace(" ", "").replace("\u3000", "")


@dataclass(frozen=True)
class Chome:
    """A 町丁目 of a city, with its 2015 census population."""

    city_code: str
    town: str  # as in the address table, e.g. 東恋ケ窪六丁目
    population: float = 0.0


@dataclass
class Member:
    """A 町丁目 that belongs to an area, wholly or in part."""

    chome: Chome
    partial: bool = False  # only some blocks (番) of this 町丁目 belong
    note: str = ""


@dataclass
class Parsed:
    """What a 町丁目 description means: members, unknown names and errors."""

    members: list[Member] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class ChomeIndex:
    """The 町丁目 of each city, by town base name and 丁目 number."""

    def __init__(self, chome: list[Chome], city_names: dict[str, str],
                 points: dict[tuple[str, str], tuple[float, float]] | None = None):
        self.city_names = city_names
        self.points = points or {}  # (city, town) → representative lon/lat
        self.by_city: dict[str, list[Chome]] = {}
        self._towns: dict[tuple[str, str], dict[int | None, Chome]] = {}
        for c in chome:
            self.by_city.setdefault(c.city_code, []).append(c)
            match = TOWN_CHOME_RE.match(c.town)
            base, number = (match["base"], parse_number(match["n"])) if match else (c.town, None)
            self._towns.setdefault((c.city_code, _key(base)), {})[number] = c

    def town(self, city: str, base: str) -> dict[int | None, Chome] | None:
        """The 丁目 of a town (number → 町丁目; None for a town without 丁目)."""
        return self._towns.get((city, _key(base)))

    def other_city(self, city: str, base: str) -> str | None:
        """The code of another city that has a town called ``base``, if any."""
        for (code, key), _ in self._towns.items():
            if code != city and key == _key(base):
                return self.city_names.get(code, code)
        return None

    def parse(self, text: str, city: str) -> Parsed:
        """The 町丁目 a description means, in ``city``; unknown names are reported, not guessed."""
        result = Parsed()
        previous_base = ""
        for token in _tokens(text):
            base = self._parse_token(token, city, previous_base, result)
            previous_base = base or previous_base
        seen: dict[str, Member] = {}
        for member in result.members:
            kept = seen.get(member.chome.town)
            if kept is None or (kept.partial and not member.partial):
                seen[member.chome.town] = member
        result.members = list(seen.values())
        return result

    def _parse_token(self, token: str, city: str, previous_base: str, result: Parsed) -> str | None:
        body, notes = _split_notes(token)
        match = CHOME_RE.match(body)
        if match is None:
            return self._whole_town(body, city, result, notes)
        base = match["base"] or previous_base
        first, last = parse_number(match["a"]), parse_number(match["b"] or match["a"])
        if not base:
            result.errors.append(f"{token!r}: no town name before the 丁目")
            return None
        if first is None or last is None or first > last:
            result.errors.append(f"{token!r}: malformed range {match['a']}～{match['b']}; "
                                 "write it low to high")
            return base
        partial_note = " ".join(filter(None, [notes, match["rest"]]))
        partial = _is_partial(partial_note)
        town = self.town(city, base)
        if town is None:
            self._unknown(token, base, city, result)
            return base
        for number in range(first, last + 1):
            if number not in town:
                result.unknown.append(f"{base}{number}丁目")
                continue
            result.members.append(Member(town[number], partial, partial_note))
        return base

    def _whole_town(self, body: str, city: str, result: Parsed, notes: str) -> str | None:
        body = re.sub(r"(の)?(全域|全町)$", "", body)
        town = self.town(city, body)
        if town is None:
            self._unknown(body, body, city, result)
            return None
        partial = _is_partial(notes)
        result.members.extend(Member(c, partial, notes) for _, c in sorted(town.items(),
                                                                          key=lambda kv: kv[0] or 0))
        return body

    def _unknown(self, token: str, base: str, city: str, result: Parsed) -> None:
        elsewhere = self.other_city(city, base)
        if elsewhere:
            result.errors.append(f"{token!r} is in {elsewhere}, not {self.city_names.get(city, city)}")
        else:
            result.unknown.append(token)


def _tokens(text: str) -> list[str]:
    """Split on separators outside brackets; 「高木町1丁目(1~3番地・5~9番地)」 stays one token."""
    text = _key(text)
    tokens, depth, current = [], 0, ""
    for char in text:
        depth += char in "(（"
        depth -= char in ")）"
        if depth == 0 and re.fullmatch(SEPARATORS, char):
            tokens.append(current)
            current = ""
        else:
            current += char
    tokens.append(current)
    return [t for t in tokens if t]


def _split_notes(token: str) -> tuple[str, str]:
    notes = " ".join(re.findall(r"[(（]([^)）]*)[)）]", token))
    return re.sub(r"[(（][^)）]*[)）]", "", token), notes


def _is_partial(note: str) -> bool:
    return bool(re.search(r"番|一部|以上|以下", note)) and "全域" not in note


def town_order(town: str) -> tuple[str, int]:
    """A sort key putting 「西町二丁目」 before 「西町三丁目」 (as text, 三 sorts before 二)."""
    match = TOWN_CHOME_RE.match(town)
    return (match["base"], parse_number(match["n"]) or 0) if match else (town, 0)
