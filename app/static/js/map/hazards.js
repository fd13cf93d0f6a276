/* Hazard overlays: their opacity, and the emergency-site filter by hazard. */
import { refreshResource } from "./layers.js";
import { updateLinks } from "./permalink.js";

export function hazardControls(page) {
  const opacity = document.getElementById("hazard-opacity");
  opacity.addEventListener("input", () => {
    Object.keys(page.config.hazardLayers).forEach((id) => {
      window[page.config.hazardLayers[id]].setOpacity(Number(opacity.value) / 100);
    });
  });
  const select = document.getElementById("hazard-filter");
  select.value = page.state.hazard;
  select.addEventListener("change", () => {
    page.state.hazard = select.value;
    const layer = page.layers.emergency_site;
    if (!page.map.hasLayer(layer)) { layer.addTo(page.map); } else { refreshResource(page, "emergency_site"); }
    updateLinks(page);
  });
}
