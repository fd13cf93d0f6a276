/* The map as an installed app: its service worker, the city's shelters kept for a day without a
   network, and a line saying when the map is offline and how old what it shows is. */
import { esc } from "../util.js";

const CACHE = "fureai-offline-v1";  // the worker's (static/js/sw.js)
const FETCHED = "X-Fureai-Fetched-At";
const KEPT_KINDS = ["shelter", "emergency_site"];

/** The city's shelters and emergency sites, whole, so that any view of it can be drawn offline. */
function keepCity(page) {
  if (!page.config.city || !navigator.onLine) { return Promise.resolve(); }
  return Promise.all(KEPT_KINDS.map((kind) => fetch(page.config.api.resources + "?kind=" + kind + "&city=" +
    page.config.city + "&limit=1000").catch(() => null)));
}

/** Resolves once this page's requests go through the worker (at once after the first visit). */
function controlled() {
  return navigator.serviceWorker.controller ? Promise.resolve() : new Promise((resolve) =>
    navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
}

/** Ask again, through the worker, for the page and what it loaded before the worker was there. */
function keepShell() {
  const loaded = performance.getEntriesByType("resource").map((e) => e.name);
  const ours = [location.href, ...loaded].filter((u) => new URL(u).origin === location.origin);
  return Promise.all([...new Set(ours)].map((u) => fetch(u).catch(() => null)));
}

/** The newest fetch time among the kept answers, and the last card's address (if one was opened). */
function whatIsKept() {
  return caches.open(CACHE).then((cache) => cache.keys().then((keys) => {
    const card = keys.map((k) => k.url).filter((u) => new URL(u).pathname === "/card")[0] || "";
    return Promise.all(keys.map((k) => cache.match(k))).then((answers) => ({
      card, fetched: answers.map((a) => a.headers.get(FETCHED) || "").sort().pop() || "" }));
  }));
}

function clock(iso, lang) {
  return iso ? new Date(iso).toLocaleTimeString(lang === "en" ? "en-GB" : "ja-JP",
    { hour: "2-digit", minute: "2-digit" }) : "—";
}

/** Offline: say so, with the time of the newest kept answer and a link to the last card. */
function say(page) {
  const box = document.getElementById("offline-status");
  if (navigator.onLine || !("caches" in window)) { box.hidden = true; document.body.dataset.offline = "0"; return; }
  whatIsKept().then((kept) => {
    box.innerHTML = esc(page.T.offline_banner.replace("{time}", clock(kept.fetched, page.config.lang))) +
      (kept.card ? ' <a href="' + esc(kept.card) + '">' + esc(page.T.offline_card) + "</a>" : "");
    box.hidden = false;
    document.body.dataset.offline = "1";
  });
}

export function offlineApp(page) {
  if (!("serviceWorker" in navigator) || !page.config.offline) { return; }
  window.addEventListener("online", () => say(page));
  window.addEventListener("offline", () => say(page));
  say(page);
  navigator.serviceWorker.register(page.config.offline.worker, { scope: "/" })
    .then(() => navigator.serviceWorker.ready)
    .then(controlled)
    .then(() => Promise.all([keepShell(), keepCity(page)]))
    .then(() => { document.body.dataset.offlineReady = "1"; })
    .catch((err) => console.warn("offline copy unavailable", err));
}
