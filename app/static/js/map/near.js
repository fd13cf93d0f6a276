/* Near me: the nearest resources from the browser's location or a chosen point. */
import { fetchJson } from "../util.js";
import { listFeatures } from "./results.js";

function cardLink(page, origin) {
  const link = document.createElement("a");
  link.className = "fm-card";
  link.href = page.config.cardUrl + "?" + new URLSearchParams({ lat: origin[0].toFixed(6), lon: origin[1].toFixed(6),
                                                               pace: document.getElementById("near-pace").value });
  link.textContent = page.T.household_card;
  const line = document.createElement("p");
  line.appendChild(link);
  return line;
}

function districtLine(page, areas) {
  const T = page.T;
  const districts = areas.filter((a) => a.kind === "school_district");
  const line = document.createElement("p");
  line.className = "fm-district";
  line.textContent = districts.length ? T.district_here + ": " + districts.map((d) =>
    d.name + (d.provenance === "approximate" ? " (" + T.approximate + ")" : "")).join("、") : T.no_district;
  districts.forEach((d) => {
    const link = document.createElement("a");
    link.className = "fm-print";
    link.href = page.config.printUrl + "?" + new URLSearchParams({ area_kind: "school_district", area: d.code });
    link.textContent = " " + T.print_map;
    link.target = "_blank";
    line.appendChild(link);
    const profile = document.createElement("a");
    profile.className = "fm-profile";
    profile.href = page.config.districtsUrl + "/" + encodeURIComponent(d.code);
    profile.textContent = " " + T.district_profile;
    line.appendChild(profile);
  });
  return line;
}

function showNear(page, origin, near, areas) {
  const T = page.T;
  const target = document.getElementById("near-results");
  listFeatures(page, target, near.results.map((r) =>
    ({ type: "Feature", geometry: r.geometry, properties: r.properties, distance: r })),
  (f) => ' <span class="fm-distance">' + Math.round(f.distance.distance_m) + " " + T.metres +
    " · " + f.distance.walk_minutes + " " + T.minutes + "</span>");
  target.insertBefore(districtLine(page, areas), target.firstChild);
  target.appendChild(cardLink(page, origin));
  const note = document.createElement("p");
  note.className = "fm-note";
  note.textContent = T.walk_note + " (" + near.walking.pace_m_per_min + " m/min)";
  target.appendChild(note);
  near.results.forEach((r) => {
    const c = r.geometry.coordinates;
    L.polyline([origin, [c[1], c[0]]], { color: "#000", weight: 1, dashArray: "3 4" }).addTo(page.origin);
  });
}

/** Look up the nearest resources of the chosen kind and pace from (lat, lon). */
export function nearest(page, lat, lon) {
  page.origin.clearLayers();
  L.circleMarker([lat, lon], { radius: 8, color: "#000", weight: 3, fillColor: page.config.symbology.whatIf,
                               fillOpacity: 1 }).addTo(page.origin);
  const kind = document.getElementById("near-kind").value;
  const pace = document.getElementById("near-pace").value;
  const q = "?lat=" + lat.toFixed(6) + "&lon=" + lon.toFixed(6);
  return Promise.all([
    fetchJson(page.config.api.nearest + q + "&n=5&kind=" + kind + "&pace=" + pace),
    fetchJson(page.config.api.areasAt + q)
  ]).then(([near, at]) => showNear(page, [lat, lon], near, at.areas));
}

export function nearControls(page) {
  const results = document.getElementById("near-results");
  document.getElementById("near-locate").addEventListener("click", () => {
    if (!navigator.geolocation) { return; }
    navigator.geolocation.getCurrentPosition((pos) => {
      page.map.setView([pos.coords.latitude, pos.coords.longitude], 16);
      nearest(page, pos.coords.latitude, pos.coords.longitude);
    }, (err) => { results.textContent = err.message; });
  });
  const pick = document.getElementById("near-pick");
  pick.addEventListener("click", () => {
    page.state.pick = !page.state.pick;
    pick.setAttribute("aria-pressed", String(page.state.pick));
    page.map.getContainer().classList.toggle("fm-picking", page.state.pick);
  });
  page.map.on("click", (e) => { if (page.state.pick) { nearest(page, e.latlng.lat, e.latlng.lng); } });
}
