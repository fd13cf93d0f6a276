"""わが家の防災・福祉カード as sections of lines (for the page) and as a large-type PDF."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from app.domain.kinds import HAZARDS
from app.outputs.textpages import PAPER, text_pdf
from app.services.card import MAX_WALK_M, Card

__all__ = ["PAPER", "card_pdf", "card_sections", "map_link"]
POINTS = 13  # at least 12 pt: the card is read by older people, on paper


def _walk(row: dict) -> str:
    return f"徒歩 約{round(row['walk_minutes'])}分（{round(row['walk_m'])} m）"


def _place(row: dict | None, missing: str) -> str:
    if row is None:
        return missing
    return f"{row['name']} — {row['address'] or '住所の記載なし'} — {_walk(row)}"


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
    """The card's content: (heading, lines) in reading order, in Japanese."""
    districts = [d["name"] + ("（近似）" if d["provenance"] == "approximate" else "") for d in card.districts]
    none_near = f"歩いて行ける範囲（約{MAX_WALK_M // 1000} km）に指定がありません"
    return [
        ("わが家", [card.place or f"緯度 {card.lat:.5f}, 経度 {card.lon:.5f}",
                  "小学校区: " + ("、".join(districts) or "データなし")]),
        ("避難所（指定避難所）", [_place(card.shelter, none_near)]),
        ("福祉避難所（介護などが必要な方）",
         [_place(card.welfare_shelter, "データにありません（市に確認してください）")]),
        ("災害ごとの緊急避難場所",
         [f"{HAZARDS[h][1]}: {_place(row, none_near)}" for h, row in card.emergency.items()]),
        ("高齢の方の集いの場（サロンなど）", [_salon(r) for r in card.salons] or ["近くに登録がありません"]),
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
