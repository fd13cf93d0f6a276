/* Permalink: centre, zoom, layers, base map, language and hazard filter stay in the URL. */

function activeIds(page) {
  return Object.keys(page.layers).filter((id) => page.map.hasLayer(page.layers[id]));
}

function baseId(page) {
  const bases = page.config.baseLayers;
  return Object.keys(bases).filter((id) => page.map.hasLayer(window[bases[id]]))[0] || "";
}

function stateParams(page, lang) {
  const c = page.map.getCenter();
  const q = new URLSearchParams({ lang: lang, lat: c.lat.toFixed(5), lon: c.lng.toFixed(5),
                                  z: String(page.map.getZoom()), layers: activeIds(page).join(","),
                                  base: baseId(page) });
  if (page.config.city) { q.set("city", page.config.city); }
  if (page.state.hazard) { q.set("hazard", page.state.hazard); }
  if (page.state.origin && page.state.originShared) {  // the answer on screen: a chosen point, not "here"
    q.set("near", page.state.origin.map((v) => v.toFixed(5)).join(","));
    q.set("near_kind", document.getElementById("near-kind").value);
    q.set("pace", document.getElementById("near-pace").value);
  }
  return q;
}

/** Write the view into the address bar, the language switch and the list link. */
export function updateLinks(page) {
  const config = page.config;
  history.replaceState(null, "", "?" + stateParams(page, config.lang).toString());
  document.querySelectorAll(".lang-link").forEach((link) => {
    link.href = "?" + stateParams(page, link.dataset.lang).toString();
  });
  const b = page.map.getBounds();
  const list = new URLSearchParams({ lang: config.lang, layers: activeIds(page).join(","),
    bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(",") });
  const listLink = document.getElementById("list-link");  // not in the embedded map
  if (listLink) { listLink.href = config.listUrl + "?" + list.toString(); }
}
