"""One table of how every kind looks, on the web map, the analysis page and paper.

Colours, letters and shapes differ per kind so that the map also reads in black and white
and for colour-blind readers. The browser scripts receive ``browser_symbology`` as JSON in
their page config; nothing here is copied into JavaScript or CSS.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from app.domain.kinds import AREA_KINDS


@dataclass(frozen=True)
class Symbol:
    """How one resource kind is drawn.

    ``shape`` is the web marker's CSS shape; ``marker`` the matplotlib marker on paper: the
    same figure in both (a triangle on screen is a triangle on paper).
    """

    letter_ja: str
    letter_en: str
    colour: str
    shape: str
    marker: str


RESOURCE_SYMBOLS: dict[str, Symbol] = {
    "salon": Symbol("サ", "S", "#c2185b", "circle", "o"),
    "hub": Symbol("拠", "H", "#6a1b9a", "diamond", "D"),
    "vending_machine": Symbol("自", "V", "#00796b", "cross", "P"),
    "shelter": Symbol("避", "Sh", "#1565c0", "square", "s"),
    # #bf360c: white 緊 on it is 5.6:1 (the lighter #e65100 was 3.8:1, below WCAG AA).
    "emergency_site": Symbol("緊", "E", "#bf360c", "triangle", "^"),
    "school": Symbol("学", "Sc", "#5d4037", "hexagon", "h"),
    "disaster_park": Symbol("防", "P", "#33691e", "pentagon", "p"),
    "consultation_desk": Symbol("相", "C", "#4e342e", "octagon", "8"),
    "drill": Symbol("訓", "Dr", "#ad1457", "star", "*"),
    "volunteer_centre": Symbol("ボ", "VC", "#4527a0", "chevron", "v"),
    # Only signed-in coordinators get this layer, and only for their own cities.
    "vacant_house": Symbol("空", "VH", "#37474f", "x", "X"),
}
# Kinds drawn on printed district maps, in the order of their numbers.
PRINTED_KINDS = ("shelter", "emergency_site", "salon", "hub", "vending_machine", "disaster_park",
                 "consultation_desk")

AREA_STYLES: dict[str, dict] = {
    "city": {"color": "#263238", "weight": 2.5, "fill": False},
    "school_district": {"color": "#2e7d32", "weight": 2, "fillOpacity": 0.04},
    "middle_school_district": {"color": "#0277bd", "weight": 1.5, "fillOpacity": 0.02, "dashArray": "2 4"},
    "daily_living_area": {"color": "#6a1b9a", "weight": 2, "fillOpacity": 0.05},
    "neighbourhood_association": {"color": "#00695c", "weight": 1.2, "fillOpacity": 0.03, "dashArray": "1 3"},
    "sediment_hazard": {"color": "#8d6e63", "weight": 1, "fillColor": "#a1887f", "fillOpacity": 0.45},
    "catchment": {"color": "#ad1457", "weight": 1.5, "fillOpacity": 0.04},
}
OTHER_AREA_STYLE = {"color": "#455a64", "weight": 1.5}
# Dash patterns that tell a boundary's provenance at a glance.
PROVENANCE_DASHES = {"approximate": "6 6", "derived": "2 5"}

# Share within walking distance: upper bounds (%) and fill colours (ColorBrewer YlGn).
COVERAGE_CLASSES = ((20, "#ffffcc"), (40, "#c2e699"), (60, "#78c679"), (80, "#31a354"), (101, "#006837"))
NO_VALUE_COLOUR = "#cccccc"
GAP_COLOUR = "#b71c1c"
SUGGESTION_COLOUR = "#283593"
WHAT_IF_COLOUR = "#ffeb3b"
REMOVED_COLOUR = "#ffffff"  # a salon left out in a what-if: hollow
DOT_RING_COLOUR = "#ffffff"  # a place drawn from vector tiles: a dot of its kind's colour, ringed apart
# A shelter on the day, by its state: room (green), crowded (amber), full (red), closed (grey).
SITE_STATE_COLOURS = {"accepting": "#1b7837", "crowded": "#e08214", "full": "#b2182b", "closed": "#7f7f7f"}
# 安否 on the board's map: unconfirmed and needing help stand out; colour is never the only sign.
SAFETY_COLOURS = {"unconfirmed": "#b2182b", "needs_help": "#e08214", "safe": "#1b7837", "absent": "#7f7f7f",
                  "moved": "#2166ac"}
# The base a map draws itself when its tiles fail (Leaflet path options): water blue, railways
# dashed dark grey as on Japanese maps, a station as its platforms in black.
CONTEXT_STYLES = {"river": {"color": "#5b8fc7", "weight": 2, "opacity": 0.9},
                  "railway": {"color": "#444444", "weight": 3, "opacity": 0.85, "dashArray": "8 4"},
                  "station": {"color": "#111111", "weight": 7, "opacity": 1}}



def area_style(kind: str, provenance: str = "official") -> dict:
    """Leaflet path options for an area layer of ``kind`` and ``provenance``."""
    style = dict(AREA_STYLES.get(kind, OTHER_AREA_STYLE))
    if provenance in PROVENANCE_DASHES:
        style["dashArray"] = PROVENANCE_DASHES[provenance]
    return style


def browser_symbology() -> dict:
    """What the page scripts need to draw: resource symbols, area styles and analysis colours."""
    return {"resources": {k: asdict(v) for k, v in RESOURCE_SYMBOLS.items()},
            "areas": {k: area_style(k) for k in AREA_KINDS}, "other": OTHER_AREA_STYLE,
            "dashes": PROVENANCE_DASHES, "coverageClasses": [list(c) for c in COVERAGE_CLASSES],
            "noValue": NO_VALUE_COLOUR, "gap": GAP_COLOUR, "suggestion": SUGGESTION_COLOUR,
            "whatIf": WHAT_IF_COLOUR, "removed": REMOVED_COLOUR, "dotRing": DOT_RING_COLOUR,
            "context": CONTEXT_STYLES,
            "siteStates": SITE_STATE_COLOURS, "safety": SAFETY_COLOURS}
