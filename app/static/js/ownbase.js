/* A base of our own: rivers, railways and stations from the product's context layers, drawn when
   the background tiles cannot load, so a map without a network still shows where things are. */

/** A station named once beside it (each line's platforms are a feature): it is what people give as where they live. */
function namer(seen) {
  return (feature, layer) => {
    const name = feature.properties.name;
    if (feature.properties.layer !== "station" || !name || seen.has(name)) { return; }
    seen.add(name);
    layer.bindTooltip(name, { permanent: true, direction: "right", className: "fm-station-label" });
  };
}

function stationMarker(feature, latlng) {
  return L.circleMarker(latlng, { radius: 4, weight: 2, fillOpacity: 1, interactive: false });
}

function viewBox(map) {
  const b = map.getBounds().pad(0.5);
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(",");
}

/** Draw the context layers under everything else, and keep them drawn as the view moves. */
export function drawOwnBase(map, url, styles) {
  if (!url || !styles || map.fureaiOwnBase) { return; }
  map.createPane("ownbase").style.zIndex = 250;  // above the (empty) tiles, below areas and places
  map.getContainer().classList.add("fm-own-base");
  const layer = L.geoJSON(null, { pane: "ownbase", interactive: false,
    style: (f) => styles[f.properties.layer] || styles.railway, pointToLayer: stationMarker,
    onEachFeature: (f, l) => layer.namer(f, l) }).addTo(map);
  map.fureaiOwnBase = layer;
  let shown = "";
  const load = () => {
    const box = viewBox(map);
    if (box === shown) { return; }
    shown = box;
    fetch(url + "?bbox=" + box).then((r) => r.json()).then((data) => {
      layer.clearLayers();
      layer.namer = namer(new Set());
      layer.addData((data.features || []).filter((f) => f.properties.layer !== "station" || map.getZoom() >= 13));
      document.body.dataset.ownBase = String(layer.getLayers().length);
    });
  };
  map.on("moveend", load);
  load();
}
