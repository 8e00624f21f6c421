/* The intake form's map: tap or drag the pin to fill the hidden latitude/longitude
   fields, and the place the point falls in is selected in the district / street /
   community lists (through their own change handling in intake.js). The district
   outlines come from the portal itself, so the map draws them with no tiles at all;
   tiles are a background that may fail. Without this script, or without Leaflet,
   the map is not in the page at all and the form works as before. */
(function () {
  "use strict";

  var form = document.getElementById("intake-form");
  var template = document.getElementById("intake-map-template");
  if (!form || !template || !template.content || !window.L || !window.fetch) { return; }
  // The map exists only where it works: put it in the page from its <template>.
  var box = template.content.firstElementChild.cloneNode(true);
  template.parentNode.replaceChild(box, template);
  var element = document.getElementById("intake-map");

  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var district = form.elements.namedItem("district");
  var street = form.elements.namedItem("street");
  var community = form.elements.namedItem("community");
  var status = document.getElementById("intake-map-status");
  var BEIJING = [39.9042, 116.4074];
  var latest = 0;

  var map = L.map(element, {center: BEIJING, zoom: 9, minZoom: 7, maxZoom: 18});
  var tiles = element.getAttribute("data-tiles");
  if (tiles) {
    L.tileLayer(tiles, {attribution: element.getAttribute("data-attribution") || "", maxZoom: 19}).addTo(map);
  }
  var icon = L.divIcon({className: "map-pin", iconSize: [22, 22], iconAnchor: [11, 22]});
  var marker = null;
  var chosen = null;

  function getJSON(url) {
    return fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) { throw new Error(data.error || ("HTTP " + response.status)); }
          return data;
        });
      });
  }

  function outlineUrl(code) {
    return element.getAttribute("data-outline-url").replace("CODE", encodeURIComponent(code));
  }

  function say(text) { status.textContent = text || ""; }

  getJSON(outlineUrl(element.getAttribute("data-city-code")))
    .then(function (data) {
      L.geoJSON(data, {style: {color: "#5b6472", weight: 1, fillOpacity: 0.03}, interactive: false}).addTo(map);
      element.setAttribute("data-outlines", String(data.features.length));
    })
    .catch(function () { say(status.getAttribute("data-failed")); });

  function showOutline(code) {
    if (chosen) { map.removeLayer(chosen); chosen = null; }
    if (!code) { return; }
    getJSON(outlineUrl(code)).then(function (data) {
      if (district.value !== code) { return; }
      chosen = L.geoJSON(data, {style: {color: "#c0392b", weight: 2, fillOpacity: 0.08}, interactive: false});
      chosen.addTo(map);
    }).catch(function () { /* the outline is a help, not a need */ });
  }

  // Choose `code` in `select` once the cascade has loaded it, then let the
  // cascade react as if the resident had chosen it.
  function choose(select, code, ticket, then) {
    if (!code || ticket !== latest) { return; }
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === code; });
    if (!option) {
      var observer = new MutationObserver(function () {
        if (Array.prototype.some.call(select.options, function (o) { return o.value === code; })) {
          observer.disconnect();
          choose(select, code, ticket, then);
        }
      });
      observer.observe(select, {childList: true});
      setTimeout(function () { observer.disconnect(); }, 10000);
      return;
    }
    if (select.value !== code) {
      select.value = code;
      select.dispatchEvent(new Event("change", {bubbles: true}));
    }
    if (then) { then(); }
  }

  function placeMarker(point) {
    if (!marker) {
      marker = L.marker(point, {icon: icon, draggable: true, keyboard: true, title: element.getAttribute("aria-label")});
      marker.on("dragend", function () { pinned(marker.getLatLng()); });
      marker.addTo(map);
    } else {
      marker.setLatLng(point);
    }
  }

  function removeMarker() {
    if (marker) { map.removeLayer(marker); marker = null; }
  }

  function fill(point) {
    lat.value = point ? point.lat.toFixed(6) : "";
    lng.value = point ? point.lng.toFixed(6) : "";
    form.dispatchEvent(new Event("pin:set"));
  }

  // The pin moved (a tap, a drag, or the browser's location): ask which place it is in.
  function locate(point, fillFields) {
    var ticket = ++latest;
    say(status.getAttribute("data-busy"));
    var url = element.getAttribute("data-locate-url") + "?lat=" + point.lat.toFixed(6) + "&lng=" + point.lng.toFixed(6);
    getJSON(url).then(function (data) {
      if (ticket !== latest) { return; }
      if (!data.inside) {
        removeMarker();
        if (fillFields) { fill(null); }
        say(data.message);
        return;
      }
      if (fillFields) { fill(point); }
      say(status.getAttribute("data-found").replace("{place}", data.district_name));
      choose(district, data.district, ticket, function () {
        choose(street, data.street, ticket, function () { choose(community, data.community, ticket); });
      });
    }).catch(function () {
      if (ticket !== latest) { return; }
      // The server checks the point again when the form is sent.
      if (fillFields) { fill(point); }
      say(status.getAttribute("data-failed"));
    });
  }

  function pinned(point) {
    placeMarker(point);
    locate(point, true);
  }

  map.on("click", function (event) { pinned(event.latlng); });
  district.addEventListener("change", function () { showOutline(district.value); });
  // intake.js fires "change" on the latitude field when it sets or clears the browser's location.
  lat.addEventListener("change", function () {
    if (!lat.value || !lng.value) { removeMarker(); say(""); return; }
    var point = L.latLng(parseFloat(lat.value), parseFloat(lng.value));
    placeMarker(point);
    map.setView(point, Math.max(map.getZoom(), 14));
    locate(point, false);
  });

  if (lat.value && lng.value) {
    var given = L.latLng(parseFloat(lat.value), parseFloat(lng.value));
    placeMarker(given);
    map.setView(given, 14);
  }
  if (district.value) { showOutline(district.value); }
}());
