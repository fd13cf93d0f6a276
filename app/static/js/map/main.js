/* The resident's map: data layers from the API by bounding box, added to folium's map. */
import { onBoot } from "../util.js";
import { dayStatus } from "./daystatus.js";
import { eventControls } from "./events.js";
import { hazardControls } from "./hazards.js";
import { legendToggles } from "./legend.js";
import { createLayers, refresh } from "./layers.js";
import { nearControls, nearest, nearFromLink } from "./near.js";
import { offlineApp } from "./offline.js";
import { updateLinks } from "./permalink.js";
import { searchBox } from "./search.js";
import { bottomSheet } from "./sheet.js";

/** What every map module shares: the map, its layers, strings, and the page's state. */
function pageOf(map, control, config) {
  const kinds = {};
  config.kinds.forEach((k) => { kinds[k.id] = k; });
  return {
    map, control, config, kinds, T: config.strings, layers: {}, spots: {},
    state: { hazard: new URLSearchParams(location.search).get("hazard") || "", pick: false },
    origin: L.layerGroup().addTo(map),
    kindLabel: (id) => (kinds[id] ? kinds[id].label : id),
    hazardLabel: (id) => { const h = config.hazards.filter((x) => x.id === id)[0]; return h ? h.label : id; }
  };
}

function start(map, control, config) {
  const page = pageOf(map, control, config);
  createLayers(page);
  legendToggles(page);
  let timer = null;
  map.on("moveend", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { refresh(page); updateLinks(page); }, 150);
  });
  map.on("overlayadd overlayremove baselayerchange", () => updateLinks(page));
  hazardControls(page);
  bottomSheet();
  searchBox(page);
  nearControls(page);
  eventControls(page);
  dayStatus(page);
  offlineApp(page);
  window.fureai = { map, layers: page.layers, nearest: (lat, lon) => nearest(page, lat, lon),
                    refresh: () => refresh(page) };
  nearFromLink(page);  // before the address bar is rewritten: it reads the answer asked for there
  updateLinks(page);
  refresh(page);
}

onBoot("map", start);
