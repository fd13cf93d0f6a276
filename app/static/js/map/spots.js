/* Places at one spot (a community centre holding a hub, a shelter and two salons): one popup
   lists them all, so no marker hides another. */
import { esc } from "../util.js";
import { popupHtml } from "./popups.js";

/** The spot of a point: about 10 m, so a site's entries in both GSI lists share one. */
export function spotKey(lonlat) {
  return lonlat[1].toFixed(4) + "," + lonlat[0].toFixed(4);
}

/** Replace the features of ``kind`` in the page's spot index. */
export function indexSpots(page, kind, features) {
  page.spots = page.spots || {};
  Object.keys(page.spots).forEach((key) => {
    page.spots[key] = page.spots[key].filter((f) => f.properties.kind !== kind);
    if (!page.spots[key].length) { delete page.spots[key]; }
  });
  features.forEach((f) => {
    const key = spotKey(f.geometry.coordinates);
    (page.spots[key] = page.spots[key] || []).push(f);
  });
}

/** The popup for a feature: itself, or everything shown at its spot, itself first. */
export function spotHtml(page, feature) {
  const shown = (page.spots[spotKey(feature.geometry.coordinates)] || [feature]).filter((f) =>
    page.map.hasLayer(page.layers[f.properties.kind]));
  const others = shown.filter((f) => f.properties.id !== feature.properties.id);
  if (!others.length) { return popupHtml(feature, page); }
  return '<div class="fm-spot"><p class="fm-spot-title"><strong>' + esc(page.T.here_together) + " (" +
    (others.length + 1) + ")</strong></p>" + [feature, ...others].map((f) => popupHtml(f, page)).join("<hr>") +
    "</div>";
}
