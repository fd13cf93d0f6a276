"""わが家の防災・福祉カード as sections of lines (for the page) and as a large-type PDF."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from app.domain.kinds import HAZARDS
from app.domain.risk import NEAR_MINUTES, minutes_words, risk_sentences, rounded_metres
from app.domain.targets import group_label
from app.outputs.textpages import PAPER, text_pdf
from app.services.card import Card

__all__ = ["PAPER", "card_pdf", "card_sections", "map_link"]
POINTS = 13  # at least 12 pt: the card is read by older people, on paper


def _walk(row: dict) -> str:
    return f"徒歩 {minutes_words(row['walk_minutes'])}（約{rounded_metres(row['walk_m'])} m）"


def _place(row: dict | None, missing: str, who: bool = False) -> str:
    if row is None:
        return missing
    for_whom = f"（対象: {group_label(row['targets'])}）" if who and row.get("targets") else ""
    return f"{row['name']}{for_whom} — {row['address'] or '住所の記載なし'} — {_walk(row)}"


def _line(card: Card, key: str, row: dict | None, missing: str, who: bool = False) -> str:
    """The nearest place, or that none is within a walk (naming the nearest farther one)."""
    far = card.far.get(key)
    if row is None and far is not None:
        return (f"歩いて行ける範囲（{NEAR_MINUTES:g}分）にありません。いちばん近いのは "
                f"{_place(far, missing, who)}")
    return _place(row, missing, who)


def _emergency(card: Card) -> list[str]:
    lines = [f"{HAZARDS[h][1]}: {_line(card, h, row, '')}" for h, row in card.emergency.items()]
    if card.no_site:
        names = "・".join(HAZARDS[h][1] for h in card.no_site)
        lines.append(f"{names}: この近くに指定された場所はありません")
    return lines


def _salon(row: dict) -> str:
    attributes = row.get("attributes") or {}
    venue = f"（会場: {attributes['venue_name']}）" if attributes.get("venue_name") else ""
    when = f" — {attributes['schedule']}" if attributes.get("schedule") else ""
    who = f" — 対象: {attributes['target_group']}" if attributes.get("target_group") else ""
    address = row["address"] or attributes.get("venue_address", "")
    where = f" — {address}" if address else ""
    return f"{row['name']}{venue}{where}{when}{who} — {_walk(row)}"


def _desk(row: dict) -> str:
    attributes = row.get("attributes") or {}
    kind = f"（{attributes['category']}）" if attributes.get("category") else ""
    phone = f" — 電話 {attributes['phone']}" if attributes.get("phone") else ""
    return f"{row['name']}{kind} — {row['address'] or '住所の記載なし'}{phone}"


def card_sections(card: Card) -> list[tuple[str, list[str]]]:
    """The card's content: (heading, lines) in reading order, in Japanese; the risk here first."""
    districts = [d["name"] + ("（近似）" if d["provenance"] == "approximate" else "") for d in card.districts]
    ask = "データにありません（市に確認してください）"
    return [
        ("わが家", [card.place or f"緯度 {card.lat:.5f}, 経度 {card.lon:.5f}",
                  "小学校区: " + ("、".join(districts) or "データなし")]),
        ("この場所の危険", risk_sentences(card.risks)),
        ("避難所（指定避難所）", [_line(card, "shelter", card.shelter, ask)]),
        ("福祉避難所（高齢者・障害者など）",
         [_line(card, "older_disabled", card.welfare.get("older_disabled"), ask, who=True)]),
        ("福祉避難所（妊産婦・乳幼児）",
         [_line(card, "pregnant_infants", card.welfare.get("pregnant_infants"), ask, who=True)]),
        ("災害ごとの緊急避難場所", _emergency(card)),
        ("高齢の方の集いの場（サロンなど）", [_salon(r) for r in card.salons] or [card.salon_note]),
        ("この場所を担当する相談窓口",
         [_desk(d) for d in card.desks] or ["データにありません（市に確認してください）"]),
        ("この地図で分からないこと", card.limits),
        ("歩く速さ", [f"{card.pace:g} m/分（直線距離の1.3倍を歩く距離とした目安です）"]),
    ]


def card_pdf(card: Card, paper: str, map_url: str, today: date | None = None) -> bytes:
    """The card as a black-and-white PDF in large type, with a QR code of the live map."""
    return text_pdf("わが家の防災・福祉カード", card_sections(card), paper, map_url, POINTS, today)


def map_link(public_url: str, lon: float, lat: float) -> str:
    """The live map at the household's point."""
    return f"{public_url.rstrip('/')}/?" + urlencode({"lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "z": 16})
