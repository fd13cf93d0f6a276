/* The salons on the analysis map: click one to leave it out (what-if), and the added points. */
import { esc, fetchJson } from "../util.js";

function salonMarker(page, f) {
  const removed = page.state.remove.indexOf(f.properties.id) >= 0;
  const c = f.geometry.coordinates;
  const colour = page.config.symbology.resources[placesKind(page)];
  const m = L.circleMarker([c[1], c[0]], { radius: 7, weight: 2, color: "#000",
    fillColor: removed ? page.config.symbology.removed : colour.colour, fillOpacity: 1,
    dashArray: removed ? "2 2" : null });
  m.bindTooltip(esc(f.properties.name) + (removed ? " ✕" : ""));
  m.on("click", (e) => {
    L.DomEvent.stopPropagation(e);
    const i = page.state.remove.indexOf(f.properties.id);
    if (i >= 0) { page.state.remove.splice(i, 1); } else { page.state.remove.push(f.properties.id); }
    page.compute();
  });
  return m;
}

function siteMarker(page, f, kind) {
  const c = f.geometry.coordinates;
  return L.circleMarker([c[1], c[0]], { radius: 5, weight: 1, color: "#000", fillOpacity: 1,
    fillColor: page.config.symbology.resources[kind].colour }).bindTooltip(esc(f.properties.name));
}

/** The kind drawn: the salon question's choice, else the shelters or emergency sites shaded. */
function placesKind(page) {
  if (page.form.kind) { return page.form.kind.value; }
  return page.form.layer && page.form.layer.value === "emergency_site" ? "emergency_site" : "shelter";
}

export function drawFacilities(page) {
  const kind = placesKind(page);
  const hazard = kind === "emergency_site" && page.form.hazard && page.form.hazard.value;
  return fetchJson(page.config.api.resources + "?limit=1000&kind=" + kind + "&city=" + page.form.city.value +
    (hazard ? "&hazard=" + hazard : "")).then((data) => {
    page.facilities.clearLayers();
    // Only the salon question's places are what-if handles; the shelters are there to be seen.
    data.features.forEach((f) => page.facilities.addLayer(page.form.kind ? salonMarker(page, f) : siteMarker(page, f, kind)));
    page.state.add.forEach((p) => {
      L.circleMarker([p[1], p[0]], { radius: 8, weight: 3, color: "#000",
        fillColor: page.config.symbology.whatIf, fillOpacity: 1 }).bindTooltip("+").addTo(page.facilities);
    });
  });
}
