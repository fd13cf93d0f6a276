/* The workspace form's small map: drag the marker (or click) to set the coordinates. */

function pickMap() {
  const lat = document.getElementById("lat");
  const lon = document.getElementById("lon");
  const holder = document.getElementById("pick-map");
  if (!lat || !lon || !holder) { return; }
  const start = [Number(lat.value) || 35.70, Number(lon.value) || 139.48];
  const map = L.map(holder).setView(start, lat.value ? 16 : 13);
  L.tileLayer(holder.dataset.tiles, { attribution: holder.dataset.attribution }).addTo(map);
  const marker = L.marker(start, { draggable: true, keyboard: true, title: "drag" }).addTo(map);
  const write = (p) => { lat.value = p.lat.toFixed(6); lon.value = p.lng.toFixed(6); };
  marker.on("dragend", () => write(marker.getLatLng()));
  map.on("click", (e) => { marker.setLatLng(e.latlng); write(e.latlng); });
}

pickMap();
