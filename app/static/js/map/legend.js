/* The legend is also the layer switch: each row's box shows and hides its layer, a finger-sized row. */

/** Keep each legend box and its layer in step, both ways (the layer control may change it too). */
export function legendToggles(page) {
  const boxes = Array.from(document.querySelectorAll("input.fm-legend-toggle"));
  const sync = () => boxes.forEach((box) => {
    const layer = page.layers[box.dataset.layer];
    box.checked = Boolean(layer && page.map.hasLayer(layer));
  });
  boxes.forEach((box) => {
    box.disabled = !page.layers[box.dataset.layer];
    box.addEventListener("change", () => {
      const layer = page.layers[box.dataset.layer];
      if (!layer) { return; }
      if (box.checked) { layer.addTo(page.map); } else { page.map.removeLayer(layer); }
    });
  });
  page.map.on("overlayadd overlayremove", sync);
  sync();
}
