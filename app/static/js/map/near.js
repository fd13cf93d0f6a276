/* Near me: the nearest resources from the browser's location or a chosen point. */
import { fetchJson } from "../util.js";
import { updateLinks } from "./permalink.js";
import { listFeatures } from "./results.js";
import { keepInSight, openSheet } from "./sheet.js";

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

function fill(text, values) {
  return Object.keys(values).reduce((out, key) => out.split("{" + key + "}").join(values[key]), text);
}

/** 「この場所の危険」: the hazard areas the point is in first; hazards the map lacks said once. */
function riskBlock(page, risks) {
  const T = page.T;
  const block = document.createElement("section");
  block.className = "fm-risk";
  const heading = document.createElement("h3");
  heading.textContent = T.risk_here;
  block.appendChild(heading);
  const unknown = risks.filter((r) => r.inside === null).map((r) => page.hazardLabel(r.hazard));
  const lines = risks.filter((r) => r.inside !== null).map((r) => ({ inside: r.inside,
    text: fill(r.inside ? T.risk_inside : T.risk_outside, { hazard: page.hazardLabel(r.hazard), source: r.source }) }));
  if (unknown.length) { lines.push({ inside: false, text: fill(T.risk_unknown, { hazard: unknown.join("・") }) }); }
  lines.forEach((line) => {
    const p = document.createElement("p");
    p.textContent = line.text;
    if (line.inside) { p.className = "fm-risk-inside"; }
    block.appendChild(p);
  });
  return block;
}

/** Why no place is offered: none within the walk (naming the nearest farther one), or no list. */
function noneNear(page, near) {
  const T = page.T;
  const line = document.createElement("p");
  line.className = "fm-note fm-none-near";
  if (near.note === "この市の一覧はまだ入っていません") {
    line.textContent = T.near_no_list;
  } else {
    line.textContent = fill(T.near_none_within, { minutes: near.limit_minutes }) + (near.beyond
      ? " " + fill(T.near_nearest_far, { name: near.beyond.properties.name,
                                           minutes: Math.round(near.beyond.walk_minutes) }) : "");
  }
  return line;
}

function showNear(page, origin, near, areas) {
  const T = page.T;
  const target = document.getElementById("near-results");
  listFeatures(page, target, near.results.map((r) =>
    ({ type: "Feature", geometry: r.geometry, properties: r.properties, distance: r })),
  (f) => ' <span class="fm-distance">' + Math.round(f.distance.distance_m / 10) * 10 + " " + T.metres +
    " · " + Math.max(1, Math.round(f.distance.walk_minutes)) + " " + T.minutes + "</span>");
  if (!near.results.length) { target.appendChild(noneNear(page, near)); }
  if (near.hazard) {
    const only = document.createElement("p");
    only.className = "fm-note";
    only.textContent = fill(T.near_for_hazard, { hazard: page.hazardLabel(near.hazard) });
    target.insertBefore(only, target.firstChild);
  }
  target.insertBefore(districtLine(page, areas), target.firstChild);
  target.insertBefore(riskBlock(page, near.risks || []), target.firstChild);
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

/**
 * Look up the nearest resources of the chosen kind and pace from (lat, lon). The point goes into
 * the permalink (so switching language keeps the answer) unless it is the device's own position.
 */
export function nearest(page, lat, lon, shared = true) {
  page.origin.clearLayers();
  L.circleMarker([lat, lon], { radius: 8, color: "#000", weight: 3, fillColor: page.config.symbology.whatIf,
                               fillOpacity: 1 }).addTo(page.origin);
  page.state.origin = [lat, lon];
  page.state.originShared = shared;
  const kind = document.getElementById("near-kind").value;
  const pace = document.getElementById("near-pace").value;
  const q = "?lat=" + lat.toFixed(6) + "&lon=" + lon.toFixed(6);
  // An emergency site is asked for the chosen hazard: one not designated for it is never offered.
  const hazard = kind === "emergency_site" && page.state.hazard ? "&hazard=" + page.state.hazard : "";
  // Only the latest question is answered (a slow earlier one never overwrites it), and the
  // results are busy until then: a screen reader (and a test) waits for this answer.
  const asked = (page.state.asked || 0) + 1;
  page.state.asked = asked;
  const results = document.getElementById("near-results");
  results.setAttribute("aria-busy", "true");
  return Promise.all([
    fetchJson(page.config.api.nearest + q + "&n=5&kind=" + kind + "&pace=" + pace + hazard),
    fetchJson(page.config.api.areasAt + q)
  ]).then(([near, at]) => {
    if (asked !== page.state.asked) { return; }
    showNear(page, [lat, lon], near, at.areas);
    openSheet();  // on a phone the answer is read in the sheet, opened over the map
    keepInSight(page.map, [lat, lon]);
    updateLinks(page);
  }).finally(() => { if (asked === page.state.asked) { results.setAttribute("aria-busy", "false"); } });
}

export function nearControls(page) {
  const results = document.getElementById("near-results");
  document.getElementById("near-locate").addEventListener("click", () => {
    if (!navigator.geolocation) { return; }
    navigator.geolocation.getCurrentPosition((pos) => {
      page.map.setView([pos.coords.latitude, pos.coords.longitude], 16);
      nearest(page, pos.coords.latitude, pos.coords.longitude, false);
    }, (err) => { results.textContent = err.message; });
  });
  const pick = document.getElementById("near-pick");
  pick.addEventListener("click", () => {
    page.state.pick = !page.state.pick;
    pick.setAttribute("aria-pressed", String(page.state.pick));
    page.map.getContainer().classList.toggle("fm-picking", page.state.pick);
  });
  page.map.on("click", (e) => { if (page.state.pick) { nearest(page, e.latlng.lat, e.latlng.lng); } });
  // Any change of what is asked re-runs the search from the same point.
  ["near-kind", "near-pace", "hazard-filter"].forEach((id) => {
    document.getElementById(id).addEventListener("change", () => { rerun(page); });
  });
}

/** The last search again, after its kind, pace or hazard changed. */
export function rerun(page) {
  if (page.state.origin) { nearest(page, page.state.origin[0], page.state.origin[1], page.state.originShared); }
}

/** The answer a permalink asks for (``near=lat,lon``, its kind and pace), as it was before a reload. */
export function nearFromLink(page) {
  const asked = new URLSearchParams(location.search);
  const point = (asked.get("near") || "").split(",").map(Number);
  if (point.length !== 2 || point.some((v) => !Number.isFinite(v))) { return; }
  [["near-kind", asked.get("near_kind")], ["near-pace", asked.get("pace")]].forEach(([id, value]) => {
    const select = document.getElementById(id);
    if (value && Array.from(select.options).some((o) => o.value === value)) { select.value = value; }
  });
  document.getElementById("near").open = true;
  nearest(page, point[0], point[1]);
}
