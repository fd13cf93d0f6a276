"""Printable district maps (PDF): vector data only, readable in black and white, with a QR code."""

from __future__ import annotations

import textwrap
from datetime import date
from urllib.parse import urlencode

import geopandas as gpd

from app.domain.kinds import AREA_KINDS, HAZARDS, RESOURCE_KINDS
from app.domain.projection import METRIC_CRS
from app.domain.targets import group_label
from app.outputs.fonts import draw_qr, pyplot
from app.outputs.mapdraw import bare, context_lines, metric, north_arrow, scale_bar, station_names
from app.outputs.symbology import PRINTED_KINDS, RESOURCE_SYMBOLS
from app.outputs.textpages import text_pdf
from app.services.district_sheet import DistrictSheet, PrintError, district_sheet

__all__ = ["PAPER", "PrintError", "district_pdf"]
PAPER = {"A4": (8.27, 11.69), "A3": (11.69, 16.54)}
LIST_POINTS = 11  # the list of places: read on paper by older people, as the card is
ATTRIBUTION_CHARS = 62  # full-width characters of 6.5 pt in the 0.06–0.78 band of the page


def district_pdf(area_kind: str, area_code: str, paper: str = "A4",
                 public_url: str = "http://127.0.0.1:5000", today: date | None = None) -> bytes:
    """A map page, then the list of its numbered places in 11 pt, for one district, as PDF bytes."""
    if paper not in PAPER:
        raise PrintError(f"paper must be one of {', '.join(PAPER)}")
    sheet = district_sheet(area_kind, area_code, PRINTED_KINDS)
    url = _live_url(sheet.shape, public_url)
    made = today or date.today()
    rows = sheet.resources.to_dict("records")
    lines = [_place_line(row) for row in rows] or ["この区域には登録された施設がありません。"]
    # The list flows in large type with the map's QR code on every page, never cut at a column.
    return text_pdf(f"{sheet.area['name']}　施設の一覧", [("番号は地図の番号です", lines)], paper, url,
                    LIST_POINTS, made, figures=[_map_page(sheet, PAPER[paper], url, made)],
                    size=PAPER[paper])


def _place_line(row: dict) -> str:
    """「12. 指定避難所　名称 — 住所 — 福祉避難所（対象）・洪水・地震」: a place as the list says it."""
    extra = "・".join(HAZARDS[h][1] for h in row["hazards"])
    if row["welfare_shelter"]:  # who it is for: a nursery's site is not every frail person's
        extra = f"福祉避難所（{group_label(row.get('targets')) or '対象不明'}） " + extra
    address = row["address"] or (row["attributes"] or {}).get("venue_address", "")  # held at a venue
    parts = [f"{row['number']}. {RESOURCE_KINDS[row['kind']].label_ja}　{row['name']}",
             address.replace("東京都", ""), extra.strip()]
    return " — ".join(part for part in parts if part)


def _live_url(shape, public_url: str) -> str:
    centre = shape.centroid
    return f"{public_url.rstrip('/')}/?" + urlencode({"lat": f"{centre.y:.5f}", "lon": f"{centre.x:.5f}",
                                                     "z": 15, "lang": "ja"})


def _map_page(sheet: DistrictSheet, size, url: str, today):
    from matplotlib.lines import Line2D  # deferred with pyplot (outputs.fonts)

    area, shape = sheet.area, sheet.shape
    fig = pyplot().figure(figsize=size)
    kind = AREA_KINDS[area["kind"]]
    fig.text(0.06, 0.955, f"{area['name']}　防災・福祉マップ", fontsize=18, weight="bold")
    note = "（学区の境界は最寄り小学校による近似です。公式の通学区域ではありません）" \
        if area["provenance"] == "approximate" else "（町丁目の一覧から推定した境界）" \
        if area["provenance"] == "derived" else ""
    fig.text(0.06, 0.935, f"{kind.label_ja} / {kind.label_en}{note}", fontsize=9)
    # The data's limits sit under the map, before the legend's notes, so that they are read.
    lines = [part for line in sheet.limits for part in textwrap.wrap("※ " + line, 62)]
    bottom = 0.2 + 0.014 * len(lines)
    for i, line in enumerate(lines):
        fig.text(0.06, bottom - 0.012 - 0.014 * i, line, fontsize=7.5)
    ax = fig.add_axes((0.06, bottom, 0.88, 0.92 - bottom))
    boundary = metric([shape])
    minx, miny, maxx, maxy = boundary.total_bounds
    pad = max(maxx - minx, maxy - miny) * 0.06
    _context(ax, sheet)
    boundary.boundary.plot(ax=ax, color="black", linewidth=2.2)
    points = sheet.resources.to_crs(METRIC_CRS)
    rows = sheet.resources.to_dict("records")
    for row, point in zip(rows, points.geometry, strict=True):
        symbol = RESOURCE_SYMBOLS[row["kind"]]
        ax.plot(point.x, point.y, marker=symbol.marker, markersize=9, markerfacecolor=symbol.colour,
                markeredgecolor="black", markeredgewidth=1.2, zorder=5)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    _spot_labels(ax, rows, points.geometry)
    bare(ax)
    scale_bar(ax, maxx - minx + 2 * pad)
    north_arrow(ax)
    drawn = set(sheet.resources["kind"])  # a legend says what is on the map, never what is not
    handles = [Line2D([], [], marker=RESOURCE_SYMBOLS[k].marker, linestyle="",
                      markerfacecolor=RESOURCE_SYMBOLS[k].colour, markeredgecolor="black", markersize=8,
                      label=RESOURCE_KINDS[k].label_ja) for k in PRINTED_KINDS if k in drawn]
    handles.append(Line2D([], [], color="black", linewidth=2.2, label=kind.label_ja))
    if len(sheet.hazard_areas):
        from matplotlib.patches import Patch  # deferred with pyplot (outputs.fonts)

        handles.append(Patch(facecolor="none", edgecolor="#555555", hatch="////", label="土砂災害危険箇所"))
    ax.legend(handles=handles, loc="lower right", fontsize=9, framealpha=0.9)
    fig.text(0.06, 0.175, "同じ場所にある施設は番号を「・」でつないで一つの札にまとめています。"
             "緊急避難場所が対象とする災害は次ページの一覧にあります。", fontsize=7)
    fig.text(0.06, 0.155, f"作成日 {today:%Y年%m月%d日}　番号は次ページの一覧に対応します。", fontsize=8)
    _attribution(sheet.attributions, fig)
    _qr(fig, url)
    return fig


SPOT_M = 15  # places closer than this share one label


def _spot_labels(ax, rows: list[dict], points) -> None:
    """One label per spot (「3・4・5」), pushed apart where they would overlap (adjustText)."""
    from adjustText import adjust_text  # deferred with pyplot (outputs.fonts)

    spots: dict[tuple[int, int], tuple[object, list[str]]] = {}
    for row, point in zip(rows, points, strict=True):
        key = (round(point.x / SPOT_M), round(point.y / SPOT_M))
        spots.setdefault(key, (point, []))[1].append(str(row["number"]))
    texts = [ax.text(point.x, point.y, "・".join(numbers), fontsize=7, zorder=6,
                     bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "#333333", "lw": 0.4})
             for point, numbers in spots.values()]
    if len(texts) > 1:
        adjust_text(texts, ax=ax, expand=(1.3, 1.5),
                    arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.5})


def _context(ax, sheet: DistrictSheet) -> None:
    """What a reader orients by, in grey: neighbours, hazard areas, railways, names.

    Sediment-hazard areas are hatched; stations and 町丁目 are named where they are.
    """
    if len(sheet.neighbours):
        sheet.neighbours.to_crs(METRIC_CRS).boundary.plot(ax=ax, color="#999999", linewidth=0.6)
    if len(sheet.hazard_areas):
        gpd.GeoSeries(sheet.hazard_areas, crs="EPSG:4326").to_crs(METRIC_CRS).plot(
            ax=ax, facecolor="none", edgecolor="#555555", hatch="////", linewidth=0.4)
    context_lines(ax, sheet.context)
    station_names(ax, sheet.context, metric([sheet.shape]).envelope.iloc[0])
    for row in sheet.chome.to_crs(METRIC_CRS).itertuples():
        ax.text(row.geometry.x, row.geometry.y, row.name, fontsize=5.5, color="#777777", ha="center")


def _attribution(by_layer: dict[str, list[str]], fig) -> None:
    layers = (*PRINTED_KINDS, "city", "school_district", "railway", "river")
    # Some publishers' lines begin with 出典 themselves; the heading says it once.
    lines = list(dict.fromkeys(line.removeprefix("出典").strip() for layer in layers
                               for line in by_layer.get(layer, [])))
    text = "出典: " + " / ".join(lines)
    # Wrapped to end left of the QR code (from 0.80 of the width), so the two never meet.
    wrapped = [text[i:i + ATTRIBUTION_CHARS] for i in range(0, len(text), ATTRIBUTION_CHARS)]
    fig.text(0.06, 0.135, "\n".join(wrapped[:7]), fontsize=6.5, va="top")


def _qr(fig, url: str) -> None:
    width, height = fig.get_size_inches()
    draw_qr(fig, url, (0.80, 0.03, 0.14, 0.14 * width / height))  # square on the page
    fig.text(0.06, 0.02, f"最新の地図: {url}", fontsize=7)
