/* The data layers: one marker cluster per resource kind, one GeoJSON layer per area set. */
import { bboxParam, esc } from "../util.js";
import { load } from "./loading.js";
import { markerIcon } from "./popups.js";
import { indexSpots, spotHtml } from "./spots.js";
import { refreshTiled, tiledLayer } from "./tiled.js";

// Markers and clusters stay out of the Tab order (93 stops before the panel otherwise); the
// list, the search and the near-me results reach every place by keyboard.
L.MarkerCluster.mergeOptions({ keyboard: false });

function clusterFor(kind) {
  return L.markerClusterGroup({
    maxClusterRadius: 36, disableClusteringAtZoom: 16, showCoverageOnHover: false,
    iconCreateFunction: (cluster) => L.divIcon({
      className: "fm-cluster", iconSize: [34, 34],
      html: '<span style="background:' + kind.colour + '">' + cluster.getChildCount() + "</span>"
    })
  });
}

function areaStyle(area, symbology) {
  const style = Object.assign({}, symbology.areas[area.kind] || symbology.other);
  if (symbology.dashes[area.provenance]) { style.dashArray = symbology.dashes[area.provenance]; }
  return style;
}

function areaPopup(page, area, feature, layer) {
  const p = feature.properties;
  const T = page.T;
  const note = p.provenance === "approximate" ? "<br><small>" + esc(T.approximate_note) + "</small>" :
    p.provenance === "derived" ? "<br><small>" + esc(T.derived_note) + "</small>" : "";
  layer.bindTooltip(esc(p.name) + (p.provenance === "approximate" ? " (" + esc(T.approximate) + ")" : ""),
                    { sticky: true });
  layer.on("click", (e) => {
    if (page.state.pick) { return; }  // the click chooses a point for "near me" instead
    L.popup().setLatLng(e.latlng).setContent("<strong>" + esc(p.name) + "</strong><br>" +
      esc(area.label) + note).openOn(page.map);
  });
}

function addResourceLayers(page) {
  const T = page.T;
  page.config.kinds.forEach((k) => {
    const group = k.tiles && window.L.vectorGrid ? tiledLayer(page, k) : clusterFor(k);
    group.fmId = k.id;
    page.layers[k.id] = group;
    // A tiled layer says so: its places are dots, found by the list and the search, not the Tab key.
    page.control.addOverlay(group, '<span class="fm-sym fm-shape-' + k.shape + '" style="background:' +
      k.colour + '">' + esc(k.symbol) + "</span> " + esc(k.label) +
      (k.count ? "" : ' <em class="fm-nodata">(' + esc(T.no_data) + ")</em>") +
      (group.fmTiled ? ' <em class="fm-tiled">(' + esc(T.tiles_mode) + ")</em>" : ""));
  });
}

function addAreaLayers(page) {
  page.config.areas.forEach((a) => {
    const style = areaStyle(a, page.config.symbology);
    const layer = L.geoJSON(null, { style: () => style, onEachFeature: (f, l) => areaPopup(page, a, f, l) });
    layer.fmId = a.id;
    page.layers[a.id] = layer;
    page.control.addOverlay(layer, '<span class="fm-area-sym" style="border-color:' + style.color +
      (a.provenance === "approximate" ? ";border-style:dashed" : "") + '"></span> ' + esc(a.label));
  });
}

export function refreshResource(page, kind) {
  if (page.layers[kind].fmTiled) { return refreshTiled(page, page.kinds[kind]); }
  const group = page.layers[kind];
  let url = page.config.api.resources + "?kind=" + kind + "&limit=1000&bbox=" + bboxParam(page.map);
  if (kind === "emergency_site" && page.state.hazard) { url += "&hazard=" + page.state.hazard; }
  return load(kind, url, (data) => {
    group.clearLayers();
    indexSpots(page, kind, data.features);
    data.features.forEach((f) => {
      const c = f.geometry.coordinates;
      const m = L.marker([c[1], c[0]], { icon: markerIcon(page.kinds[kind]), title: f.properties.name,
                                         alt: f.properties.name, keyboard: false });
      m.bindPopup(() => spotHtml(page, f), { maxWidth: 320, maxHeight: 360, autoPanPaddingTopLeft: [50, 10] });
      group.addLayer(m);
    });
    group.fmCount = data.features.length;
    document.body.dataset["loaded_" + kind] = String(data.features.length);
  });
}

export function refreshArea(page, area) {
  const url = page.config.api.areas + "?kind=" + area.kind + "&provenance=" + area.provenance +
    "&limit=2000&bbox=" + bboxParam(page.map);
  return load(area.id, url, (data) => {
    const layer = page.layers[area.id];
    layer.clearLayers();
    layer.addData(data);
    document.body.dataset["loaded_" + area.id.replace("-", "_")] = String(data.features.length);
  });
}

/** Reload every visible layer for the current view. */
export function refresh(page) {
  page.config.kinds.forEach((k) => { if (page.map.hasLayer(page.layers[k.id])) { refreshResource(page, k.id); } });
  page.config.areas.forEach((a) => { if (page.map.hasLayer(page.layers[a.id])) { refreshArea(page, a); } });
}

/** Create every layer, add it to the layer control, and show the active ones. */
export function createLayers(page) {
  addResourceLayers(page);
  addAreaLayers(page);
  page.config.active.forEach((id) => { if (page.layers[id]) { page.layers[id].addTo(page.map); } });
  page.map.on("overlayadd", (e) => {
    const id = e.layer.fmId;
    if (page.kinds[id]) { refreshResource(page, id); }
    page.config.areas.forEach((a) => { if (a.id === id) { refreshArea(page, a); } });
  });
}
