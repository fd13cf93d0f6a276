/* Shared by every page script: escaping, fetching JSON, the page's boot hand-over. */
import { drawOwnBase } from "./ownbase.js";

const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe to place inside HTML. */
export function esc(value) {
  return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A whole number with thousands separators, or "–" when unknown. */
export function num(value) {
  return value === null || value === undefined ? "–" : Math.round(value).toLocaleString();
}

/** GET a URL and parse its JSON body. */
export function fetchJson(url, options) {
  return fetch(url, options).then((response) => response.json());
}

/** The map's bounds (padded) as the API's minlon,minlat,maxlon,maxlat. */
export function bboxParam(map, pad = 0.25) {
  const b = map.getBounds().pad(pad);
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
    .map((v) => Math.max(-180, Math.min(180, v)).toFixed(5)).join(",");
}

/**
 * Run start(map, control, config) once folium's inline script has handed them over.
 * Module scripts run after the page is parsed, so the hand-over is normally there already.
 */
export function onBoot(page, start) {
  const run = () => {
    const boot = window.fureaiBoot;
    if (boot && boot.page === page && !boot.started) {
      boot.started = true;
      L.control.scale({ imperial: false }).addTo(boot.map);  // metres only: this is Japan
      noticeWhenTilesFail(boot.map, boot.control, boot.config.strings.tiles_failed, boot.config);
      mapForEveryone(boot.map, boot.config.strings);
      start(boot.map, boot.control, boot.config);
    }
  };
  if (window.fureaiBoot) { run(); } else { window.addEventListener("fureai:boot", run, { once: true }); }
}

/**
 * When the background tiles cannot be loaded (no network, a blocked host), say so once over the
 * map, so that a grey map is not taken for a map with nothing on it. Only base maps are watched:
 * a hazard overlay has no tile where there is no hazard, and that is not a failure.
 */
export function noticeWhenTilesFail(map, control, text, config) {
  let shown = false;
  const say = () => {
    if (shown || !text) { return; }
    shown = true;
    drawOwnBase(map, config.contextUrl, config.symbology && config.symbology.context);
    const note = document.createElement("p");
    note.className = "fm-tiles-failed";
    note.setAttribute("role", "status");
    note.textContent = text;
    map.getContainer().appendChild(note);
    document.body.dataset.tilesFailed = "1";
  };
  // Tiles may have failed before this ran: a broken image is one that finished with no picture.
  const broken = (layer) => Array.from(layer.getContainer ? layer.getContainer()?.querySelectorAll("img") || [] : [])
    .some((img) => img.complete && img.naturalWidth === 0);
  // Leaflet's layer control keeps which of its layers are base maps (overlay false).
  const bases = (control && control._layers ? control._layers : []).filter((l) => !l.overlay).map((l) => l.layer);
  bases.forEach((layer) => {
    layer.on("tileerror", say);
    layer.on("load", () => { if (broken(layer)) { say(); } });
    if (map.hasLayer(layer) && broken(layer)) { say(); }
  });
}

/**
 * The map for keyboards and screen readers: a named region whose drawing is left to the list view,
 * controls named in the page's language, shapes out of the Tab order (the legend and the list reach
 * them), and Escape closes a popup.
 */
export function mapForEveryone(map, T) {
  const container = map.getContainer();
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", T.map_region || "");
  // Tiles and shapes are for the eye (the list view says them); markers, popups and tooltips stay.
  container.querySelectorAll(".leaflet-tile-pane, .leaflet-overlay-pane, .leaflet-shadow-pane")
    .forEach((pane) => pane.setAttribute("aria-hidden", "true"));
  const names = { ".leaflet-control-zoom-in": T.zoom_in, ".leaflet-control-zoom-out": T.zoom_out,
    ".leaflet-control-layers-toggle": T.layers };
  Object.keys(names).forEach((selector) => {
    const control = container.querySelector(selector);
    if (control && names[selector]) { control.title = names[selector]; control.setAttribute("aria-label", names[selector]); }
  });
  const untabbable = (layer) => {
    const element = layer.getElement ? layer.getElement() : null;
    if (element && element instanceof SVGElement) { element.setAttribute("tabindex", "-1"); }
  };
  map.eachLayer(untabbable);
  map.on("layeradd", (e) => untabbable(e.layer));
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") { map.closePopup(); } });
}
