"""The survey on paper: a sheet per household with its local shelter map, and the 懇談会's report.

Black and white, vector only (no tiles), so that a photocopy and an offline printer both work.
The sheet's QR code opens the same form on a phone; its short code is printed for typing.
"""

from __future__ import annotations

import io

import shapely

from app.domain import survey as rules
from app.domain.kinds import HAZARDS
from app.domain.projection import metric_transformer
from app.outputs.fonts import draw_qr, figure_svg, pyplot
from app.outputs.mapdraw import bare, context_lines, north_arrow, scale_bar, station_names
from app.outputs.tables import csv_bytes
from app.outputs.textpages import PAPER, text_pdf

TICK = "□"
EASY_HELP = {"walking": "あるくのが むずかしい", "wheelchair": "くるまいす", "sight": "めが ふじゆう",
             "hearing": "みみが ふじゆう", "language": "にほんごが ふあん",
             "small_children": "ちいさい こども", "pets": "ペット", "other": "そのほか"}


def _walk(place: dict | None, easy: bool = False) -> str:
    if not place:
        return "ちかくに ありません" if easy else "近くに見つかりません"
    minutes = f"{place['walk_minutes']:.0f}"
    walk = f"あるいて やく{minutes}ふん" if easy else f"歩いて約{minutes}分"
    return f"{place['name']}（{walk}）"


def _local_map(ax, plan: dict, context=None) -> None:
    """The 町丁目's point, its 指定避難所 and hazard site with addresses, and what to find them by.

    Railways, rivers and stations around (``context``), a scale bar, north up.
    """
    transform = metric_transformer()
    home = transform.transform(plan["lon"], plan["lat"])
    marks = [(home, "*", "あなたの町丁目", 260)]
    for place, marker, what in ((plan["shelter"], "s", "指定避難所"), (plan["site"], "^", "緊急避難場所")):
        if place:
            where = transform.transform(place["lon"], place["lat"])
            address = (place.get("address") or "").replace("東京都", "")
            label = f"{what}\n{place['name']}" + (f"\n{address}" if address else "")
            marks.append((where, marker, label, 140))
    xs, ys = zip(*(m[0] for m in marks), strict=True)
    span = max(max(xs) - min(xs), max(ys) - min(ys), 600) * 0.65
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    if context is not None and len(context):
        context_lines(ax, context)
        station_names(ax, context, shapely.box(cx - span, cy - span, cx + span, cy + span), fontsize=8)
    for (x, y), marker, label, size in marks:
        if marker != "*":
            ax.plot([home[0], x], [home[1], y], color="black", linestyle="--", linewidth=0.8)
        ax.scatter([x], [y], marker=marker, s=size, facecolor="white" if marker != "*" else "black",
                   edgecolor="black", zorder=3)
        below = marker == "*"  # the home's label under it, the places' above: they never cover each other
        ax.text(x, y - span * 0.1 if below else y + span * 0.06, label, ha="center", fontsize=8, zorder=4,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
    ax.set_xlim(cx - span, cx + span)
    ax.set_ylim(cy - span, cy + span)
    bare(ax)
    scale_bar(ax, 2 * span, fontsize=7)
    north_arrow(ax, fontsize=9)


def _questions(easy: bool) -> list[str]:
    lines = []
    for number, (key, (question, choices)) in enumerate(rules.QUESTIONS.items(), start=1):
        asked = rules.EASY[key] if easy else question
        lines.append(f"{number}. {asked}　" + "　".join(f"{TICK}{label}" for label in choices.values()))
    helps = EASY_HELP if easy else rules.HELP_KINDS
    asked = "どんな てつだいが ひつようですか？" if easy else "どんな助けが必要ですか？（いくつでも）"
    lines.append(f"4. {asked}")
    labels = [f"{TICK}{label}" for label in helps.values()]
    lines += ["　" + "　".join(labels[:4]), "　" + "　".join(labels[4:])]  # two rows fit the A4 width
    lines.append("　その他（　　　　　　　　　　　　　　　　　　　　　　）")
    lines.append("5. " + ("なんにんで すんで いますか？" if easy else "世帯の人数") + "　（　　　）人")
    return lines


def _sheet(plt, survey: dict, plan: dict, code: str, public_url: str, easy: bool, context=None):
    width, height = PAPER["A4"]
    fig = plt.figure(figsize=(width, height))
    title = "じぶんの にげる ばしょを しろう" if easy else "自分の避難場所を知ろう"
    fig.text(0.07, 0.95, title, fontsize=20, weight="bold")
    hazard = HAZARDS[survey["hazard"]][1]
    fig.text(0.07, 0.915, f"{survey['area_name']}　{plan['chome']}　（{hazard}のとき）", fontsize=12)
    _local_map(fig.add_axes((0.07, 0.53, 0.86, 0.37)), plan, context)
    facts = [f"近くの指定避難所: {_walk(plan['shelter'])}", f"{hazard}の緊急避難場所: {_walk(plan['site'])}",
             "時間は分速43mで、町丁目の代表点からの直線距離×1.3の目安です。"]
    if easy:
        facts = [f"ちかくの ひなんじょ: {_walk(plan['shelter'], True)}",
                 f"{hazard}の とき にげる ばしょ: {_walk(plan['site'], True)}",
                 "じかんは ゆっくり あるいた ときの めやすです。"]
    fig.text(0.07, 0.51, "\n".join(facts), fontsize=10, va="top", linespacing=1.6)
    fig.text(0.07, 0.41, "\n".join(_questions(easy)), fontsize=11, va="top", linespacing=2.0)
    url = f"{public_url.rstrip('/')}/s/{code}"
    draw_qr(fig, url, (0.72, 0.03, 0.2, 0.2 * width / height))
    fig.text(0.07, 0.09, f"スマートフォンで答える: QRコード、またはコード {code[:4]}-{code[4:]}", fontsize=11)
    fig.text(0.07, 0.06, f"{url}　名前は書かなくてかまいません。", fontsize=8)
    return fig


def sheets_pdf(survey: dict, plans: list[dict], public_url: str, easy: bool = False, progress=None,
               context=None) -> bytes:
    """A sheet per printed code: the local map, the questions with tick boxes, the QR code.

    ``context``: railways, rivers and stations (``services.survey.surroundings``) drawn under the map.

    Returns
    -------
    bytes
        The PDF (A4, black and white, no tiles).
    """
    from matplotlib.backends.backend_pdf import PdfPages  # deferred with pyplot (outputs.fonts)

    plt = pyplot()
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": f"自分の避難場所を知ろう — {survey['area_name']}"}) as pdf:
        for plan in plans:
            for code in plan["codes"]:
                figure = _sheet(plt, survey, plan, code, public_url, easy, context)
                pdf.savefig(figure)
                plt.close(figure)
                if progress:
                    progress()
    return buffer.getvalue()


def _answers_map(fig, ax, plans: list[dict], rows: list[dict], simulation: list[dict], context=None) -> None:
    """Each 町丁目's point shaded by the share who know (white 0 % → black 100 %); welfare shelters: squares.

    町丁目 have representative points here, not outlines, so points are drawn rather than a choropleth.
    """
    transform = metric_transformer()
    shares = {r["町丁目"]: float(r["知っている knows"].rstrip("%")) / 100 if r["知っている knows"] else None
              for r in rows}
    for number, plan in enumerate(plans, start=1):
        x, y = transform.transform(plan["lon"], plan["lat"])
        share = shares.get(plan["chome"])
        shade = "none" if share is None else str(1 - share)  # a grey level: printable in black and white
        ax.scatter([x], [y], s=420, facecolor=shade, edgecolor="black", hatch="//" if share is None else None)
        ax.annotate(f"{number}. {plan['chome']}", (x, y), xytext=(0, -13), textcoords="offset points",
                    ha="center", va="top", fontsize=7)
    for place in {s["welfare"]["id"]: s["welfare"] for s in simulation if s["welfare"]}.values():
        x, y = transform.transform(place["lon"], place["lat"])
        ax.scatter([x], [y], marker="s", s=90, facecolor="white", edgecolor="black")
        ax.annotate(place["name"], (x, y), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=6)
    ax.margins(0.15)
    bare(ax)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    if context is not None and len(context):  # drawn under the points, then the view is kept as it was
        context_lines(ax, context)
        station_names(ax, context, shapely.box(x0, y0, x1, y1), fontsize=8)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
    scale_bar(ax, x1 - x0)
    north_arrow(ax)
    legend = "円: 町丁目（白 0% → 黒 100%: 避難場所を知っている世帯、斜線: 回答なし）　□: 福祉避難所"
    fig.text(0.07, 0.06, legend, fontsize=9)


def answers_map_figure(survey: dict, plans: list[dict], rows: list[dict], simulation: list[dict],
                       context=None):
    """The report's map page (A4): who know their shelter, per 町丁目, and the welfare shelters."""
    width, height = PAPER["A4"]
    fig = pyplot().figure(figsize=(width, height))
    fig.text(0.07, 0.95, f"{survey['area_name']}　避難場所を知っている世帯", fontsize=16, weight="bold")
    _answers_map(fig, fig.add_axes((0.07, 0.1, 0.86, 0.82)), plans, rows, simulation, context)
    return fig


def answers_map_svg(survey: dict, plans: list[dict], rows: list[dict], simulation: list[dict],
                    context=None) -> str:
    """The same map as SVG, for the coordinator's page."""
    fig = answers_map_figure(survey, plans, rows, simulation, context)
    fig.set_size_inches(7, 7)
    return figure_svg(fig)


def report_pdf(survey: dict, rows: list[dict], simulation: list[dict], page_url: str,
               plans: list[dict] = (), context=None) -> bytes:
    """The 懇談会's paper: the map, then large print, numbered, each 町丁目's answers beside its walks."""
    sections = [("集計（町丁目ごと）", [
        f"{n}. {r['町丁目']}: 配布{r['配布 sheets']}・回答{r['回答 answers']}"
        f"（{r['回答率 response rate'] or '—'}）"
        f"・知っている {r['知っている knows'] or '—'}・自力で行ける {r['自力で行ける can go alone'] or '—'}"
        f"・助けが必要 {r['助けが必要 need help']}世帯" for n, r in enumerate(rows, start=1)])]
    lines = []
    for n, s in enumerate(simulation, start=1):
        welfare = _walk(s["welfare"]) if s["welfare"] else "福祉避難所が見つかりません"
        flag = "　★助けが必要で、15分以内に福祉避難所がありません" if s["out_of_reach"] else ""
        lines.append(f"{n}. {s['chome']}: 助けが必要 {s['needs_help']}世帯・支援者 {s['supporters']}人・"
                     f"要支援者名簿 {s['registered']}人 ／ 福祉避難所 {welfare} ／ "
                     f"緊急避難場所 {_walk(s['site'])}{flag}")
    sections.append(("紙上でシミュレーション", lines))
    title = f"自分の避難場所を知ろう　{survey['area_name']}（{HAZARDS[survey['hazard']][1]}）"
    figures = [answers_map_figure(survey, list(plans), rows, simulation, context)] if plans else []
    return text_pdf(title, sections, "A4", page_url, points=14, figures=figures)


REPORT_TYPES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


def report_bytes(survey: dict, parts: dict, fmt: str, page_url: str) -> bytes:
    """The report as ``csv`` (the table, with BOM for Excel) or ``pdf`` (the 懇談会's paper)."""
    if fmt == "csv":
        import pandas as pd  # deferred: only the CSV builds a frame

        return csv_bytes(pd.DataFrame(parts["rows"]))
    return report_pdf(survey, parts["rows"], parts["simulation"], page_url, parts["plans"],
                      parts.get("context"))


def report_figures(survey: dict, parts: dict) -> dict:
    """The report page's chart and map (SVG), from ``services.survey_report.report_parts``."""
    return {"chart": knows_chart_svg(parts["rows"]),
            "answers_map": answers_map_svg(survey, parts["plans"], parts["rows"], parts["simulation"],
                                           parts.get("context"))}


def knows_chart_svg(rows: list[dict]) -> str:
    """Bars of the share who know their shelter, per 町丁目 (the area's total last)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.32 * len(rows))))
    values = [float(r["知っている knows"].rstrip("%")) if r["知っている knows"] else 0 for r in rows]
    ax.barh([r["町丁目"] for r in rows][::-1], values[::-1], color="black")
    ax.set_xlim(0, 100)
    ax.set_xlabel("避難場所を知っている (%)")
    fig.tight_layout()
    return figure_svg(fig)
