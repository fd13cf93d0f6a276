/* Find my place: addresses, 町丁目, stations and resources from one box (GET /api/v1/geocode). */
import { esc, fetchJson } from "../util.js";
import { nearest } from "./near.js";
import { openSheet } from "./sheet.js";
import { showFeature } from "./results.js";

function typeLabel(page, place) {
  return place.type === "resource" ? page.kindLabel(place.kind) : page.T["place_" + place.type];
}

/** Go to a chosen place: a resource opens its popup; a point shows its district and what is near. */
function choose(page, place) {
  if (place.feature) { showFeature(page, place.feature); return; }
  page.map.setView([place.lat, place.lon], 16);
  nearest(page, place.lat, place.lon).then(() => {
    document.getElementById("near").open = true;
    // On a phone the panel sits under the map: bring the answer into view, not just its box.
    const answer = document.querySelector("#near-results .fm-district") || document.getElementById("near");
    answer.scrollIntoView({ block: "start" });
  });
}

function placeButton(page, place) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "fm-result";
  button.dataset.placeType = place.type;
  button.innerHTML = "<strong>" + esc(place.label) + "</strong> <small>" + esc(typeLabel(page, place)) +
    "</small>" + (place.address ? "<br><small>" + esc(place.address) + "</small>" : "") +
    (place.level ? '<br><small class="fm-note">' + esc(page.T["place_note_" + place.type]) + "</small>" : "");
  button.addEventListener("click", () => choose(page, place));
  return button;
}

function listPlaces(page, target, places) {
  target.innerHTML = "";
  // The count is said first and takes the focus, so a screen reader hears it and Tab goes on to them.
  const count = document.createElement("h2");
  count.className = "fm-results-count";
  count.tabIndex = -1;
  count.textContent = page.T.results_count.split("{n}").join(String(places.length));
  target.appendChild(count);
  const ol = document.createElement("ol");
  places.forEach((place) => {
    const li = document.createElement("li");
    li.appendChild(placeButton(page, place));
    ol.appendChild(li);
  });
  target.appendChild(ol);
}

export function searchBox(page) {
  const results = document.getElementById("search-results");
  document.getElementById("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = document.getElementById("search-input").value.trim();
    if (!q) { return; }
    const c = page.map.getCenter();  // a kind of place (「福祉避難所」) is ranked from the view
    const near = "&near=" + c.lng.toFixed(5) + "," + c.lat.toFixed(5);
    fetchJson(page.config.api.geocode + "?limit=20&q=" + encodeURIComponent(q) + near).then((data) => {
      if (!data.results.length) { results.textContent = page.T.no_results; return; }
      listPlaces(page, results, data.results);
      if (data.results.length === 1) { choose(page, data.results[0]); return; }
      openSheet();
      results.querySelector(".fm-results-count").focus();
      results.scrollIntoView({ block: "nearest" });
    });
  });
}
