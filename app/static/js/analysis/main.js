/* The planner's page: per question, a choropleth per area and its table; salons with gap units,
   suggestions and what-ifs, shelters with reach per kind, or each shelter's people against its room. */
import { esc, fetchJson, onBoot } from "../util.js";
import { colourFor } from "./colours.js";
import { drawFacilities } from "./facilities.js";
import { legend, suggestions, summary, table } from "./panel.js";
import { asShares, capacitySummary, capacityTable, drawShelters, reachSummary, reachTable } from "./reach.js";

function query(page) {
  const f = page.form;
  const config = page.config;
  const q = new URLSearchParams({ area_kind: f.areaKind.value, city: f.city.value, minutes: f.minutes.value,
                                  pace: f.pace.value, lang: config.lang });
  if (f.kind) { q.set("kind", f.kind.value); }
  if (f.target && f.target.value) { q.set("target", f.target.value); }  // the people and the places for them
  if (f.hazard && f.hazard.value) { q.set("hazard", f.hazard.value); }  // emergency sites designated for it
  if (config.measure) { q.set("measure", config.measure); }
  if (page.state.add.length) {
    q.set("add", page.state.add.map((p) => p[0].toFixed(6) + "," + p[1].toFixed(6)).join(";"));
  }
  if (page.state.remove.length) { q.set("remove", page.state.remove.join(",")); }
  return q;
}

function areas(page) {
  const key = page.form.areaKind.value + ":" + page.form.city.value;
  if (!page.areasCache[key]) {
    page.areasCache[key] = fetchJson(page.config.api.areas + "?kind=" + page.form.areaKind.value + "&city=" +
      page.form.city.value + "&limit=2000");
  }
  return page.areasCache[key];
}

function drawResult(page, result, areaData) {
  const byCode = {};
  result.areas.forEach((a) => { byCode[a.area_code] = a; });
  page.choropleth.clearLayers();
  areaData.features.forEach((f) => { f.properties.result = byCode[f.properties.code]; page.choropleth.addData(f); });
  page.choropleth.eachLayer((l) => {
    const r = l.feature.properties.result;
    l.bindTooltip(esc(l.feature.properties.name) + ": " + (r ? r.pct_covered + "%" : "–"));
  });
  page.gaps.clearLayers();
  result.gaps.forEach((g) => {
    L.circleMarker([g.lat, g.lon], { radius: Math.max(2, Math.min(10, Math.sqrt(g.people) / 2)), weight: 0,
      fillColor: page.config.symbology.gap, fillOpacity: 0.55, interactive: false }).addTo(page.gaps);
  });
}

/** The map shows the city whose figures are drawn: moved once each time another city is chosen. */
function followCity(page) {
  const city = page.form.city.value;
  if (page.state.shownCity === city || !page.choropleth.getLayers().length) { return; }
  page.map.fitBounds(page.choropleth.getBounds(), { padding: [12, 12] });
  page.state.shownCity = city;
}

/** The file of the table on screen: the same question, as a spreadsheet opens it. */
function csvLink(page, q) {
  const config = page.config;
  document.getElementById("a-csv").href = config.api[config.analysis] + "?" + q + "&format=csv" +
    (config.question === "capacity" ? "&table=shelters" : "");
}

function computeCoverage(page, q, latest) {
  return Promise.all([fetchJson(page.config.api.coverage + "?" + q),
                      fetchJson(page.config.api.suggest + "?" + q + "&k=3"), areas(page), drawFacilities(page)])
    .then(([result, suggested, areaData]) => {
      if (!latest()) { return; }
      if (result.error) { document.getElementById("a-summary").textContent = result.error; return; }
      drawResult(page, result, areaData);
      followCity(page);
      suggestions(page, suggested.picks);
      summary(page, result);
      table(page, result);
      document.body.dataset.covered = String(result.totals.covered);
    });
}

function computeReach(page, q, latest) {
  const layer = page.form.layer ? page.form.layer.value : "shelter";
  // On the capacity question the shelters are drawn from the answer, sized by the people nearest.
  const sites = page.config.question === "capacity" ? null : drawFacilities(page);
  return Promise.all([fetchJson(page.config.api.reach + "?" + q), areas(page), sites])
    .then(([result, areaData]) => {
      if (!latest()) { return; }
      if (result.error) { document.getElementById("a-summary").textContent = result.error; return; }
      drawResult(page, asShares(result, layer), areaData);
      legend(page, page.T["reach_" + layer]);
      followCity(page);
      if (page.config.question === "capacity") {
        drawShelters(page, result); capacitySummary(page, result); capacityTable(page, result);
      } else {
        reachSummary(page, result); reachTable(page, result);
      }
      document.body.dataset.covered = String(result.layers[layer].covered);
    });
}

/** Only the latest question's answer is drawn: a slower earlier one never overwrites it. */
function compute(page) {
  document.body.dataset.analysis = "running";
  const asked = (page.state.asked || 0) + 1;
  page.state.asked = asked;
  const latest = () => asked === page.state.asked;
  const q = query(page).toString();
  csvLink(page, q);
  const answer = page.config.analysis === "reach" ? computeReach(page, q, latest) : computeCoverage(page, q, latest);
  return answer.then(() => { if (latest()) { document.body.dataset.analysis = "done"; } });
}

function layersOf(map, control, config) {
  const T = config.strings;
  // Below the default overlay pane, so salons and gap units stay visible on top of the fill.
  map.createPane("choropleth").style.zIndex = 350;
  const choropleth = L.geoJSON(null, { pane: "choropleth", style: (f) => ({ color: "#333", weight: 1,
    fillOpacity: 0.65, fillColor: colourFor(config.symbology, f.properties.result && f.properties.result.pct_covered) }) });
  const layers = { choropleth, gaps: L.layerGroup(), facilities: L.layerGroup(), suggestions: L.layerGroup() };
  Object.values(layers).forEach((l) => l.addTo(map));
  control.addOverlay(choropleth, esc(T.pct_covered));
  control.addOverlay(layers.gaps, esc(T.gaps));
  control.addOverlay(layers.facilities, esc(T.looking_for));
  control.addOverlay(layers.suggestions, esc(T.suggestions));
  return layers;
}

/** On a phone the conditions fold under one button, so that the map and the answer get the room. */
function foldConditions() {
  const toggle = document.getElementById("a-conditions");
  const form = document.getElementById("analysis-form");
  const fold = (folded) => {
    form.classList.toggle("fm-folded", folded);
    toggle.setAttribute("aria-expanded", String(!folded));
  };
  fold(window.matchMedia("(max-width: 700px)").matches);
  toggle.addEventListener("click", () => fold(!form.classList.contains("fm-folded")));
}

/** Picking what-if sites and leaving salons out: the salon question only. */
function whatIfs(page) {
  const add = document.getElementById("a-add");
  if (!add) { return; }
  add.addEventListener("click", () => {
    page.state.picking = !page.state.picking;
    add.setAttribute("aria-pressed", String(page.state.picking));
    page.map.getContainer().classList.toggle("fm-picking", page.state.picking);
  });
  document.getElementById("a-reset").addEventListener("click", () => {
    page.state.add = []; page.state.remove = []; page.compute();
  });
  page.map.on("click", (e) => {
    if (!page.state.picking) { return; }
    page.state.add.push([e.latlng.lng, e.latlng.lat]);
    page.compute();
  });
}

function controls(page) {
  foldConditions();
  document.getElementById("analysis-form").addEventListener("submit", (e) => { e.preventDefault(); page.compute(); });
  document.getElementById("a-print").addEventListener("click", () => window.print());
  page.form.city.addEventListener("change", () => {
    page.state.add = []; page.state.remove = [];
    const sheets = document.getElementById("a-sheets");
    sheets.href = sheets.href.replace(/city=\d+/, "city=" + page.form.city.value);
    page.compute();
  });
  page.form.areaKind.addEventListener("change", () => {
    const sheets = document.getElementById("a-sheets");
    sheets.href = sheets.href.replace(/\/areas\/[^?]+/, "/areas/" + page.form.areaKind.value);
  });
  if (page.form.layer) { page.form.layer.addEventListener("change", () => page.compute()); }
  whatIfs(page);
}

function start(map, control, config) {
  const byId = (id) => document.getElementById(id);
  const page = Object.assign({ map, config, T: config.strings, areasCache: {},
    state: { add: [], remove: [], picking: false, shownCity: config.city },  // the page opens on its city
    form: { city: byId("a-city"), kind: byId("a-kind"), areaKind: byId("a-area-kind"), minutes: byId("a-minutes"),
            pace: byId("a-pace"), target: byId("a-target"), hazard: byId("a-hazard"), layer: byId("a-layer") } },
  layersOf(map, control, config));
  page.compute = () => compute(page);
  controls(page);
  legend(page);
  window.fureaiAnalysisState = page.state;
  window.fureaiAnalysisMap = map;
  page.compute();
}

onBoot("analysis", start);
