/* Search by name or address. */
import { fetchJson } from "../util.js";
import { listFeatures, showFeature } from "./results.js";

export function searchBox(page) {
  const results = document.getElementById("search-results");
  document.getElementById("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = document.getElementById("search-input").value.trim();
    if (!q) { return; }
    fetchJson(page.config.api.resources + "?limit=20&q=" + encodeURIComponent(q)).then((data) => {
      if (!data.features.length) { results.textContent = page.T.no_results; return; }
      listFeatures(page, results, data.features);
      if (data.features.length === 1) { showFeature(page, data.features[0]); }
    });
  });
}
