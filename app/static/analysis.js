/* Coordinator page: coverage choropleth, gap units, suggestions and what-ifs from the analysis API. */
(function () {
  "use strict";

  var CLASSES = [[20, "#ffffcc"], [40, "#c2e699"], [60, "#78c679"], [80, "#31a354"], [101, "#006837"]];

  function esc(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function colour(pct) {
    if (pct === null || pct === undefined) { return "#cccccc"; }
    for (var i = 0; i < CLASSES.length; i++) { if (pct < CLASSES[i][0]) { return CLASSES[i][1]; } }
    return CLASSES[CLASSES.length - 1][1];
  }
  function num(value) { return value === null || value === undefined ? "–" : Math.round(value).toLocaleString(); }

  function fureaiAnalysis(map, control, config) {
    var T = config.strings;
    var state = { add: [], remove: [], picking: false };
    var areasCache = {};
    // Below the default overlay pane, so salons and gap units stay visible on top of the fill.
    map.createPane("choropleth").style.zIndex = 350;
    var choropleth = L.geoJSON(null, { pane: "choropleth", style: function (f) {
      return { color: "#333", weight: 1, fillOpacity: 0.65, fillColor: colour(f.properties.result && f.properties.result.pct_covered) };
    } }).addTo(map);
    var gaps = L.layerGroup().addTo(map);
    var facilities = L.layerGroup().addTo(map);
    var suggestions = L.layerGroup().addTo(map);
    control.addOverlay(choropleth, esc(T.pct_covered));
    control.addOverlay(gaps, esc(T.gaps));
    control.addOverlay(facilities, esc(T.looking_for));
    control.addOverlay(suggestions, esc(T.suggestions));
    var form = {
      city: document.getElementById("a-city"), kind: document.getElementById("a-kind"),
      areaKind: document.getElementById("a-area-kind"), minutes: document.getElementById("a-minutes"),
      pace: document.getElementById("a-pace")
    };

    function query() {
      var q = new URLSearchParams({ kind: form.kind.value, area_kind: form.areaKind.value, city: form.city.value,
                                    minutes: form.minutes.value, pace: form.pace.value });
      if (state.add.length) { q.set("add", state.add.map(function (p) { return p[0].toFixed(6) + "," + p[1].toFixed(6); }).join(";")); }
      if (state.remove.length) { q.set("remove", state.remove.join(",")); }
      return q;
    }

    function areas() {
      var key = form.areaKind.value + ":" + form.city.value;
      if (!areasCache[key]) {
        areasCache[key] = fetch(config.api.areas + "?kind=" + form.areaKind.value + "&city=" + form.city.value +
          "&limit=2000").then(function (r) { return r.json(); });
      }
      return areasCache[key];
    }

    function drawFacilities() {
      return fetch(config.api.resources + "?limit=1000&kind=" + form.kind.value).then(function (r) { return r.json(); })
        .then(function (data) {
          facilities.clearLayers();
          data.features.forEach(function (f) {
            var removed = state.remove.indexOf(f.properties.id) >= 0;
            var c = f.geometry.coordinates;
            var m = L.circleMarker([c[1], c[0]], { radius: 7, weight: 2, color: "#000",
              fillColor: removed ? "#ffffff" : "#c2185b", fillOpacity: 1, dashArray: removed ? "2 2" : null });
            m.bindTooltip(esc(f.properties.name) + (removed ? " ✕" : ""));
            m.on("click", function (e) {
              L.DomEvent.stopPropagation(e);
              var i = state.remove.indexOf(f.properties.id);
              if (i >= 0) { state.remove.splice(i, 1); } else { state.remove.push(f.properties.id); }
              compute();
            });
            facilities.addLayer(m);
          });
          state.add.forEach(function (p) {
            L.circleMarker([p[1], p[0]], { radius: 8, weight: 3, color: "#000", fillColor: "#ffeb3b", fillOpacity: 1 })
              .bindTooltip("+").addTo(facilities);
          });
        });
    }

    function summary(result) {
      var t = result.totals;
      var html = "<p><strong>" + esc(T.covered) + ": " + num(t.covered) + " / " + num(t.population) +
        " (" + esc(t.pct_covered) + "%)</strong><br><small>" + esc(result.demand.label) + " · " +
        esc(result.walking.model) + ", " + esc(result.walking.pace_m_per_min) + " m/min" +
        (result.walking.detour_factor ? " × " + esc(result.walking.detour_factor) : "") + " · " +
        Math.round(result.parameters.limit_walk_m) + " m</small></p>";
      if (result.baseline) {
        var delta = t.covered - result.baseline.covered;
        html += '<p class="fm-change">' + esc(T.change) + ": " + (delta >= 0 ? "+" : "") + num(delta) + "</p>";
      }
      document.getElementById("a-summary").innerHTML = html;
    }

    function table(result) {
      var body = document.querySelector("#a-table tbody");
      body.innerHTML = result.areas.map(function (a) {
        return "<tr><th scope=\"row\">" + esc(a.area_name) + "</th><td>" + num(a.population) + "</td><td>" +
          num(a.not_covered) + "</td><td>" + (a.pct_covered === null ? "–" : a.pct_covered.toFixed(1)) +
          "</td><td>" + num(a.median_walk_m) + " m</td></tr>";
      }).join("");
    }

    function compute() {
      document.body.dataset.analysis = "running";
      var q = query();
      return Promise.all([
        fetch(config.api.coverage + "?" + q.toString()).then(function (r) { return r.json(); }),
        fetch(config.api.suggest + "?" + q.toString() + "&k=3").then(function (r) { return r.json(); }),
        areas(), drawFacilities()
      ]).then(function (answers) {
        var result = answers[0];
        if (result.error) { document.getElementById("a-summary").textContent = result.error; return; }
        var byCode = {};
        result.areas.forEach(function (a) { byCode[a.area_code] = a; });
        choropleth.clearLayers();
        answers[2].features.forEach(function (f) {
          f.properties.result = byCode[f.properties.code];
          choropleth.addData(f);
        });
        choropleth.eachLayer(function (l) {
          var r = l.feature.properties.result;
          l.bindTooltip(esc(l.feature.properties.name) + ": " + (r ? r.pct_covered + "%" : "–"));
        });
        gaps.clearLayers();
        result.gaps.forEach(function (g) {
          L.circleMarker([g.lat, g.lon], { radius: Math.max(2, Math.min(10, Math.sqrt(g.people) / 2)), weight: 0,
            fillColor: "#b71c1c", fillOpacity: 0.55, interactive: false }).addTo(gaps);
        });
        suggestions.clearLayers();
        var list = document.getElementById("a-suggestions");
        list.innerHTML = "";
        (answers[1].picks || []).forEach(function (p) {
          L.marker([p.lat, p.lon], { icon: L.divIcon({ className: "fm-marker fm-shape-square",
            html: '<span style="background:#283593">' + p.rank + "</span>", iconSize: [28, 28] }),
            title: p.name }).addTo(suggestions);
          var li = document.createElement("li");
          li.textContent = p.name + " — " + T.gain + " +" + num(p.gain);
          list.appendChild(li);
        });
        summary(result);
        table(result);
        document.body.dataset.analysis = "done";
        document.body.dataset.covered = String(result.totals.covered);
      });
    }

    document.getElementById("analysis-form").addEventListener("submit", function (e) { e.preventDefault(); compute(); });
    var addButton = document.getElementById("a-add");
    addButton.addEventListener("click", function () {
      state.picking = !state.picking;
      addButton.setAttribute("aria-pressed", String(state.picking));
      map.getContainer().classList.toggle("fm-picking", state.picking);
    });
    document.getElementById("a-reset").addEventListener("click", function () {
      state.add = []; state.remove = []; compute();
    });
    map.on("click", function (e) {
      if (!state.picking) { return; }
      state.add.push([e.latlng.lng, e.latlng.lat]);
      compute();
    });
    window.fureaiAnalysisState = state;
    compute();
  }

  window.fureaiAnalysis = fureaiAnalysis;
})();
