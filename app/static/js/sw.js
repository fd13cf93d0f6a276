/* The residents' map without a network: a service worker that keeps what a resident needs.
   Kept: the map page, its scripts and styles, the city's places and areas, the context drawn when
   tiles fail, the day's shelter status, and the one household card last opened, each with the time
   it was fetched (X-Fureai-Fetched-At). Never kept: anything under /persons, /safety, /workspace,
   /supporters or /api/v1/persons, signing in, and any answer marked private or no-store (every
   answer to a signed-in person is), so that nothing personal is ever on the phone.
   Every request goes to the network first; the copy is used only when the network fails. */
const CACHE = "fureai-offline-v1";
const FETCHED = "X-Fureai-Fetched-At";
const NEVER = [/^\/persons/, /^\/safety/, /^\/workspace/, /^\/supporters/, /^\/api\/v1\/persons/,
  /^\/login/, /^\/logout/, /^\/survey/, /^\/corrections/];
const KEEP = [/^\/$/, /^\/static\//, /^\/vendor\//, /^\/icons\//, /^\/manifest\.webmanifest$/,
  /^\/api\/v1\/resources$/, /^\/api\/v1\/areas$/, /^\/api\/v1\/context$/, /^\/api\/v1\/disaster-events$/,
  /^\/api\/v1\/events\/\d+\/sites$/, /^\/card$/];

function kept(url) {
  return url.origin === self.location.origin && !NEVER.some((p) => p.test(url.pathname)) &&
    KEEP.some((p) => p.test(url.pathname));
}

function storable(url, response) {
  const control = response.headers.get("Cache-Control") || "";
  const type = response.headers.get("Content-Type") || "";
  // The card is kept as its page only (a PDF is for printing, not for the phone's copy).
  return response.status === 200 && response.type === "basic" && !/no-store|private/.test(control) &&
    (url.pathname !== "/card" || type.startsWith("text/html"));
}

async function remember(url, response) {
  const headers = new Headers(response.headers);
  headers.set(FETCHED, new Date().toISOString());
  const body = await response.blob();
  const cache = await caches.open(CACHE);
  if (url.pathname === "/card") {  // the last card opened, only: an older one is dropped
    const cards = (await cache.keys()).filter((k) => new URL(k.url).pathname === "/card");
    await Promise.all(cards.map((k) => cache.delete(k)));
  }
  await cache.put(url.href, new Response(body, { status: 200, statusText: "OK", headers }));
}

function inBox(feature, box) {
  const [lon, lat] = feature.geometry.coordinates;
  return lon >= box[0] && lat >= box[1] && lon <= box[2] && lat <= box[3];
}

/** A viewport's places offline: the kind's whole-city copies, cut to the box asked for. */
async function placesInBox(cache, url) {
  const kind = url.searchParams.get("kind");
  const box = (url.searchParams.get("bbox") || "-180,-90,180,90").split(",").map(Number);
  const copies = (await cache.keys()).map((k) => new URL(k.url)).filter((u) =>
    u.pathname === url.pathname && u.searchParams.get("kind") === kind && u.searchParams.get("city"));
  const answers = await Promise.all(copies.map((u) => cache.match(u.href)));
  const fetched = answers.map((a) => a.headers.get(FETCHED)).sort()[0] || "";
  const bodies = await Promise.all(answers.map((a) => a.json()));
  const features = bodies.flatMap((b) => b.features).filter((f) => f.geometry && inBox(f, box));
  return new Response(JSON.stringify({ type: "FeatureCollection", features, numberReturned: features.length }),
    { headers: { "Content-Type": "application/geo+json", [FETCHED]: fetched } });
}

async function fromCache(request, url) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(url.href);
  if (hit) { return hit; }
  if (url.pathname === "/api/v1/resources") { return placesInBox(cache, url); }
  if (request.mode === "navigate" && url.pathname === "/") {  // the start page: the map last opened
    const pages = (await cache.keys()).filter((k) => new URL(k.url).pathname === "/");
    if (pages.length) { return cache.match(pages[pages.length - 1]); }
  }
  return Response.error();
}

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || !kept(url)) { return; }  // the network alone, as without a worker
  event.respondWith(fetch(request).then((response) => {
    if (storable(url, response)) { event.waitUntil(remember(url, response.clone())); }
    return response;
  }, () => fromCache(request, url)));
});
