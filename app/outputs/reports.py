"""Analysis results as an HTML report for people: parameters, choropleth, bar chart, table."""

from __future__ import annotations

import html
import json
from pathlib import Path

import geopandas as gpd

from app.domain.said import in_language
from app.outputs.fonts import figure_svg, pyplot
from app.outputs.symbology import COVERAGE_CLASSES, GAP_COLOUR, NO_VALUE_COLOUR
from app.outputs.tables import RESULT_COLUMNS

VALUE_COLUMN = {"coverage": "pct_covered", "reach": "pct_shelter"}


def _colour(value) -> str:
    if value is None:
        return NO_VALUE_COLOUR
    return next(colour for bound, colour in COVERAGE_CLASSES if value < bound)


def _choropleth(rows, polygons, value: str, title: str, gaps) -> str:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 6))
    for row in rows:
        geom = polygons[row["area_code"]]
        for poly in getattr(geom, "geoms", [geom]):
            x, y = poly.exterior.xy
            ax.fill(x, y, facecolor=_colour(row[value]), edgecolor="#333", linewidth=0.6)
    for gap in gaps:
        size = max(1, min(8, gap["people"] ** 0.5 / 3))
        ax.plot(gap["lon"], gap["lat"], "o", color=GAP_COLOUR, markersize=size, alpha=0.5)
    ax.set_aspect(1 / 0.81)  # cos(35.7°): degrees of longitude are shorter here
    ax.set_axis_off()
    handles = [plt.Rectangle((0, 0), 1, 1, color=colour) for _, colour in COVERAGE_CLASSES]
    labels = [f"< {bound} %" if bound <= 100 else "≥ 80 %" for bound, _ in COVERAGE_CLASSES]
    ax.legend(handles, labels, loc="lower left", fontsize=7, title="%")
    ax.set_title(title)
    return figure_svg(fig)


def _bars(rows, value: str) -> str:
    fig, ax = pyplot().subplots(figsize=(7, max(2.5, 0.32 * len(rows))))
    ordered = sorted(rows, key=lambda r: r[value] if r[value] is not None else -1)
    ax.barh([r["area_name"] for r in ordered], [r[value] or 0 for r in ordered], color="#2e7d32")
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    fig.tight_layout()
    return figure_svg(fig)


def _limits(result: dict) -> str:
    """The answer's data limits and the places counted or left out, as HTML."""
    lines = [f"<li>{html.escape(in_language(line, 'ja'))}</li>" for line in result.get("data_limits", [])]
    resources = result.get("resources") or {}
    lines += [f"<li>left out: {html.escape(r['name'])} ({html.escape(r['reason'])})</li>"
              for r in resources.get("left_out", [])[:30]]
    if resources.get("private_not_shown"):
        lines.append(f"<li>{resources['private_not_shown']} private places not shown</li>")
    return f"<h2>データの限界 / data limits</h2><ul>{''.join(lines)}</ul>" if lines else ""


def write_html(result: dict, analysis: str, areas: gpd.GeoDataFrame, path: Path, title: str) -> None:
    """A self-contained report: parameters, choropleth, bar chart per district, table."""
    value = VALUE_COLUMN[analysis]
    polygons = areas.drop_duplicates("code").set_index("code").geometry
    rows = [r for r in result["areas"] if r["area_code"] in polygons.index]
    choropleth = _choropleth(rows, polygons, value, title, result.get("gaps", []))
    bars = _bars(rows, value)
    cols = RESULT_COLUMNS[analysis]
    head = "".join(f"<th scope=col>{html.escape(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if r.get(c) is None else str(r.get(c)))}</td>"
                                    for c in cols) + "</tr>" for r in result["areas"])
    params = html.escape(json.dumps({**result["parameters"], **result["walking"], **result["demand"]},
                                    ensure_ascii=False))
    totals = html.escape(json.dumps(result.get("totals", result.get("layers")), ensure_ascii=False))
    Path(path).write_text(f"""<!doctype html><html lang="ja"><meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:1rem auto}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.2rem .4rem}}</style>
<h1>{html.escape(title)}</h1><p><code>{params}</code></p><p>{totals}</p>{_limits(result)}
<figure>{choropleth}</figure><figure>{bars}</figure>
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></html>""", encoding="utf-8")
