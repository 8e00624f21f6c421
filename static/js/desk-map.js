/* The desk's maps: an order's pin with the open orders near it (order page), and
   the supervisor's map of open orders (clustered, coloured by urgency) with the
   month's new complaints as a heat layer. The district outlines come from the
   portal, so the map reads with no tiles; tiles are a background that may fail.
   Without this script the pages show their tables and facts as before. */
(function () {
  "use strict";

  var box = document.getElementById("desk-map-box");
  var element = document.getElementById("desk-map");
  var status = document.getElementById("desk-map-status");
  if (!box || !element || !window.L || !window.fetch) { return; }

  box.hidden = false;
  var map = L.map(element, {center: [39.9042, 116.4074], zoom: 10, minZoom: 7, maxZoom: 18});
  var tiles = element.getAttribute("data-tiles");
  if (tiles) {
    L.tileLayer(tiles, {attribution: element.getAttribute("data-attribution") || "", maxZoom: 19}).addTo(map);
  }

  function getJSON(url) {
    return fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
  }

  function failed() { status.textContent = status.getAttribute("data-failed"); }

  getJSON(element.getAttribute("data-outline-url")).then(function (data) {
    L.geoJSON(data, {style: {color: "#5b6472", weight: 1, fillOpacity: 0.03}, interactive: false}).addTo(map);
  }).catch(function () { /* the outlines are a help; the points still draw */ });

  // One order as a coloured dot linking to its page: [lat, lng, urgency, number, category, (distance)].
  function orderMarker(row) {
    var icon = L.divIcon({className: "map-dot urgency-" + row[2], iconSize: [14, 14]});
    var marker = L.marker([row[0], row[1]], {icon: icon, title: row[3] + " · " + row[4], keyboard: true});
    var link = document.createElement("a");
    link.href = element.getAttribute("data-order-url").replace("NUMBER", encodeURIComponent(row[3]));
    link.textContent = row[3];
    var popup = document.createElement("div");
    popup.appendChild(link);
    popup.appendChild(document.createTextNode(" " + row[4] + (row[5] != null ? " · " + row[5] + " m" : "")));
    marker.bindPopup(popup);
    return marker;
  }

  function drawn(count) { element.setAttribute("data-markers", String(count)); }

  var nearUrl = element.getAttribute("data-near-url");
  if (nearUrl) {
    getJSON(nearUrl).then(function (data) {
      if (!data.pin) { return; }
      var pin = L.marker(data.pin, {icon: L.divIcon({className: "map-pin", iconSize: [22, 22], iconAnchor: [11, 22]})});
      pin.addTo(map);
      var bounds = L.latLngBounds([data.pin]);
      data.orders.forEach(function (row) { orderMarker(row).addTo(map); bounds.extend([row[0], row[1]]); });
      map.fitBounds(bounds.pad(0.3), {maxZoom: 16});
      drawn(data.orders.length + 1);
    }).catch(failed);
    return;
  }

  var layers = L.control.layers(null, {}, {collapsed: false}).addTo(map);
  getJSON(element.getAttribute("data-open-url")).then(function (data) {
    var group = L.markerClusterGroup ? L.markerClusterGroup({showCoverageOnHover: false}) : L.layerGroup();
    data.orders.forEach(function (row) { group.addLayer(orderMarker(row)); });
    group.addTo(map);
    layers.addOverlay(group, element.getAttribute("data-open-label"));
    drawn(data.orders.length);
    if (data.truncated) { status.textContent = status.getAttribute("data-truncated"); }
  }).catch(failed);

  getJSON(element.getAttribute("data-heat-url")).then(function (data) {
    if (!L.heatLayer || !data.cells.length) { return; }
    var most = data.cells.reduce(function (m, c) { return Math.max(m, c[2]); }, 1);
    var heat = L.heatLayer(data.cells, {radius: 20, blur: 15, max: most, minOpacity: 0.3});
    heat.addTo(map);
    layers.addOverlay(heat, element.getAttribute("data-heat-label"));
    element.setAttribute("data-heat-cells", String(data.cells.length));
  }).catch(failed);
}());
