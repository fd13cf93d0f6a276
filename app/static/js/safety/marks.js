/* 安否 on the board's map: one label per 町丁目 (its point, never a home) with its people counted by
   status; a 町丁目 with anyone unconfirmed is outlined in the unconfirmed colour and says so in words. */
import { esc } from "../util.js";

function label(entry, words, colours) {
  const parts = Object.keys(words).filter((k) => entry.counts[k]).map((k) =>
    '<span style="border-left:6px solid ' + colours[k] + '">' + esc(words[k]) + " " + entry.counts[k] + "</span>");
  const open = entry.counts.unconfirmed ? " fm-mark-open" : "";
  return L.divIcon({ className: "fm-mark-label" + open, iconSize: null,
    html: "<strong>" + esc(entry.chome) + "</strong>" + parts.join("") });
}

function marksMap() {
  const holder = document.getElementById("marks-map");
  const data = document.getElementById("marks-data");
  if (!holder || !data) { return; }
  const found = JSON.parse(data.textContent);
  const map = L.map(holder, { scrollWheelZoom: false });
  L.tileLayer(holder.dataset.tiles, { attribution: holder.dataset.attribution }).addTo(map);
  const points = found.marks.map((e) => L.marker([e.lat, e.lon], {
    icon: label(e, found.words, found.colours), title: e.chome, keyboard: false }).addTo(map));
  if (points.length) {
    map.fitBounds(L.featureGroup(points).getBounds().pad(0.2));
  } else {
    map.setView([35.70, 139.48], 13);
  }
  holder.dataset.drawn = String(points.length);
}

marksMap();
