"""What every printed map draws the same way: metres, railways and rivers, station names, scale, north.

The district sheet and the household card both draw with these, so that paper reads alike.
"""

from __future__ import annotations

import geopandas as gpd

from app.domain.projection import METRIC_CRS

CONTEXT_GREY = "#777777"
NAME_GREY = "#333333"


def metric(geometries) -> gpd.GeoSeries:
    """WGS 84 geometries in the metric plane the maps are drawn in."""
    return gpd.GeoSeries(geometries, crs="EPSG:4326").to_crs(METRIC_CRS)


def context_lines(ax, context: gpd.GeoDataFrame, linewidth: float = 0.8) -> None:
    """Railways and rivers in grey dashes (stations are named, see ``station_names``)."""
    lines = context[context["layer"] != "station"]
    if len(lines):
        lines.to_crs(METRIC_CRS).plot(ax=ax, color=CONTEXT_GREY, linewidth=linewidth, linestyle="--")


def station_names(ax, context: gpd.GeoDataFrame, frame, fontsize: float = 7, suffix: str = "駅") -> None:
    """Each station named once where it is, inside ``frame`` (metric): a name outside prints in the margin."""
    stations = context[context["layer"] == "station"].to_crs(METRIC_CRS)
    for name, group in stations.groupby("name"):
        point = group.geometry.union_all().centroid
        if point.within(frame):
            ax.text(point.x, point.y, f"{name}{suffix}", fontsize=fontsize, color=NAME_GREY, weight="bold",
                    ha="center", zorder=4)


def scale_bar(ax, width_m: float, fontsize: float = 8) -> None:
    """A black-and-white bar of a round length, about a quarter of the map's width, bottom left."""
    length = next((v for v in (2000, 1000, 500, 250, 200, 100, 50) if v <= width_m / 4), 50)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    x, y = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.04
    ax.plot([x, x + length], [y, y], color="black", linewidth=4, solid_capstyle="butt")
    ax.plot([x, x + length / 2], [y, y], color="white", linewidth=2, solid_capstyle="butt")
    ax.text(x + length / 2, y + (y1 - y0) * 0.015, f"{length} m", ha="center", fontsize=fontsize)


def north_arrow(ax, fontsize: float = 12) -> None:
    """N at the top right: the maps are drawn north up."""
    ax.annotate("N", xy=(0.95, 0.97), xytext=(0.95, 0.86), xycoords="axes fraction", ha="center",
                fontsize=fontsize, weight="bold", arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 2})


def bare(ax) -> None:
    """No ticks or labels: a map, not a chart; equal scale both ways."""
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
