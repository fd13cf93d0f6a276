/* On the day: the shelters opened in an event, with their state, what they have and their last
   update, over the residents' map; asked again every minute (304 while nothing changed). */
import { esc, fetchJson } from "../util.js";

const EVERY_MS = 60000;

function siteMarker(page, site) {
  const T = page.T;
  const colour = page.config.symbology.siteStates[site.state];
  const people = site.people_label || (site.people === null ? "" : site.people + " " + T.people_unit);
  const when = new Date(site.updated_at).toLocaleTimeString(page.config.lang === "en" ? "en-GB" : "ja-JP",
    { hour: "2-digit", minute: "2-digit" });
  const html = '<div class="fm-popup"><h3>' + esc(site.name) + "</h3><p><strong>" + esc(site.state_label) +
    "</strong>" + (people ? " · " + esc(T.site_people_now) + " " + esc(people) : "") + "</p>" +
    (site.has_labels.length ? "<p>" + esc(site.has_labels.join("・")) + "</p>" : "") +
    "<p><small>" + esc(T.site_updated) + " " + esc(when) + (site.stale ? " — " + esc(T.site_stale) : "") +
    "</small></p></div>";
  // A badge above the places' symbols, saying its state in words: colour is never the only sign.
  const badge = L.divIcon({ className: "fm-site-state" + (site.stale ? " fm-stale" : ""), iconSize: null,
    html: '<span style="background:' + colour + '">' + esc(site.state_label) + "</span>" });
  return L.marker([site.lat, site.lon], { icon: badge, zIndexOffset: 1000, title: site.name,
    alt: site.name + " " + site.state_label }).bindPopup(html);
}

function banner(page, events, sites) {
  const box = document.getElementById("day-status");
  const open = sites.filter((s) => s.open).length;
  box.hidden = false;
  box.textContent = events.map((e) => e.title).join("・") + ": " +
    page.T.day_status_banner.replace("{n}", open);
  document.body.dataset.openSites = String(open);
}

function draw(page, answers, events) {
  page.daySites.clearLayers();
  const sites = answers.flatMap((a) => a.sites).filter((s) => s.lat !== null);
  sites.forEach((s) => page.daySites.addLayer(siteMarker(page, s)));
  banner(page, events, sites);
}

/** Ask for the open events' sites; an unchanged answer (304) keeps what is drawn. */
function poll(page, events) {
  const asks = events.map((e) => {
    const url = page.config.api.eventSites.replace("/0/", "/" + e.id + "/");
    const etag = page.dayEtags[e.id];
    return fetch(url, { headers: etag ? { "If-None-Match": etag } : {} }).then((r) => {
      if (r.status === 304) { return page.dayAnswers[e.id]; }
      page.dayEtags[e.id] = r.headers.get("ETag");
      return r.json().then((answer) => { page.dayAnswers[e.id] = answer; return answer; });
    });
  });
  return Promise.all(asks).then((answers) => draw(page, answers, events));
}

function openEvents(page) {
  return fetchJson(page.config.api.disasterEvents).then((found) => found.events.filter((e) =>
    !e.closed_at && (!page.config.city || e.city_code === page.config.city)));
}

/** Each minute: which events of the city are open (one opened or closed since shows), then their sites. */
function tick(page) {
  return openEvents(page).then((events) => {
    if (!events.length) {
      if (page.daySites) { page.daySites.clearLayers(); document.getElementById("day-status").hidden = true; }
      return null;
    }
    if (!page.daySites) {
      page.daySites = L.layerGroup().addTo(page.map);
      page.control.addOverlay(page.daySites, esc(page.T.day_status_layer));
    }
    return poll(page, events);
  });
}

export function dayStatus(page) {
  page.dayEtags = {};
  page.dayAnswers = {};
  setInterval(() => tick(page), EVERY_MS);
  return tick(page);
}
