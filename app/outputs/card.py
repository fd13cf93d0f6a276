"""わが家の防災・福祉カード as sections of lines (for the page) and as a large-type PDF."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from app.domain import site_access
from app.domain.kinds import HAZARDS
from app.domain.risk import NEAR_MINUTES, minutes_words, risk_sentences, rounded_metres
from app.domain.said import in_language
from app.domain.targets import group_label
from app.outputs.card_map import draw_card_map
from app.outputs.textpages import PAPER, text_pdf
from app.services.card import Card

__all__ = ["PAPER", "card_pdf", "card_sections", "card_title", "map_link"]
POINTS = 13  # at least 12 pt: the card is read by older people, on paper
MAP_SIDE = {"A4": 3.4, "A5": 3.0}  # inches: the small map, when the last page has room
CARD_PAGES = {"A4": 1, "A5": 2}  # one sheet of A4, or both sides of an A5 one
MAP_SMALLEST = 2.2  # inches high: smaller, the letters and the station names no longer read
LANGS = ("ja", "en", "ja-easy")
# The card's own words, per language; the places' names and addresses stay as published.
WORDS = {
    "title": (
        "わが家の防災・福祉カード",
        "Household disaster and welfare card",
        "わたしの 家の 防災カード"),
    "home": (
        "わが家",
        "Home",
        "わたしの 家"),
    "district": (
        "小学校区",
        "Elementary school district",
        "小学校の 区域"),
    "approximate": (
        "（近似）",
        " (approximate)",
        "（だいたい）"),
    "no_data": (
        "データなし",
        "no data",
        "データが ありません"),
    "risk": (
        "この場所の危険",
        "Dangers at this place",
        "この 場所の きけん"),
    "shelter": (
        "避難所（指定避難所）",
        "Shelter (designated evacuation shelter)",
        "ひなんじょ（にげて すごす 場所）"),
    "welfare_older": (
        "福祉避難所（高齢者・障害者など）",
        "Welfare shelter (older people, people with disabilities)",
        "福祉避難所（お年より・しょうがいの ある 人）"),
    "welfare_infants": (
        "福祉避難所（妊産婦・乳幼児）",
        "Welfare shelter (pregnant women, infants)",
        "福祉避難所（おなかに 赤ちゃんが いる 人・赤ちゃん）"),
    "emergency": (
        "災害ごとの緊急避難場所",
        "Emergency evacuation sites, by hazard",
        "さいがいの ときに すぐ にげる 場所"),
    "salons": (
        "高齢の方の集いの場（サロンなど）",
        "Meeting places for older people (salons)",
        "お年よりの 集まる 場所"),
    "desk": (
        "この場所を担当する相談窓口",
        "Consultation desk for this place",
        "この 場所の 相談の 窓口"),
    "limits": (
        "この地図で分からないこと",
        "What this map cannot tell",
        "この 地図で わからない こと"),
    "ask": (
        "データにありません（市に確認してください）",
        "not in the data (ask the city)",
        "データに ありません（市に きいて ください）"),
    "no_address": (
        "住所の記載なし",
        "no address given",
        "住所が ありません"),
    "for_whom": (
        "対象",
        "for",
        "だれの ため"),
    "venue": (
        "会場",
        "venue",
        "場所"),
    "phone": (
        "電話",
        "phone",
        "電話"),
    "walk": (
        "徒歩 {minutes}（約{metres} m）",
        "{minutes} walk (about {metres} m)",
        "あるいて {minutes}（だいたい {metres} m）"),
    "far": (
        "歩いて行ける範囲（{limit:g}分）にありません。いちばん近いのは ",
        "None within a {limit:g}-minute walk. The nearest is ",
        "{limit:g}分 あるいて 行ける ところに ありません。いちばん 近いのは "),
    "access": (
        "入りやすさ: {features}",
        "Access: {features}",
        "はいりやすさ: {features}"),
    "access_unknown": (
        "入りやすさ: 不明（段差・車いすトイレは市に確認してください）",
        "Access: unknown (ask the city about steps and a wheelchair toilet)",
        "はいりやすさ: わからない（市に きいて ください）"),
    "no_site": (
        "{names}: この近くに指定された場所はありません",
        "{names}: no site near here is designated for it",
        "{names}: この 近くに その ための 場所は ありません"),
}


class _Say:
    """The card's words in one language."""

    def __init__(self, lang: str):
        self.lang = lang if lang in LANGS else "ja"
        self.index = LANGS.index(self.lang)

    def __call__(self, key: str, **values) -> str:
        return WORDS[key][self.index].format(**values)

    def said(self, sentence) -> str:
        return in_language(sentence, self.lang)

    def hazard(self, key: str) -> str:
        return HAZARDS[key][2 if self.lang == "en" else 1]

    def walk(self, row: dict) -> str:
        return self("walk", minutes=minutes_words(row["walk_minutes"], self.lang),
                    metres=rounded_metres(row["walk_m"]))


def _access(say: _Say, row: dict) -> str:
    """What is known of getting in (a list's or a coordinator's answers); unknown said as such."""
    access = site_access.of_place(row)
    if all(v is None for v in access.values()):
        return say("access_unknown")
    joiner, sep = (", ", " ") if say.lang == "en" else ("・", " ")
    return say("access", features=joiner.join(site_access.labels(access, say.index, sep)))


def _place(say: _Say, row: dict | None, missing: str, who: bool = False) -> str:
    if row is None:
        return missing
    groups = group_label(row.get("targets"), 1 if say.lang == "en" else 0)
    for_whom = f"（{say('for_whom')}: {groups}）" if who and groups else ""
    getting_in = f" — {_access(say, row)}" if row.get("kind") == "shelter" else ""
    return f"{row['name']}{for_whom} — {row['address'] or say('no_address')} — {say.walk(row)}{getting_in}"


def _line(say: _Say, card: Card, key: str, row: dict | None, missing: str, who: bool = False) -> str:
    """The nearest place, or that none is within a walk (naming the nearest farther one)."""
    far = card.far.get(key)
    if row is None and far is not None:
        return say("far", limit=NEAR_MINUTES) + _place(say, far, missing, who)
    return _place(say, row, missing, who)


def _emergency(say: _Say, card: Card) -> list[str]:
    lines = [f"{say.hazard(h)}: {_line(say, card, h, row, '')}" for h, row in card.emergency.items()]
    if card.no_site:
        joiner = ", " if say.lang == "en" else "・"
        lines.append(say("no_site", names=joiner.join(say.hazard(h) for h in card.no_site)))
    return lines


def _salon(say: _Say, row: dict) -> str:
    attributes = row.get("attributes") or {}
    venue = f"（{say('venue')}: {attributes['venue_name']}）" if attributes.get("venue_name") else ""
    when = f" — {attributes['schedule']}" if attributes.get("schedule") else ""
    who = f" — {say('for_whom')}: {attributes['target_group']}" if attributes.get("target_group") else ""
    address = row["address"] or attributes.get("venue_address", "")
    where = f" — {address}" if address else ""
    return f"{row['name']}{venue}{where}{when}{who} — {say.walk(row)}"


def _desk(say: _Say, row: dict) -> str:
    attributes = row.get("attributes") or {}
    kind = f"（{attributes['category']}）" if attributes.get("category") else ""
    phone = f" — {say('phone')} {attributes['phone']}" if attributes.get("phone") else ""
    return f"{row['name']}{kind} — {row['address'] or say('no_address')}{phone}"


def card_sections(card: Card, lang: str = "ja") -> list[tuple[str, list[str]]]:
    """The card's content: (heading, lines) in reading order, in ``lang``; the risk here first."""
    say = _Say(lang)
    districts = [d["name"] + (say("approximate") if d["provenance"] == "approximate" else "")
                 for d in card.districts]
    ask = say("ask")
    return [
        (say("home"), [card.place or f"{card.lat:.5f}, {card.lon:.5f}",
                       f"{say('district')}: " + ("、".join(districts) or say("no_data"))]),
        (say("risk"), [say.said(line) for line in risk_sentences(card.risks)]),
        (say("shelter"), [_line(say, card, "shelter", card.shelter, ask)]),
        (say("welfare_older"),
         [_line(say, card, "older_disabled", card.welfare.get("older_disabled"), ask, who=True)]),
        (say("welfare_infants"),
         [_line(say, card, "pregnant_infants", card.welfare.get("pregnant_infants"), ask, who=True)]),
        (say("emergency"), _emergency(say, card)),
        (say("salons"), [_salon(say, r) for r in card.salons] or [say.said(card.salon_note)]),
        (say("desk"), [_desk(say, d) for d in card.desks] or [ask]),
        (say("limits"), [say.said(line) for line in card.limits]),  # the walking pace among them
    ]


def card_title(lang: str = "ja") -> str:
    """The card's title in ``lang``."""
    return _Say(lang)("title")


def card_pdf(card: Card, paper: str, map_url: str, today: date | None = None, lang: str = "ja",
             context=None) -> bytes:
    """The card as a PDF in large type, with a QR code of the live map.

    With ``context`` (railways, rivers, stations), the small map goes under the text where the
    last page has room for it; it never adds a page.
    """
    inset = None
    if context is not None:
        side = MAP_SIDE[paper]
        inset = (lambda figure, rect: draw_card_map(figure, rect, card, context, lang), side, side * 1.1,
                 MAP_SMALLEST)
    return text_pdf(card_title(lang), card_sections(card, lang), paper, map_url, POINTS, today, lang=lang,
                    inset=inset, fit_pages=CARD_PAGES[paper])


def map_link(public_url: str, lon: float, lat: float) -> str:
    """The live map at the household's point."""
    return f"{public_url.rstrip('/')}/?" + urlencode({"lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "z": 16})
