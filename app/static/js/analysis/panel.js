/* The side panel: summary with the what-if change, suggestions, and the table per area. */
import { esc, num } from "../util.js";

/** The people counted, the walking model and the limit, in one small line. */
export function modelLine(page, result) {
  const w = result.walking;
  return "<small>" + esc(result.demand.label) + " · " + esc(page.T["model_" + w.model] || w.model) + ", " +
    esc(w.pace_m_per_min) + " m/min" + (w.detour_factor ? " × " + esc(w.detour_factor) : "") + " · " +
    Math.round(result.parameters.limit_walk_m) + " m</small>";
}

/** What the answer cannot tell, each in the page's language; ``more`` lines after them. */
export function limitsHtml(page, result, more = []) {
  const lines = (result.data_limits || []).map(esc).concat(more);
  if (!lines.length) { return ""; }
  return '<div class="fm-limits"><strong>' + esc(page.T.data_limits) + "</strong><ul>" +
    lines.map((line) => "<li>" + line + "</li>").join("") + "</ul></div>";
}

export function summary(page, result) {
  const T = page.T;
  const t = result.totals;
  const pct = t.pct_covered === null ? esc(T.no_data) : esc(t.pct_covered) + "%";
  let html = "<p><strong>" + esc(T.covered) + ": " + num(t.covered) + " / " + num(t.population) +
    " (" + pct + ")</strong><br>" + modelLine(page, result) + "</p>";
  const hidden = result.resources ? result.resources.private_not_shown : 0;
  html += limitsHtml(page, result, hidden ? [esc(hidden) + " " + esc(T.private_not_shown)] : []);
  if (result.baseline) {
    const delta = t.covered - result.baseline.covered;
    html += '<p class="fm-change">' + esc(T.change) + ": " + (delta >= 0 ? "+" : "") + num(delta) + "</p>";
  }
  document.getElementById("a-summary").innerHTML = html;
}

/** The choropleth's classes, and the colour of areas whose share cannot be known. */
export function legend(page, title) {
  const T = page.T;
  const sym = page.config.symbology;
  let low = 0;
  const items = sym.coverageClasses.map(([upper, colour]) => {
    const item = '<li><span class="fm-swatch" style="background:' + colour + '"></span> ' + low + "–" +
      Math.min(upper, 100) + "%</li>";
    low = upper;
    return item;
  });
  items.push('<li><span class="fm-swatch" style="background:' + sym.noValue + '"></span> ' + esc(T.no_data) + "</li>");
  document.getElementById("a-legend").innerHTML = "<h2>" + esc(title || T.pct_covered) + "</h2><ul class=\"legend\">" +
    items.join("") + "</ul>";
}

export function table(page, result) {
  const T = page.T;
  document.querySelector("#a-table tbody").innerHTML = result.areas.map((a) =>
    '<tr><th scope="row">' + esc(a.area_name) + "</th><td>" + num(a.population) + "</td><td>" +
    num(a.not_covered) + "</td><td>" + (a.pct_covered === null ? "— " + esc(T.no_data) : a.pct_covered.toFixed(1)) +
    "</td><td>" + num(a.median_walk_m) + " m</td></tr>").join("");
}

export function suggestions(page, picks) {
  page.suggestions.clearLayers();
  const list = document.getElementById("a-suggestions");
  list.innerHTML = "";
  (picks || []).forEach((p) => {
    L.marker([p.lat, p.lon], { icon: L.divIcon({ className: "fm-marker fm-shape-square",
      html: '<span style="background:' + page.config.symbology.suggestion + '">' + p.rank + "</span>",
      iconSize: [28, 28] }), title: p.name }).addTo(page.suggestions);
    const li = document.createElement("li");
    li.textContent = p.name + " — " + page.T.gain + " +" + num(p.gain);
    list.appendChild(li);
  });
}
