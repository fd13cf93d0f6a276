"""わが家の防災・福祉カード as sections of lines (for the page) and as a large-type PDF."""

from __future__ import annotations

import io
import textwrap
from datetime import date
from urllib.parse import urlencode

import numpy as np
import qrcode

from app.domain.kinds import HAZARDS
from app.outputs.fonts import pyplot
from app.services.card import MAX_WALK_M, Card

PAPER = {"A4": (8.27, 11.69), "A5": (5.83, 8.27)}
POINTS = 13  # at least 12 pt: the card is read by older people, on paper
LINE = POINTS * 1.55 / 72  # inches per line


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
        ("この地図で分からないこと", card.limits),
        ("歩く速さ", [f"{card.pace:g} m/分（直線距離の1.3倍を歩く距離とした目安です）"]),
    ]


def card_pdf(card: Card, paper: str, map_url: str, today: date | None = None) -> bytes:
    """The card as a black-and-white PDF in large type, with a QR code of the live map."""
    from matplotlib.backends.backend_pdf import PdfPages  # deferred with pyplot (outputs.fonts)

    width, height = PAPER[paper]
    chars = int((width - 1.1) * 72 / (POINTS * 0.85))  # characters per line (digits are narrower)
    lines = [("title", "わが家の防災・福祉カード")]
    for heading, body in card_sections(card):
        lines.append(("heading", heading))
        lines += [("text", part) for line in body for part in textwrap.wrap(line, chars)]
    lines.append(("text", f"作成日 {(today or date.today()):%Y年%m月%d日}　最新の地図: 右下のQRコード"))
    plt = pyplot()
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": "わが家の防災・福祉カード"}) as pdf:
        for page in _pages(lines, height - 0.6 - 1.7):  # 1.7 in at the foot for the QR code
            figure = plt.figure(figsize=(width, height))
            _write(figure, page, height)
            _qr(figure, map_url, width, height)
            pdf.savefig(figure)
            plt.close(figure)
    return buffer.getvalue()


STEP = {"title": 1.5, "heading": 1.15, "text": 1.0}  # line heights, in lines


def _pages(lines: list[tuple[str, str]], room: float) -> list[list[tuple[str, str]]]:
    """Lines split into pages of at most ``room`` inches of text each."""
    pages, used = [[]], 0.0
    for line in lines:
        step = LINE * STEP[line[0]]
        if used + step > room and pages[-1]:
            pages.append([])
            used = 0.0
        pages[-1].append(line)
        used += step
    return pages


def _write(figure, lines, height) -> None:
    y = height - 0.6
    for style, text in lines:
        size = {"title": POINTS + 7, "heading": POINTS + 1}.get(style, POINTS)
        figure.text(0.55 / figure.get_figwidth(), y / height, text, fontsize=size,
                    weight="bold" if style != "text" else "normal", va="top")
        y -= LINE * STEP[style]


def map_link(public_url: str, lon: float, lat: float) -> str:
    """The live map at the household's point."""
    return f"{public_url.rstrip('/')}/?" + urlencode({"lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "z": 16})


def _qr(figure, url: str, width: float, height: float) -> None:
    image = qrcode.make(url, box_size=4, border=2).convert("L")
    side = 1.1  # inches
    ax = figure.add_axes(((width - side - 0.4) / width, 0.3 / height, side / width, side / height))
    ax.imshow(np.asarray(image), cmap="gray", interpolation="nearest")
    ax.set_axis_off()
