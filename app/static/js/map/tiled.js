/* A layer with more places than a view's GeoJSON holds, drawn from vector tiles (OGC API – Tiles). */
import { popupHtml } from "./popups.js";

const PLACEHOLDER = "999999999";

// VectorGrid 1.3 marks a click on a dot as handled with L.DomEvent.fakeStop, which Leaflet 1.8
// removed; without it a click on a dot throws. It did this, and Leaflet 1.9's map still reads it.
if (window.L && !L.DomEvent.fakeStop) { L.DomEvent.fakeStop = (e) => { e._stopped = true; }; }

/** The tile URL of kind k, with the hazard chosen on the page when the layer is filtered by one. */
function tileUrl(page, kind) {
  return kind.tiles + (kind.id === "emergency_site" && page.state.hazard ? "?hazard=" + page.state.hazard : "");
}

/** A click on a tiled place reads the whole place (a tile carries its name only) and opens its popup. */
function openPlace(page, e) {
  const id = e.layer.properties.fm_id;
  if (page.state.pick || id === undefined) { return; }
  const where = e.latlng || page.map.mouseEventToLatLng(e.originalEvent);  // VectorGrid's canvas gives none
  fetch(page.config.placeUrl.replace(PLACEHOLDER, id), { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
    .then((feature) => {
      L.popup({ maxWidth: 320, maxHeight: 360 }).setLatLng(where).setContent(popupHtml(feature, page))
        .openOn(page.map);
    })
    .catch(() => { L.popup().setLatLng(where).setContent(page.T.place_failed).openOn(page.map); });
}

/** The tiled layer of kind k: each place a dot of the kind's colour; every place at any zoom. */
export function tiledLayer(page, kind) {
  // Radius above 10: Leaflet takes a smaller circle for a marker and asks it for a position that
  // VectorGrid's dots do not keep. 11 px (22 px across) is also a finger's target, as the markers are.
  const dot = { radius: 11, weight: 2, color: page.config.symbology.dotRing, fill: true,
                fillColor: kind.colour, fillOpacity: 1 };
  const layer = L.vectorGrid.protobuf(tileUrl(page, kind), {
    rendererFactory: L.canvas.tile, interactive: true, minNativeZoom: 8, maxNativeZoom: 18,
    vectorTileLayerStyles: { [kind.id]: dot },
    // The tile's feature id is the place's: kept on its properties, which a click hands over.
    getFeatureId: (f) => { f.properties.fm_id = f.id; return f.id; }
  });
  layer.fmTiled = true;
  layer.fmUrl = tileUrl(page, kind);
  layer.on("click", (e) => openPlace(page, e));
  layer.on("load", () => { document.body.dataset["loaded_" + kind.id] = "tiles"; });
  return layer;
}

/** Draw the tiled layer of kind k again, for the hazard now chosen. */
export function refreshTiled(page, kind) {
  const layer = page.layers[kind.id];
  const url = tileUrl(page, kind);
  if (layer.fmUrl !== url) { layer.fmUrl = url; layer.setUrl(url); }  // a move needs no new tiles: Leaflet asks
  return Promise.resolve();
}
