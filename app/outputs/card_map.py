"""The household card's small map: the home, the places the card names, and what to find them by.

Drawn from our own data (railways, rivers, stations), north up with a scale in metres, so that it
reads on paper and without a network; each place carries the letter its list uses on the map.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import geopandas as gpd
import shapely

from app.domain.kinds import RESOURCE_KINDS
from app.domain.projection import METRIC_CRS
from app.outputs.fonts import figure_svg, pyplot
from app.outputs.mapdraw import bare, context_lines, metric, north_arrow, scale_bar, station_names
from app.outputs.symbology import RESOURCE_SYMBOLS
from app.services.card import Card

HOME = {"ja": "わが家", "en": "Home", "ja-easy": "わたしの 家"}
WELFARE = {"ja": ("福", "福祉避難所"), "en": ("W", "Welfare shelter"), "ja-easy": ("福", "福祉避難所")}
STATION = {"ja": "駅", "en": " Sta.", "ja-easy": "駅"}
KEPT_MAPS = 256  # drawn maps kept, newest used last out
_KEPT: OrderedDict = OrderedDict()
_LOCK = threading.Lock()
MIN_SIDE_M = 900  # a map narrower than a few streets orients nobody
STATION_REACH_M = 1500  # the nearest station within this is drawn in: it is what people find their way by


def named_places(card: Card) -> list[tuple[str, dict]]:
    """(``shelter`` | ``welfare`` | ``emergency_site`` | ``salon``, row) of each place named, once."""
    found: dict[int, tuple[str, dict]] = {}
    rows = [("shelter", card.shelter), *(("welfare", r) for r in card.welfare.values()),
            *(("emergency_site", r) for r in card.emergency.values()), *(("salon", r) for r in card.salons)]
    for kind, row in rows:
        if row and row.get("lon") is not None and row["id"] not in found:
            found[row["id"]] = (kind, row)
    return list(found.values())


def _symbol(kind: str, lang: str) -> tuple[str, str, str, str]:
    """(letter, legend label, colour, marker) of a place on the card's map."""
    english = lang == "en"
    if kind == "welfare":
        symbol = RESOURCE_SYMBOLS["shelter"]
        return (*WELFARE.get(lang, WELFARE["ja"]), symbol.colour, symbol.marker)
    symbol, labels = RESOURCE_SYMBOLS[kind], RESOURCE_KINDS[kind]
    return (symbol.letter_en if english else symbol.letter_ja,
            labels.label_en if english else labels.label_ja, symbol.colour, symbol.marker)


def _extent(home, points, context) -> tuple[float, float, float, float]:
    """A square around the home, its places and its nearest station, never narrower than ``MIN_SIDE_M``."""
    shown = [home, *points]
    nearest = _nearest_station(home, context)
    if nearest is not None:
        shown.append(nearest)
    minx, miny, maxx, maxy = shapely.MultiPoint(shown).bounds
    side = max(maxx - minx, maxy - miny, MIN_SIDE_M) * 1.2
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    return cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2


def _nearest_station(home, context: gpd.GeoDataFrame):
    """The nearest station's middle (metres) within ``STATION_REACH_M`` of the home, or None."""
    stations = context[context["layer"] == "station"]
    if not len(stations):
        return None
    middles = stations.to_crs(METRIC_CRS).geometry.centroid
    distances = middles.distance(home)
    return middles.iloc[int(distances.argmin())] if distances.min() <= STATION_REACH_M else None


def _fanned(home, points, side: float) -> list:
    """Places at one spot (a hall that is shelter, site and salon) set side by side, each letter seen.

    The home keeps its point; places at its spot move out to its right.
    """
    spots: dict[tuple[int, int], list[int]] = {}
    for number, point in enumerate([home, *points]):
        spots.setdefault((round(point.x / (side / 25)), round(point.y / (side / 25))), []).append(number)
    out = [home, *points]
    step = side * 0.075
    for members in spots.values():
        at_home = members[0] == 0
        for order, number in enumerate(members):
            shift = order * step if at_home else (order - (len(members) - 1) / 2) * step
            out[number] = shapely.Point(out[number].x + shift, out[number].y)
    return out[1:]


def draw_card_map(figure, rect, card: Card, context: gpd.GeoDataFrame, lang: str = "ja") -> None:
    """Draw the map into ``rect`` (figure fractions) of ``figure``, its legend along the bottom."""
    from matplotlib.lines import Line2D  # deferred with pyplot (outputs.fonts)

    places = named_places(card)
    home, *points = metric([shapely.Point(card.lon, card.lat)]
                           + [shapely.Point(r["lon"], r["lat"]) for _, r in places])
    minx, miny, maxx, maxy = _extent(home, points, context)
    points = _fanned(home, points, maxx - minx)
    left, bottom, width, height = rect
    ax = figure.add_axes((left, bottom + height * 0.15, width, height * 0.85))
    context_lines(ax, context, linewidth=1.0)
    station_names(ax, context, shapely.box(minx, miny, maxx, maxy), fontsize=8,
                  suffix=STATION.get(lang, "駅"))
    legend = {}
    for (kind, _), point in zip(places, points, strict=True):
        letter, label, colour, marker = _symbol(kind, lang)
        ax.plot(point.x, point.y, marker=marker, markersize=15, markerfacecolor=colour,
                markeredgecolor="black", markeredgewidth=1.2, zorder=5)
        ax.text(point.x, point.y, letter, color="white", fontsize=8, weight="bold", ha="center",
                va="center", zorder=6)
        legend[label] = Line2D([], [], marker=marker, linestyle="", markerfacecolor=colour,
                               markeredgecolor="black", markersize=9, label=f"{letter} {label}")
    ax.plot(home.x, home.y, marker="*", markersize=22, color="black", markeredgecolor="white", zorder=7)
    ax.text(home.x, home.y - (maxy - miny) * 0.06, HOME.get(lang, HOME["ja"]), fontsize=10,
            weight="bold", ha="center", va="top", zorder=7,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    bare(ax)
    scale_bar(ax, maxx - minx)
    north_arrow(ax, fontsize=10)
    ax.legend(handles=list(legend.values()), loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2,
              fontsize=8, frameon=False)


def card_map_svg(card: Card, context: gpd.GeoDataFrame, lang: str = "ja", size: float = 3.4) -> str:
    """The map as an inline ``<svg>`` of ``size`` inches wide, for the card's page.

    Drawing costs about 100 ms; the same home, places and context in the same language are drawn
    once and kept (``KEPT_MAPS`` of them), so a household that reopens its card waits for nothing.
    """
    key = (lang, size, round(card.lon, 5), round(card.lat, 5),
           tuple((kind, row["id"], row["lon"], row["lat"]) for kind, row in named_places(card)),
           tuple(zip(context["layer"], context["name"], context.geometry.to_wkb(), strict=True)))
    with _LOCK:
        if key in _KEPT:
            _KEPT.move_to_end(key)
            return _KEPT[key]
    svg = _drawn_svg(card, context, lang, size)
    with _LOCK:
        _KEPT[key] = svg
        while len(_KEPT) > KEPT_MAPS:
            _KEPT.popitem(last=False)
    return svg


def _drawn_svg(card: Card, context: gpd.GeoDataFrame, lang: str, size: float) -> str:
    plt = pyplot()
    # Words stay text (the reader's own fonts, and found by search and screen readers), not outlines.
    with plt.rc_context({"svg.fonttype": "none"}):
        figure = plt.figure(figsize=(size, size * 1.18))
        draw_card_map(figure, (0.02, 0.02, 0.96, 0.96), card, context, lang)
        return figure_svg(figure)
