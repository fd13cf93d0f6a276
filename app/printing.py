"""Printable district maps (PDF): vector data only, readable in black and white, with a QR code."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import urlencode

import geopandas as gpd
import numpy as np
import shapely.geometry

from app.domain.kinds import AREA_KINDS, HAZARDS, hazard_keys
from app.domain.placement import METRIC_CRS

PAPER = {"A4": (8.27, 11.69), "A3": (11.69, 16.54)}
# Marker shape, fill, label: shapes differ so the map survives black-and-white printing.
SYMBOLS = {
    "shelter": ("s", "#1565c0", "指定避難所"),
    "emergency_site": ("^", "#e65100", "指定緊急避難場所"),
    "salon": ("o", "#c2185b", "サロン・地域交流会"),
    "hub": ("D", "#6a1b9a", "居場所・拠点"),
    "vending_machine": ("P", "#00796b", "災害対応自販機"),
}
HAZARD_INITIALS = {"flood": "洪", "landslide": "土", "storm_surge": "潮", "earthquake": "震", "tsunami": "津",
                   "large_fire": "火", "inland_flood": "内", "volcano": "山"}
ROWS_PER_PAGE = 38


class PrintError(ValueError):
    pass


def district_pdf(repo, area_kind: str, area_code: str, paper: str = "A4",
                 public_url: str = "http://127.0.0.1:5000", today: date | None = None) -> bytes:
    """A map page and table pages for one district, as PDF bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    if paper not in PAPER:
        raise PrintError(f"paper must be one of {', '.join(PAPER)}")
    area = next((a for a in repo.find_areas(kind=area_kind, limit=100_000) if a["code"] == area_code), None)
    if area is None:
        examples = ", ".join(a["code"] for a in repo.find_areas(kind=area_kind, limit=5))
        raise PrintError(f"no {area_kind} with code {area_code!r}; for example: {examples or 'none loaded'}")
    from app.reports import japanese_fonts

    plt.rcParams["font.family"] = japanese_fonts()
    shape = shapely.geometry.shape(area["geometry"])
    rows = _resources(repo, shape)
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": f"{area['name']} 防災・福祉マップ"}) as pdf:
        figure = _map_page(repo, area, shape, rows, PAPER[paper], public_url, today or date.today())
        pdf.savefig(figure)
        plt.close(figure)
        for start in range(0, max(len(rows), 1), ROWS_PER_PAGE):
            figure = _table_page(area, rows[start:start + ROWS_PER_PAGE], start, PAPER[paper])
            pdf.savefig(figure)
            plt.close(figure)
    return buffer.getvalue()


def _resources(repo, shape) -> list[dict]:
    rows = repo.find_resources(kinds=list(SYMBOLS), bbox=shape.bounds, placed_only=True, limit=100_000)
    inside = [r for r in rows if shape.covers(shapely.geometry.shape(r["geometry"]))]
    order = list(SYMBOLS)
    inside.sort(key=lambda r: (order.index(r["kind"]), r["name"]))
    for number, row in enumerate(inside, start=1):
        row["number"] = number
    return inside


def _metric(geometries) -> gpd.GeoSeries:
    return gpd.GeoSeries(geometries, crs="EPSG:4326").to_crs(METRIC_CRS)


def _map_page(repo, area, shape, rows, size, public_url, today):
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig = plt.figure(figsize=size)
    kind = AREA_KINDS[area["kind"]]
    fig.text(0.06, 0.955, f"{area['name']}　防災・福祉マップ", fontsize=18, weight="bold")
    note = "（学区の境界は最寄り小学校による近似です。公式の通学区域ではありません）" \
        if area["provenance"] == "approximate" else "（町丁目の一覧から推定した境界）" \
        if area["provenance"] == "derived" else ""
    fig.text(0.06, 0.935, f"{kind.label_ja} / {kind.label_en}{note}", fontsize=9)
    ax = fig.add_axes((0.06, 0.2, 0.88, 0.72))
    boundary = _metric([shape])
    minx, miny, maxx, maxy = boundary.total_bounds
    pad = max(maxx - minx, maxy - miny) * 0.06
    _context(repo, ax, shape, area["kind"])
    boundary.boundary.plot(ax=ax, color="black", linewidth=2.2)
    for row in rows:
        marker, colour, _ = SYMBOLS[row["kind"]]
        x, y = _metric([shapely.geometry.shape(row["geometry"])]).iloc[0].coords[0]
        ax.plot(x, y, marker=marker, markersize=9, markerfacecolor=colour, markeredgecolor="black",
                markeredgewidth=1.2, zorder=5)
        label = str(row["number"])
        if row["kind"] == "emergency_site":
            label += " " + "".join(HAZARD_INITIALS[h] for h in hazard_keys(row["hazards"]))
        ax.annotate(label, (x, y), xytext=(6, 4), textcoords="offset points", fontsize=7, zorder=6,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    _scale_bar(ax, maxx - minx + 2 * pad)
    ax.annotate("N", xy=(0.95, 0.97), xytext=(0.95, 0.88), xycoords="axes fraction", ha="center",
                fontsize=12, weight="bold", arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 2})
    handles = [Line2D([], [], marker=m, linestyle="", markerfacecolor=c, markeredgecolor="black",
                      markersize=8, label=f"{label}") for m, c, label in SYMBOLS.values()]
    handles.append(Line2D([], [], color="black", linewidth=2.2, label=kind.label_ja))
    ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9)
    hazard_key = "　".join(f"{HAZARD_INITIALS[k]}={v[1]}" for k, v in HAZARDS.items())
    fig.text(0.06, 0.175, f"緊急避難場所の番号の後の文字は対象とする災害: {hazard_key}", fontsize=7)
    fig.text(0.06, 0.155, f"作成日 {today:%Y年%m月%d日}　番号は次ページの一覧に対応します。", fontsize=8)
    _attribution(repo, fig)
    _qr(fig, shape, public_url)
    return fig


def _context(repo, ax, shape, kind):
    """Neighbouring areas of the same kind and the railway and rivers, in grey, for orientation."""
    box = shapely.geometry.box(*shape.buffer(0.01).bounds)
    others = [shapely.geometry.shape(a["geometry"]) for a in repo.find_areas(kind=kind, bbox=box.bounds,
                                                                               limit=1000)]
    if others:
        _metric(others).boundary.plot(ax=ax, color="#999999", linewidth=0.6)
    lines = [shapely.geometry.shape(f["geometry"]) for f in repo.find_context(bbox=box.bounds)]
    lines = [g.intersection(box) for g in lines if g.intersects(box)]
    if lines:
        _metric(lines).plot(ax=ax, color="#777777", linewidth=0.8, linestyle="--")


def _scale_bar(ax, width_m: float) -> None:
    length = next(v for v in (2000, 1000, 500, 250, 200, 100, 50) if v <= width_m / 4)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    x, y = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.04
    ax.plot([x, x + length], [y, y], color="black", linewidth=4, solid_capstyle="butt")
    ax.plot([x, x + length / 2], [y, y], color="white", linewidth=2, solid_capstyle="butt")
    ax.text(x + length / 2, y + (y1 - y0) * 0.012, f"{length} m", ha="center", fontsize=8)


def _attribution(repo, fig) -> None:
    by_layer = repo.attributions()
    layers = (*SYMBOLS, "city", "school_district", "railway", "river")
    lines = list(dict.fromkeys(line for layer in layers for line in by_layer.get(layer, [])))
    text = "出典: " + " / ".join(lines)
    wrapped = [text[i:i + 95] for i in range(0, len(text), 95)]
    fig.text(0.06, 0.135, "\n".join(wrapped[:6]), fontsize=6, va="top")


def _qr(fig, shape, public_url: str) -> None:
    import qrcode

    centre = shape.centroid
    url = f"{public_url.rstrip('/')}/?" + urlencode({"lat": f"{centre.y:.5f}", "lon": f"{centre.x:.5f}",
                                                     "z": 15, "lang": "ja"})
    image = qrcode.make(url, box_size=4, border=2).convert("L")
    width, height = fig.get_size_inches()
    ax = fig.add_axes((0.80, 0.03, 0.14, 0.14 * width / height))  # square on the page
    ax.imshow(np.asarray(image), cmap="gray", interpolation="nearest")
    ax.set_axis_off()
    fig.text(0.06, 0.02, f"最新の地図: {url}", fontsize=6)


def _table_page(area, rows, start, size):
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=size)
    fig.text(0.06, 0.955, f"{area['name']}　施設の一覧 ({start + 1}–{start + len(rows)})", fontsize=14,
             weight="bold")
    header = ("番号", "種類", "名称", "住所", "対象の災害・備考")
    columns = (0.06, 0.11, 0.27, 0.55, 0.80)
    for x, text in zip(columns, header, strict=True):
        fig.text(x, 0.92, text, fontsize=8, weight="bold")
    for i, row in enumerate(rows):
        y = 0.90 - i * 0.022
        extra = "・".join(HAZARDS[h][1] for h in hazard_keys(row["hazards"]))
        if row["welfare_shelter"]:
            extra = "福祉避難所 " + extra
        values = (str(row["number"]), SYMBOLS[row["kind"]][2], row["name"][:18],
                  row["address"].replace("東京都", "")[:16], extra[:22])
        for x, text in zip(columns, values, strict=True):
            fig.text(x, y, text, fontsize=7.5)
    if not rows:
        fig.text(0.06, 0.90, "この区域には登録された施設がありません。", fontsize=9)
    return fig
