"""The folium map: base maps, hazard tiles and the layer control, with local Leaflet assets.

Data layers are not embedded: the page script (static/map.js) loads them from the API by
bounding box and adds them to the same layer control, so the page stays small.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import folium
from branca.element import MacroElement
from flask import url_for
from jinja2 import Template

GSI_ATTRIBUTION = '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>'
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
HAZARD_ATTRIBUTION = '<a href="https://disaportal.gsi.go.jp/">ハザードマップポータルサイト</a>'
# Every host the page's tiles come from (the CSP allows images from these and nothing else).
TILE_HOSTS = ("cyberjapandata.gsi.go.jp", "tile.openstreetmap.org", "disaportaldata.gsi.go.jp")
HAZARD_LEGEND_URL = "https://disaportal.gsi.go.jp/hazardmap/copyright/opendata.html"

BASE_MAPS = (
    ("gsi_pale", {"ja": "地理院 淡色地図", "en": "GSI pale"},
     "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png", GSI_ATTRIBUTION, 18),
    ("gsi_std", {"ja": "地理院 標準地図", "en": "GSI standard"},
     "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png", GSI_ATTRIBUTION, 18),
    ("osm", {"ja": "OpenStreetMap", "en": "OpenStreetMap"},
     "https://tile.openstreetmap.org/{z}/{x}/{y}.png", OSM_ATTRIBUTION, 19),
)
HAZARD_TILES = (
    ("flood", {"ja": "洪水浸水想定区域（想定最大規模）", "en": "Flood inundation (maximum assumed)"},
     "https://disaportaldata.gsi.go.jp/raster/01_flood_l2_shinsuishin_data/{z}/{x}/{y}.png"),
    ("landslide", {"ja": "土砂災害警戒区域（土石流）", "en": "Landslide warning areas (debris flow)"},
     "https://disaportaldata.gsi.go.jp/raster/05_dosekiryukeikaikuiki/{z}/{x}/{y}.png"),
)


class PageScript(MacroElement):
    """Hands the map, its layer control and the config to the page's module script.

    Module scripts run after the page is parsed; this inline script runs during parsing,
    so it leaves the three on ``window.fureaiBoot`` and announces them with an event.
    """

    _template = Template("""{% macro script(this, kwargs) %}
window.fureaiBoot = {page: {{ this.page|tojson }}, map: {{ this._parent.get_name() }},
                     control: {{ this.control }}, config: {{ this.config }}};
window.dispatchEvent(new Event("fureai:boot"));
{% endmacro %}""")

    def __init__(self, page: str, control_name: str, config: dict):
        super().__init__()
        self._name = "PageScript"
        self.page = page
        self.control = control_name
        self.config = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")


@dataclass(frozen=True)
class MapParts:
    header: str
    body: str
    script: str
    map_name: str


def build_map(*, lang: str, center: tuple[float, float], zoom: int, base: str,
              asset_urls: dict[str, str], page_config: dict, page: str = "map") -> MapParts:
    """Render the folium map into the three parts the page template places.

    Parameters
    ----------
    lang : str
        'ja' or 'en', for the layer names.
    center, zoom, base
        Initial view (lat, lon), zoom level and base-map id, from the permalink.
    asset_urls : dict
        Local URLs of ``leaflet_js``, ``leaflet_css``.
    page_config : dict
        Handed to the page script (``static/js/<page>/main.js``) with the map and its control.
    page : str
        'map' or 'analysis': which module script takes over.
    """
    fmap = folium.Map(location=list(center), zoom_start=zoom, tiles=None, control_scale=False,
                      min_zoom=9, max_zoom=18)
    # Instance attributes shadow folium's CDN defaults (jQuery, Bootstrap, Font Awesome …),
    # none of which this page needs.
    fmap.default_js = [("leaflet", asset_urls["leaflet_js"])]
    fmap.default_css = [("leaflet_css", asset_urls["leaflet_css"])]
    base_ids = [b[0] for b in BASE_MAPS]
    base = base if base in base_ids else base_ids[0]
    tile_names = {}
    for key, labels, url, attribution, max_zoom in BASE_MAPS:
        layer = folium.TileLayer(tiles=url, attr=attribution, name=labels[lang], max_zoom=max_zoom,
                                 overlay=False, control=True, show=(key == base))
        layer.add_to(fmap)
        tile_names[key] = layer.get_name()
    hazard_names = {}
    for key, labels, url in HAZARD_TILES:
        layer = folium.TileLayer(tiles=url, attr=HAZARD_ATTRIBUTION, name=labels[lang], overlay=True,
                                 control=True, show=False, opacity=0.6, max_native_zoom=17)
        layer.add_to(fmap)
        hazard_names[key] = layer.get_name()
    control = folium.LayerControl(collapsed=True, position="topright")
    control.add_to(fmap)
    config = {**page_config, "baseLayers": tile_names, "hazardLayers": hazard_names,
              "hazardLegendUrl": HAZARD_LEGEND_URL, "contextUrl": url_for("api.context")}
    PageScript(page, control.get_name(), config).add_to(fmap)
    root = fmap.get_root()
    root.render()
    # folium's viewport forbids pinch-zoom, which low-vision users need; the page sets its own.
    header = re.sub(r"<meta name=\"viewport\"[^>]*>", "", root.header.render())
    return MapParts(header=header, body=root.html.render(), script=root.script.render(),
                    map_name=fmap.get_name())
