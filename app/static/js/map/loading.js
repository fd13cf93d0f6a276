/* One request per layer at a time: a newer request aborts the older; body[data-loading] counts. */

const requests = {};

export function load(id, url, render) {
  if (requests[id]) { requests[id].abort(); }
  const controller = new AbortController();
  requests[id] = controller;
  const body = document.body;
  body.dataset.loading = String(Number(body.dataset.loading || 0) + 1);
  return fetch(url, { signal: controller.signal }).then((r) => r.json()).then(render)
    .catch((err) => { if (err.name !== "AbortError") { console.error(id, err); } })
    .finally(() => { body.dataset.loading = String(Number(body.dataset.loading) - 1); });
}
