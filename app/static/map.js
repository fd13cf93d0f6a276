/* Fureai Map page script: data layers from the API by bounding box, added to folium's map. */
(function () {
  "use strict";

  var AREA_STYLES = {
    city: { color: "#263238", weight: 2.5, fill: false },
    school_district: { color: "#2e7d32", weight: 2, fillOpacity: 0.04 },
    middle_school_district: { color: "#0277bd", weight: 1.5, fillOpacity: 0.02, dashArray: "2 4" },
    daily_living_area: { color: "#6a1b9a", weight: 2, fillOpacity: 0.05 },
    sediment_hazard: { color: "#8d6e63", weight: 1, fillColor: "#a1887f", fillOpacity: 0.45 },
    catchment: { color: "#ad1457", weight: 1.5, fillOpacity: 0.04 }
  };

  function esc(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function fureaiMap(map, control, config) {
    var T = config.strings;
    var kinds = {};
    var layers = {};
    var state = { hazard: new URLSearchParams(location.search).get("hazard") || "", pick: false };
    var requests = {};
    var originLayer = L.layerGroup().addTo(map);
    config.kinds.forEach(function (k) { kinds[k.id] = k; });

    function kindLabel(id) { return kinds[id] ? kinds[id].label : id; }
    function hazardLabel(id) {
      var h = config.hazards.filter(function (x) { return x.id === id; })[0];
      return h ? h.label : id;
    }

    function markerIcon(kind) {
      var k = kinds[kind];
      return L.divIcon({
        className: "fm-marker fm-shape-" + k.shape,
        html: '<span style="background:' + k.colour + ";--c:" + k.colour + '">' + esc(k.symbol) + "</span>",
        iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -12]
      });
    }

    function row(label, value) {
      return value === "" || value === null || value === undefined ? "" :
        "<tr><th scope=\"row\">" + esc(label) + "</th><td>" + value + "</td></tr>";
    }

    function popupHtml(feature) {
      var p = feature.properties;
      var a = p.attributes || {};
      var html = '<div class="fm-popup" data-id="' + p.id + '"><h3>' + esc(p.name) + "</h3>" +
        '<p class="fm-popup-kind">' + esc(kindLabel(p.kind)) + "</p><table>";
      html += row(T.address, esc(p.address));
      html += row(T.schedule, esc(a.schedule));
      html += row(T.target_group, esc(a.target_group));
      if (["salon", "hub", "shelter", "emergency_site"].indexOf(p.kind) >= 0) {
        html += row(T.capacity, p.capacity === null ? esc(T.unknown) : esc(p.capacity));
      }
      if (p.kind === "emergency_site") {
        html += row(T.hazards, (p.hazards || []).map(function (h) {
          return '<span class="fm-hazard">' + esc(hazardLabel(h)) + "</span>";
        }).join(" ") || esc(T.unknown));
      }
      if (p.welfare_shelter) { html += row(T.welfare_shelter, "✓"); }
      if (p.linked && p.linked.length) {
        html += row(T.also_listed, p.linked.map(function (l) { return esc(kindLabel(l.kind)); }).join("、"));
      }
      html += row(T.notes, esc(a.notes));
      html += row(T.placement, esc(T["placement_" + p.placement] || p.placement));
      html += row(T.source, esc(p.source) + (p.source_date ? " (" + esc(p.source_date) + ")" : ""));
      return html + "</table></div>";
    }

    function resourceUrl(kind) {
      var b = map.getBounds().pad(0.25);
      var url = config.api.resources + "?kind=" + kind + "&limit=1000&bbox=" +
        [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
          return Math.max(-180, Math.min(180, v)).toFixed(5);
        }).join(",");
      if (kind === "emergency_site" && state.hazard) { url += "&hazard=" + state.hazard; }
      return url;
    }

    function load(id, url, render) {
      if (requests[id]) { requests[id].abort(); }
      var controller = new AbortController();
      requests[id] = controller;
      document.body.dataset.loading = String(Number(document.body.dataset.loading || 0) + 1);
      return fetch(url, { signal: controller.signal }).then(function (r) { return r.json(); })
        .then(render).catch(function (err) {
          if (err.name !== "AbortError") { console.error(id, err); }
        }).finally(function () {
          document.body.dataset.loading = String(Number(document.body.dataset.loading) - 1);
        });
    }

    function refreshResource(kind) {
      var group = layers[kind];
      return load(kind, resourceUrl(kind), function (data) {
        group.clearLayers();
        data.features.forEach(function (f) {
          var c = f.geometry.coordinates;
          var m = L.marker([c[1], c[0]], { icon: markerIcon(kind), title: f.properties.name,
                                           alt: f.properties.name, keyboard: true });
          m.bindPopup(popupHtml(f), { maxWidth: 320 });
          group.addLayer(m);
        });
        group.fmCount = data.features.length;
        document.body.dataset["loaded_" + kind] = String(data.features.length);
      });
    }

    function refreshArea(area) {
      var b = map.getBounds().pad(0.25);
      var url = config.api.areas + "?kind=" + area.kind + "&provenance=" + area.provenance +
        "&limit=2000&bbox=" + [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
          return v.toFixed(5);
        }).join(",");
      return load(area.id, url, function (data) {
        var layer = layers[area.id];
        layer.clearLayers();
        layer.addData(data);
        document.body.dataset["loaded_" + area.id.replace(":", "_")] = String(data.features.length);
      });
    }

    function refresh() {
      config.kinds.forEach(function (k) { if (map.hasLayer(layers[k.id])) { refreshResource(k.id); } });
      config.areas.forEach(function (a) { if (map.hasLayer(layers[a.id])) { refreshArea(a); } });
    }

    config.kinds.forEach(function (k) {
      var group = L.markerClusterGroup({
        maxClusterRadius: 36, disableClusteringAtZoom: 16, showCoverageOnHover: false,
        iconCreateFunction: function (cluster) {
          return L.divIcon({ className: "fm-cluster", iconSize: [34, 34],
                             html: '<span style="background:' + k.colour + '">' + cluster.getChildCount() + "</span>" });
        }
      });
      group.fmId = k.id;
      layers[k.id] = group;
      control.addOverlay(group, '<span class="fm-sym fm-shape-' + k.shape + '" style="background:' +
        k.colour + '">' + esc(k.symbol) + "</span> " + esc(k.label) +
        (k.count ? "" : ' <em class="fm-nodata">(' + esc(T.no_data) + ")</em>"));
    });

    config.areas.forEach(function (a) {
      var style = Object.assign({}, AREA_STYLES[a.kind] || { color: "#455a64", weight: 1.5 });
      if (a.provenance === "approximate") { style.dashArray = "6 6"; }
      if (a.provenance === "derived") { style.dashArray = "2 5"; }
      var layer = L.geoJSON(null, {
        style: function () { return style; },
        onEachFeature: function (f, l) {
          var p = f.properties;
          var note = p.provenance === "approximate" ? "<br><small>" + esc(T.approximate_note) + "</small>" :
            p.provenance === "derived" ? "<br><small>" + esc(T.derived_note) + "</small>" : "";
          l.bindTooltip(esc(p.name) + (p.provenance === "approximate" ? " (" + esc(T.approximate) + ")" : ""),
                        { sticky: true });
          l.on("click", function (e) {
            if (state.pick) { return; }  // the click chooses a point for "near me" instead
            L.popup().setLatLng(e.latlng).setContent("<strong>" + esc(p.name) + "</strong><br>" +
              esc(a.label) + note).openOn(map);
          });
        }
      });
      layer.fmId = a.id;
      layers[a.id] = layer;
      control.addOverlay(layer, '<span class="fm-area-sym" style="border-color:' + style.color +
        (a.provenance === "approximate" ? ";border-style:dashed" : "") + '"></span> ' + esc(a.label));
    });

    config.active.forEach(function (id) { if (layers[id]) { layers[id].addTo(map); } });

    /* Permalink: centre, zoom, layers, base map, language and hazard filter stay in the URL. */
    function activeIds() {
      return Object.keys(layers).filter(function (id) { return map.hasLayer(layers[id]); });
    }
    function baseId() {
      return Object.keys(config.baseLayers).filter(function (id) {
        return map.hasLayer(window[config.baseLayers[id]]);
      })[0] || "";
    }
    function stateParams(lang) {
      var c = map.getCenter();
      var q = new URLSearchParams({ lang: lang, lat: c.lat.toFixed(5), lon: c.lng.toFixed(5),
                                    z: String(map.getZoom()), layers: activeIds().join(","), base: baseId() });
      if (config.city) { q.set("city", config.city); }
      if (state.hazard) { q.set("hazard", state.hazard); }
      return q;
    }
    function updateLinks() {
      history.replaceState(null, "", "?" + stateParams(config.lang).toString());
      var other = config.lang === "ja" ? "en" : "ja";
      document.getElementById("lang-switch").href = "?" + stateParams(other).toString();
      var b = map.getBounds();
      var list = new URLSearchParams({ lang: config.lang, layers: activeIds().join(","),
        bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",") });
      document.getElementById("list-link").href = config.listUrl + "?" + list.toString();
    }

    var timer = null;
    map.on("moveend", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { refresh(); updateLinks(); }, 150);
    });
    map.on("overlayadd", function (e) {
      var id = e.layer.fmId;
      if (kinds[id]) { refreshResource(id); }
      config.areas.forEach(function (a) { if (a.id === id) { refreshArea(a); } });
      updateLinks();
    });
    map.on("overlayremove baselayerchange", updateLinks);

    /* Hazard overlays: opacity, and the emergency-site filter by hazard. */
    var opacity = document.getElementById("hazard-opacity");
    opacity.addEventListener("input", function () {
      Object.keys(config.hazardLayers).forEach(function (id) {
        window[config.hazardLayers[id]].setOpacity(Number(opacity.value) / 100);
      });
    });
    var hazardSelect = document.getElementById("hazard-filter");
    hazardSelect.value = state.hazard;
    hazardSelect.addEventListener("change", function () {
      state.hazard = hazardSelect.value;
      if (!map.hasLayer(layers.emergency_site)) { layers.emergency_site.addTo(map); }
      else { refreshResource("emergency_site"); }
      updateLinks();
    });

    /* Search by name or address. */
    var results = document.getElementById("search-results");
    function showFeature(f) {
      var c = f.geometry.coordinates;
      if (layers[f.properties.kind] && !map.hasLayer(layers[f.properties.kind])) {
        layers[f.properties.kind].addTo(map);
      }
      map.setView([c[1], c[0]], Math.max(map.getZoom(), 16));
      L.popup({ maxWidth: 320 }).setLatLng([c[1], c[0]]).setContent(popupHtml(f)).openOn(map);
    }
    function listFeatures(target, features, extra) {
      target.innerHTML = "";
      var ol = document.createElement("ol");
      features.forEach(function (f, i) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "fm-result";
        button.innerHTML = "<strong>" + esc(f.properties.name) + "</strong> <small>" +
          esc(kindLabel(f.properties.kind)) + "</small>" + (extra ? extra(f, i) : "") +
          "<br><small>" + esc(f.properties.address) + "</small>";
        button.addEventListener("click", function () { showFeature(f); });
        li.appendChild(button);
        ol.appendChild(li);
      });
      target.appendChild(ol);
    }
    document.getElementById("search-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var q = document.getElementById("search-input").value.trim();
      if (!q) { return; }
      fetch(config.api.resources + "?limit=20&q=" + encodeURIComponent(q)).then(function (r) { return r.json(); })
        .then(function (data) {
          if (!data.features.length) { results.textContent = T.no_results; return; }
          listFeatures(results, data.features);
          if (data.features.length === 1) { showFeature(data.features[0]); }
        });
    });

    /* Near me: nearest resources from the browser's location or a clicked point. */
    var nearResults = document.getElementById("near-results");
    function nearest(lat, lon) {
      originLayer.clearLayers();
      L.circleMarker([lat, lon], { radius: 8, color: "#000", weight: 3, fillColor: "#ffeb3b", fillOpacity: 1 })
        .addTo(originLayer);
      var kind = document.getElementById("near-kind").value;
      var pace = document.getElementById("near-pace").value;
      var q = "?lat=" + lat.toFixed(6) + "&lon=" + lon.toFixed(6);
      Promise.all([
        fetch(config.api.nearest + q + "&n=5&kind=" + kind + "&pace=" + pace).then(function (r) { return r.json(); }),
        fetch(config.api.areasAt + q).then(function (r) { return r.json(); })
      ]).then(function (answers) {
        var near = answers[0];
        var districts = answers[1].areas.filter(function (a) { return a.kind === "school_district"; });
        var district = document.createElement("p");
        district.className = "fm-district";
        district.textContent = districts.length ? T.district_here + ": " + districts.map(function (d) {
          return d.name + (d.provenance === "approximate" ? " (" + T.approximate + ")" : "");
        }).join("、") : T.no_district;
        districts.forEach(function (d) {
          var link = document.createElement("a");
          link.className = "fm-print";
          link.href = config.printUrl + "?" + new URLSearchParams({ area_kind: "school_district", area: d.code });
          link.textContent = " " + T.print_map;
          link.target = "_blank";
          district.appendChild(link);
        });
        listFeatures(nearResults, near.results.map(function (r) {
          return { type: "Feature", geometry: r.geometry, properties: r.properties, distance: r };
        }), function (f) {
          return ' <span class="fm-distance">' + Math.round(f.distance.distance_m) + " " + T.metres +
            " · " + f.distance.walk_minutes + " " + T.minutes + "</span>";
        });
        nearResults.insertBefore(district, nearResults.firstChild);
        var note = document.createElement("p");
        note.className = "fm-note";
        note.textContent = T.walk_note + " (" + near.walking.pace_m_per_min + " m/min)";
        nearResults.appendChild(note);
        near.results.forEach(function (r) {
          var c = r.geometry.coordinates;
          L.polyline([[lat, lon], [c[1], c[0]]], { color: "#000", weight: 1, dashArray: "3 4" }).addTo(originLayer);
        });
      });
    }
    document.getElementById("near-locate").addEventListener("click", function () {
      if (!navigator.geolocation) { return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        map.setView([pos.coords.latitude, pos.coords.longitude], 16);
        nearest(pos.coords.latitude, pos.coords.longitude);
      }, function (err) { nearResults.textContent = err.message; });
    });
    var pickButton = document.getElementById("near-pick");
    pickButton.addEventListener("click", function () {
      state.pick = !state.pick;
      pickButton.setAttribute("aria-pressed", String(state.pick));
      map.getContainer().classList.toggle("fm-picking", state.pick);
    });
    map.on("click", function (e) {
      if (!state.pick) { return; }
      nearest(e.latlng.lat, e.latlng.lng);
    });

    window.fureai = { map: map, layers: layers, nearest: nearest, refresh: refresh };
    updateLinks();
    refresh();
  }

  window.fureaiMap = fureaiMap;
})();
