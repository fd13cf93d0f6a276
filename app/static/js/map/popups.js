/* Markers and popups of resources: symbol, colour and shape come from the page's symbology. */
import { esc } from "../util.js";

const CAPACITY_KINDS = ["salon", "hub", "shelter", "emergency_site"];

export function markerIcon(kind) {
  return L.divIcon({
    className: "fm-marker fm-shape-" + kind.shape,
    html: '<span style="background:' + kind.colour + ";--c:" + kind.colour + '">' + esc(kind.symbol) + "</span>",
    iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -12]
  });
}

function row(label, value) {
  return value === "" || value === null || value === undefined ? "" :
    '<tr><th scope="row">' + esc(label) + "</th><td>" + value + "</td></tr>";
}

function hazardsCell(p, ctx) {
  return (p.hazards || []).map((h) => '<span class="fm-hazard">' + esc(ctx.hazardLabel(h)) + "</span>")
    .join(" ") || esc(ctx.T.unknown);
}

/** The place's own capacity, else the council list's with its date, else unknown. */
function capacityCell(p, T) {
  if (p.capacity !== null && p.capacity !== undefined) { return esc(p.capacity); }
  if (p.listed_capacity === null || p.listed_capacity === undefined) { return esc(T.unknown); }
  const asOf = p.listed_capacity_as_of ? "、" + esc(p.listed_capacity_as_of) : "";
  return esc(p.listed_capacity) + " (" + esc(T.capacity_listed) + asOf + ")";
}

/** 段差なし入口: あり / なし / 不明, each feature said (unknown is never shown as なし). */
function accessCell(p, words) {
  return Object.keys(words.access).map((k) => {
    const v = p.access[k];
    const answer = v === true ? "true" : v === false ? "false" : "none";
    return '<span class="fm-access fm-access-' + answer + '">' + esc(words.access[k]) + ": " +
      esc(words.answers[answer]) + "</span>";
  }).join("<br>");
}

/** The popup of one resource feature; ctx gives strings (T), kindLabel and hazardLabel. */
export function popupHtml(feature, ctx) {
  const p = feature.properties;
  const a = p.attributes || {};
  const T = ctx.T;
  let html = '<div class="fm-popup" data-id="' + p.id + '"><h3>' + esc(p.name) + "</h3>" +
    '<p class="fm-popup-kind">' + esc(ctx.kindLabel(p.kind)) + "</p><table>";
  const words = ctx.config.vocabulary;
  html += row(T.venue, esc(a.venue_name));
  html += row(T.address, p.address ? esc(p.address) : a.venue_address ?
    esc(a.venue_address) + " <small>(" + esc(T.venue_address) + ")</small>" : "");
  html += row(T.category, esc(words.categories[p.category] || ""));
  html += row(T.targets, (p.targets || []).map((t) => esc(words.targets[t] || t)).join("、"));
  html += row(T.equipment, (a.equipment_kinds || []).map((e) => esc(words.equipment[e] || e)).join("、"));
  html += row(T.schedule, esc(a.schedule));
  html += row(T.target_group, esc(a.target_group));
  if (CAPACITY_KINDS.indexOf(p.kind) >= 0) { html += row(T.capacity, capacityCell(p, T)); }
  if (p.programme) {
    html += row(T.programme, esc(p.programme.name));
    html += row(T.programme_rules, esc(p.programme.rules));
  }
  if (p.kind === "emergency_site") { html += row(T.hazards, hazardsCell(p, ctx)); }
  if (p.access) { html += row(T.access, accessCell(p, words)); }
  if (p.welfare_shelter) {  // who it is for, never a bare tick: a nursery is not an older person's shelter
    html += row(T.welfare_shelter, (p.targets || []).map((t) => esc(words.targets[t] || t)).join("・") || "✓");
  }
  if (p.freshness === "stale") { html += row(T.as_of, esc(T.stale_info.replace("{}", p.as_of_year))); }
  if (p.freshness === "closed") { html += row(T.as_of, esc(T.closed_info)); }
  if (p.linked && p.linked.length) {
    html += row(T.also_listed, p.linked.map((l) => esc(ctx.kindLabel(l.kind))).join("、"));
  }
  html += row(T.notes, esc(a.notes));
  html += row(T.placement, esc(T["placement_" + p.placement] || p.placement));
  html += row(T.source, esc(p.source) + (p.source_date ? " (" + esc(p.source_date) + ")" : ""));
  html += "</table>";
  if (!p.restricted && ctx.config.correctionUrl) {  // organisers keep their own entry current
    html += '<p class="fm-correction"><a href="' + esc(ctx.config.correctionUrl.replace("999999999", p.id)) + '">' +
      esc(T.send_correction) + "</a></p>";
  }
  return html + "</div>";
}
