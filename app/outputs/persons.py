"""The supporter's list on paper, for the day the network is down: a table, or a sheet per person."""

from __future__ import annotations

from app.domain import site_access
from app.domain.kinds import HAZARDS
from app.domain.risk import minutes_words
from app.outputs.textpages import text_pdf

LAYOUTS = ("table", "pages")


def _walk(place: dict | None) -> str:
    if not place:
        return "見つかりません（市に確認）"
    return f"{place['name']}（徒歩{minutes_words(place['walk_minutes'])}）"


def _getting_in(place: dict | None) -> list[str]:
    """The destination's accessibility (unknown said as 不明), for the supporter to check ahead."""
    if not place:
        return []
    return [f"行き先の入りやすさ: {'・'.join(site_access.labels(site_access.of_place(place), 0, ' '))}"]


def _today(plan: dict) -> list[str]:
    """Where the person goes today among the shelters open now (only while an event is open)."""
    day = plan.get("today")
    if not day:
        return []
    found = day["plan"]
    if found is None:
        return [f"今日（{day['event']}）: 開設中で、この方に合い、空きのある避難所がありません（市に確認）"]
    far = "・歩いて行ける範囲を超えます" if not day["within"] else ""
    unknown = f"（{'、'.join(found['unknown'])}）" if found["unknown"] else ""
    return [f"今日（{day['event']}）: {found['name']}（徒歩{minutes_words(found['walk_minutes'])}・"
            f"{found['state_label']}{far}）{unknown}"]


def _sheet(plan: dict) -> list[str]:
    person, card = plan["person"], plan["card"]
    lines = [f"ふりがな: {person.get('kana') or '—'}", f"住所: {person['address']}",
             f"年齢: {person.get('age_band') or '不明'}　連絡先: {person.get('contact') or '—'}",
             f"必要な支援: {'、'.join(person['need_labels']) or '—'}",
             f"行き先: {_walk(plan['destination'])}　理由: {plan['destination_reason']}",
             *_getting_in(plan["destination"]), *_today(plan),
             f"歩く速さ: 分速{person['pace']:.0f}m（{person['pace_reason']}）"]
    if card is not None:
        lines.append(f"最寄りの指定避難所: {_walk(card.shelter)}")
        lines += [f"{HAZARDS[h][1]}のときの緊急避難場所: {_walk(site)}" for h, site in card.emergency.items()]
    helpers = [*plan["helpers"], *(s["display_name"] for s in plan["supporters"])]
    lines.append(f"支援する人: {'、'.join(dict.fromkeys(helpers)) or '未定'}")
    if person.get("notes"):
        lines.append(f"備考: {person['notes']}")
    return lines


def _row(plan: dict) -> list[str]:
    person = plan["person"]
    return [f"{person['address']}　☎ {person.get('contact') or '—'}　{'、'.join(person['need_labels'])}",
            f"→ {_walk(plan['destination'])}　□無事 □要支援 □不在 □避難所へ移動", *_today(plan)]


def person_list_pdf(title: str, plans: list[dict], layout: str, paper: str, qr_url: str) -> bytes:
    """The people of ``plans`` as PDF: ``table`` (a line pair each) or ``pages`` (one sheet each).

    Returns
    -------
    bytes
        The PDF; it needs no network (fonts are local, there are no tiles).
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}")
    notice = ("個人情報です。支援のためにだけ使い、終わったら返却するか細断してください。", [])
    if not plans:
        nobody = ("名簿", ["あなたが見られる方は登録されていません。"])
        return text_pdf(title, [notice, nobody], paper, qr_url)
    if layout == "pages":
        # A sheet per person, each with the notice: a sheet handed on alone still says what it is.
        sections = [(f"{p['person']['name']}（{p['person']['chome_code'].split(':', 1)[-1]}）",
                     [notice[0], *_sheet(p)]) for p in plans]
        return text_pdf(title, sections, paper, qr_url, page_per_section=True)
    sections = [(f"{n}. {p['person']['name']}", _row(p)) for n, p in enumerate(plans, start=1)]
    return text_pdf(title, [notice, *sections], paper, qr_url, points=11)
