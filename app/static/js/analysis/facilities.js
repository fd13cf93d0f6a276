/* The salons on the analysis map: click one to leave it out (what-if), and the added points. */
import { esc, fetchJson } from "../util.js";

function salonMarker(page, f) {
  const removed = page.state.remove.indexOf(f.properties.id) >= 0;
  const c = f.geometry.coordinates;
  const colour = page.config.symbology.resources[page.form.kind.value];
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

export function drawFacilities(page) {
  return fetchJson(page.config.api.resources + "?limit=1000&kind=" + page.form.kind.value).then((data) => {
    page.facilities.clearLayers();
    data.features.forEach((f) => page.facilities.addLayer(salonMarker(page, f)));
    page.state.add.forEach((p) => {
      L.circleMarker([p[1], p[0]], { radius: 8, weight: 3, color: "#000",
        fillColor: page.config.symbology.whatIf, fillOpacity: 1 }).bindTooltip("+").addTo(page.facilities);
    });
  });
}
