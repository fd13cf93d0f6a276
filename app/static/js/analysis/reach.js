/* The shelter questions: who can walk to each kind of shelter (per area), and each shelter's people against its room. */
import { esc, num } from "../util.js";
import { limitsHtml, modelLine } from "./panel.js";

/** The reach answer's areas as the choropleth reads them: the share of the layer chosen. */
export function asShares(result, layer) {
  return { areas: result.areas.map((a) => Object.assign({}, a, { pct_covered: a["pct_" + layer] })), gaps: [] };
}

/** Per layer: how many of how many can walk there; unknown where a city's list is missing. */
export function reachSummary(page, result) {
  const T = page.T;
  const lines = page.config.reachLayers.map((name) => {
    const layer = result.layers[name];
    const pct = layer.pct_covered === null || layer.pct_covered === undefined ? esc(T.no_data) : layer.pct_covered + "%";
    const unknown = layer.unknown_areas ? " · " + esc(T.unknown_areas.replace("{n}", layer.unknown_areas)) : "";
    return "<li>" + esc(T["col_" + name]) + ": " + num(layer.covered) + " / " + num(layer.population) +
      " (" + pct + ")" + unknown + "</li>";
  });
  document.getElementById("a-summary").innerHTML = "<ul class=\"fm-reach\">" + lines.join("") + "</ul>" +
    modelLine(page, result) + limitsHtml(page, result);
}

function areaCell(page, a) {
  const href = "/areas/" + encodeURIComponent(page.form.areaKind.value) + "/" + encodeURIComponent(a.area_code) +
    "?lang=" + encodeURIComponent(page.config.lang);
  return '<th scope="row"><a href="' + esc(href) + '">' + esc(a.area_name) + "</a></th>";
}

function pctCell(page, value) {
  return "<td>" + (value === null || value === undefined ? esc(page.T.no_data) : value.toFixed(1)) + "</td>";
}

/** One row per area: its people and its share for each kind of shelter, linked to its district sheet. */
export function reachTable(page, result) {
  document.querySelector("#a-table tbody").innerHTML = result.areas.map((a) => "<tr>" + areaCell(page, a) +
    "<td>" + num(a.population) + "</td>" +
    page.config.reachLayers.map((name) => pctCell(page, a["pct_" + name])).join("") + "</tr>").join("");
}

function cityCapacity(page, row) {
  const T = page.T;
  const ratio = row.demand_per_place === null ? "–" : row.demand_per_place.toFixed(2);
  return "<li>" + esc(T.city_capacity.replace("{city}", row.city).replace("{capacity}", num(row.capacity))
    .replace("{basis}", row.basis).replace("{as_of}", row.as_of || "—").replace("{people}", num(row.demand))
    .replace("{ratio}", ratio)) + "</li>";
}

/** How many shelters have a known room, and what the city published when none has. */
export function capacitySummary(page, result) {
  const T = page.T;
  const c = result.catchments;
  const all = c.capacity_known + c.capacity_unknown;
  let html = "<p><strong>" + esc(T.capacity_known.replace("{known}", c.capacity_known).replace("{all}", all)) +
    "</strong></p>";
  if (!c.capacity_known) { html += '<p class="fm-note">' + esc(T.capacity_none_known) + "</p>"; }
  if ((result.city_capacity || []).length) {
    html += "<ul>" + result.city_capacity.map((row) => cityCapacity(page, row)).join("") + "</ul>";
  }
  document.getElementById("a-summary").innerHTML = html + modelLine(page, result) + limitsHtml(page, result);
}

/** The residents' map at the shelter, as a planner checks where it is and what is around it. */
function onTheMap(page, s) {
  return "/?lat=" + s.lat + "&lon=" + s.lon + "&z=17&city=" + encodeURIComponent(s.city_code || page.form.city.value) +
    "&lang=" + encodeURIComponent(page.config.lang);
}

/** One row per shelter, most people first: who is nearest to it, how many can walk, and its room. */
export function capacityTable(page, result) {
  const T = page.T;
  document.querySelector("#a-table tbody").innerHTML = result.catchments.shelters.map((s) =>
    '<tr><th scope="row"><a href="' + esc(onTheMap(page, s)) + '">' + esc(s.name) + "</a></th><td>" + num(s.assigned) + "</td><td>" +
    num(s.assigned_within_limit) + "</td><td>" + (s.capacity === null ? esc(T.capacity_unknown) : num(s.capacity)) +
    "</td><td>" + (s.load_ratio === null ? "–" : s.load_ratio.toFixed(2)) + "</td></tr>").join("");
}

/** The shelters on the map, sized by the people nearest to them, grey where the room is unknown. */
export function drawShelters(page, result) {
  const sym = page.config.symbology;
  page.gaps.clearLayers();
  page.facilities.clearLayers();
  result.catchments.shelters.forEach((s) => {
    const full = s.load_ratio !== null && s.load_ratio > 1;
    L.circleMarker([s.lat, s.lon], { radius: Math.max(4, Math.min(16, Math.sqrt(s.assigned) / 8)), weight: 1,
      color: "#000", fillOpacity: 0.7,
      fillColor: s.capacity === null ? sym.noValue : (full ? sym.gap : sym.resources.shelter.colour) })
      .bindTooltip(esc(s.name) + ": " + num(s.assigned) + " / " + (s.capacity === null ? esc(page.T.capacity_unknown) : num(s.capacity)))
      .addTo(page.facilities);
  });
}
