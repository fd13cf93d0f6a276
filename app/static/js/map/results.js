/* Result lists (search, near me): each result a button that shows the place and its popup. */
import { esc } from "../util.js";
import { spotHtml } from "./spots.js";

export function showFeature(page, f) {
  const c = f.geometry.coordinates;
  const layer = page.layers[f.properties.kind];
  if (layer && !page.map.hasLayer(layer)) { layer.addTo(page.map); }
  page.map.setView([c[1], c[0]], Math.max(page.map.getZoom(), 16));
  L.popup({ maxWidth: 320, maxHeight: 360, autoPanPaddingTopLeft: [50, 10] }).setLatLng([c[1], c[0]])
    .setContent(spotHtml(page, f)).openOn(page.map);
}

/** Replace target's content with an ordered list of features; extra(f, i) adds to each label. */
export function listFeatures(page, target, features, extra) {
  target.innerHTML = "";
  const ol = document.createElement("ol");
  features.forEach((f, i) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "fm-result";
    button.innerHTML = "<strong>" + esc(f.properties.name) + "</strong> <small>" +
      esc(page.kindLabel(f.properties.kind)) + "</small>" + (extra ? extra(f, i) : "") +
      "<br><small>" + esc(f.properties.address) + "</small>";
    button.addEventListener("click", () => showFeature(page, f));
    li.appendChild(button);
    ol.appendChild(li);
  });
  target.appendChild(ol);
}
