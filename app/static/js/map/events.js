/* What is on: the next two weeks' meetings of the city's salons and hubs, by target group. */
import { esc, fetchJson } from "../util.js";
import { showFeature } from "./results.js";

const WEEKDAYS = "日月火水木金土";

function when(event) {
  const d = new Date(event.starts);
  const day = (d.getMonth() + 1) + "/" + d.getDate() + "（" + WEEKDAYS[d.getDay()] + "）";
  return event.timed ? day + " " + event.starts.slice(11, 16) : day;
}

function render(page, target, answer) {
  target.innerHTML = "";
  if (!answer.events.length) { target.textContent = page.T.no_events; return; }
  const ol = document.createElement("ol");
  answer.events.forEach((event) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "fm-result";
    button.innerHTML = '<span class="fm-distance">' + esc(when(event)) + "</span> <strong>" +
      esc(event.feature.properties.name) + "</strong><br><small>" + esc(event.schedule) + "</small>";
    if (event.feature.geometry) { button.addEventListener("click", () => showFeature(page, event.feature)); }
    const li = document.createElement("li");
    li.appendChild(button);
    ol.appendChild(li);
  });
  target.appendChild(ol);
}

/** Load the meetings when the section is opened and whenever the target group changes. */
export function eventControls(page) {
  const section = document.getElementById("events");
  const select = document.getElementById("events-target");
  const list = document.getElementById("events-list");
  const load = () => {
    const q = new URLSearchParams({ days: "14" });
    if (page.config.city) { q.set("city", page.config.city); }
    if (select.value) { q.set("target", select.value); }
    fetchJson(page.config.api.events + "?" + q.toString()).then((answer) => render(page, list, answer));
  };
  section.addEventListener("toggle", () => { if (section.open) { load(); } });
  select.addEventListener("change", load);
}
