/* On a phone the panel is a bottom sheet over the map: a peek of its first lines, opened to about
   60 % of the screen when there is an answer to read, and folded again by its handle. */

const PHONE = "(max-width: 700px)";

function handle() { return document.getElementById("sheet-handle"); }

/** Open (or fold) the sheet; on a wide screen the panel is always open beside the map. */
export function openSheet(open = true) {
  const button = handle();
  const panel = document.querySelector(".panel.fm-sheet");
  if (!button || !panel) { return; }
  panel.classList.toggle("fm-sheet-open", open);
  button.setAttribute("aria-expanded", String(open));
  button.textContent = open ? button.dataset.fold : button.dataset.open;
  document.body.dataset.sheet = open ? "open" : "peek";
}

export function bottomSheet() {
  const button = handle();
  if (!button) { return; }
  button.addEventListener("click", () => openSheet(button.getAttribute("aria-expanded") !== "true"));
  openSheet(!window.matchMedia(PHONE).matches);
}

/** Keep ``latlng`` in the part of the map the open sheet leaves in sight (a phone's top 40 %). */
export function keepInSight(map, latlng) {
  const panel = document.querySelector(".panel.fm-sheet.fm-sheet-open");
  if (!panel || !window.matchMedia(PHONE).matches) { return; }
  map.setView(latlng, map.getZoom(), { animate: false });
  map.panBy([0, panel.getBoundingClientRect().height / 2], { animate: false });
}
