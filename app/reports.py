"""Analysis results as files: CSV for Excel, GeoJSON for GIS, an HTML report for people."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import shapely.geometry

COLUMNS = {
    "coverage": ["area_code", "area_name", "city_code", "population", "covered", "not_covered",
                 "pct_covered", "median_walk_m", "p90_walk_m"],
    "reach": ["area_code", "area_name", "city_code", "population", "pct_shelter", "pct_welfare_shelter",
              "pct_emergency_site"],
}


def write_csv(result: dict, analysis: str, path: Path) -> None:
    """UTF-8 with BOM, so Excel opens the Japanese names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS[analysis])
    for row in result["areas"]:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in COLUMNS[analysis]])
    Path(path).write_bytes(buffer.getvalue().encode("utf-8-sig"))


def area_features(result: dict, areas: list[dict]) -> dict:
    """Areas with their result row as properties (a choropleth-ready FeatureCollection)."""
    by_code = {a["code"]: a for a in areas}
    features = [{"type": "Feature", "geometry": by_code[r["area_code"]]["geometry"], "properties": r}
                for r in result["areas"] if r["area_code"] in by_code]
    return {"type": "FeatureCollection", "features": features,
            "walking": result["walking"], "demand": result["demand"], "parameters": result["parameters"]}


def write_geojson(result: dict, areas: list[dict], path: Path) -> None:
    collection = area_features(result, areas)
    collection["gaps"] = result.get("gaps", [])
    Path(path).write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")


def _charts_svg(result: dict, areas: list[dict], value: str, title: str) -> tuple[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import cm, colors

    plt.rcParams["font.family"] = japanese_fonts()
    by_code = {a["code"]: a for a in areas}
    rows = [r for r in result["areas"] if r["area_code"] in by_code]
    norm = colors.Normalize(vmin=0, vmax=100)
    cmap = matplotlib.colormaps["YlGn"]
    fig, ax = plt.subplots(figsize=(7, 6))
    for r in rows:
        geom = shapely.geometry.shape(by_code[r["area_code"]]["geometry"])
        colour = cmap(norm(r[value])) if r[value] is not None else "#cccccc"
        for poly in getattr(geom, "geoms", [geom]):
            x, y = poly.exterior.xy
            ax.fill(x, y, facecolor=colour, edgecolor="#333", linewidth=0.6)
    for gap in result.get("gaps", []):
        size = max(1, min(8, gap["people"] ** 0.5 / 3))
        ax.plot(gap["lon"], gap["lat"], "o", color="#b71c1c", markersize=size, alpha=0.5)
    ax.set_aspect(1 / 0.81)  # cos(35.7°): degrees of longitude are shorter here
    ax.set_axis_off()
    fig.colorbar(cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, label="%")
    ax.set_title(title)
    choropleth = _svg(fig)
    fig, ax = plt.subplots(figsize=(7, max(2.5, 0.32 * len(rows))))
    ordered = sorted(rows, key=lambda r: r[value] if r[value] is not None else -1)
    ax.barh([r["area_name"] for r in ordered], [r[value] or 0 for r in ordered], color="#2e7d32")
    ax.set_xlim(0, 100)
    ax.set_xlabel("%")
    fig.tight_layout()
    return choropleth, _svg(fig)


def japanese_fonts() -> list[str]:
    """Installed fonts that have kana and kanji (Debian's fonts-noto-cjk), then the default."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    wanted = ["Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "TakaoGothic"]
    return [name for name in wanted if name in installed] + ["DejaVu Sans"]


def _svg(fig) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def write_html(result: dict, analysis: str, areas: list[dict], path: Path, title: str) -> None:
    """A self-contained report: parameters, choropleth, bar chart per district, table."""
    value = "pct_covered" if analysis == "coverage" else "pct_shelter"
    choropleth, bars = _charts_svg(result, areas, value, title)
    cols = COLUMNS[analysis]
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
<h1>{html.escape(title)}</h1><p><code>{params}</code></p><p>{totals}</p>
<figure>{choropleth}</figure><figure>{bars}</figure>
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></html>""", encoding="utf-8")
