/* The transparency page's map: Beijing's districts shaded by the orders received
   in the month (a choropleth), each linking to its district's figures. The
   numbers come from the page's JSON block, the outlines from the portal; tiles
   are a background that may fail. The charts are static/js/reports.js's. Without
   this script the page keeps its tables, which hold the same numbers. */
(function () {
  "use strict";

  var box = document.getElementById("open-map-box");
  var element = document.getElementById("open-map");
  var status = document.getElementById("open-map-status");
  var legend = document.getElementById("open-map-legend");
  var source = document.getElementById("open-map-data");
  if (!box || !element || !source || !window.L || !window.fetch) { return; }

  var SHADES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
  var data = JSON.parse(source.textContent);
  var byCode = {};
  var most = 0;
  data.districts.forEach(function (d) { byCode[d.code] = d; most = Math.max(most, d.received); });

  // Five equal steps up to the busiest district: a count above the i-th fifth of it gets shade i.
  function threshold(i) { return Math.floor((most * i) / SHADES.length); }
  function step(count) {
    var shade = 0;
    for (var i = 1; i < SHADES.length; i++) { if (count > threshold(i)) { shade = i; } }
    return shade;
  }

  function legendItem(shade, text) {
    var item = document.createElement("li");
    var swatch = document.createElement("span");
    swatch.className = "open-swatch";
    swatch.style.background = shade;
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(" " + text));
    legend.appendChild(item);
  }

  function drawLegend() {
    if (!most) { legendItem(SHADES[0], "0"); return; }
    SHADES.forEach(function (shade, i) {
      var low = i === 0 ? 0 : threshold(i) + 1;
      var high = i === SHADES.length - 1 ? most : threshold(i + 1);
      if (low <= high) { legendItem(shade, low === high ? String(low) : low + "–" + high); }
    });
  }

  box.hidden = false;
  var map = L.map(element, {center: [40.2, 116.4], zoom: 8, minZoom: 7, maxZoom: 14});
  var tiles = element.getAttribute("data-tiles");
  if (tiles) {
    L.tileLayer(tiles, {attribution: element.getAttribute("data-attribution") || "", maxZoom: 19}).addTo(map);
  }

  fetch(element.getAttribute("data-outline-url"), {headers: {"Accept": "application/json"}})
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (outlines) {
      var shaded = 0;
      var chosen = null;
      var layer = L.geoJSON(outlines, {
        style: function (feature) {
          var district = byCode[feature.properties.code];
          var selected = district && district.code === data.selected;
          return {
            color: selected ? "#b3261e" : "#5b6472",
            weight: selected ? 3 : 1,
            fillColor: SHADES[step(district ? district.received : 0)],
            fillOpacity: 0.75,
          };
        },
        onEachFeature: function (feature, shape) {
          var district = byCode[feature.properties.code];
          if (!district) { return; }
          shaded += 1;
          if (district.code === data.selected) { chosen = shape; }
          shape.bindTooltip(district.name + " · " + element.getAttribute("data-orders-label") + ": " + district.received);
          shape.on("click", function () { window.location.href = district.url; });
        },
      }).addTo(map);
      var bounds = chosen ? chosen.getBounds().pad(0.5) : layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds); }
      drawLegend();
      element.setAttribute("data-districts", String(shaded));
    })
    .catch(function () { status.textContent = status.getAttribute("data-failed"); });
}());
