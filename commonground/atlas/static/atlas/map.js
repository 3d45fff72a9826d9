/* Activity map: markers (clustered) and areas from the GeoJSON endpoint; when the
   view holds too many activities the server sends counted groups instead, and a click
   on one zooms to it.
   Works without map tiles: the container's plain background stays visible. */
(function () {
  "use strict";

  function el(id) { return document.getElementById(id); }

  function popupHtml(p) {
    var div = document.createElement("div");
    var a = document.createElement("a");
    a.href = p.url; a.textContent = p.title;
    var strong = document.createElement("strong"); strong.appendChild(a);
    div.appendChild(strong);
    var info = document.createElement("div");
    info.textContent = [p.organisations.join(", "), p.themes.join(", "), p.status].filter(Boolean).join(" · ");
    div.appendChild(info);
    return div;
  }

  function tiles(map, node, status) {
    var url = node.dataset.tiles;
    if (!url) { return; }
    var layer = L.tileLayer(url, { maxZoom: 19, attribution: node.dataset.attribution || "" });
    var warned = false;
    layer.on("tileerror", function () {
      if (warned) { return; }
      warned = true;
      if (status) { status.textContent = node.dataset.offlineText || ""; }
    });
    layer.addTo(map);
  }

  function picker() {
    var node = el("atlas-picker");
    if (!node || typeof L === "undefined") { return; }
    var lat = el("id_latitude"), lon = el("id_longitude");
    if (!lat || !lon) { return; }
    var map = L.map(node, { scrollWheelZoom: false }).setView([59.915, 10.75], 12);
    tiles(map, node, null);
    var icon = L.divIcon({ className: "atlas-pin", iconSize: [14, 14] });
    var marker = null;
    function place(ll) {
      if (marker) { marker.setLatLng(ll); } else { marker = L.marker(ll, { icon: icon }).addTo(map); }
    }
    // A partner's address (the select "at_organisation"): choosing one fills in the
    // place and its coordinates and moves the pin; a click on the map is somewhere else.
    var at = el("id_at_organisation"), placeName = el("id_place_name");
    var data = el("atlas-partner-places");
    var partners = data ? JSON.parse(data.textContent) : {};
    var filledName = null;  // the place name the select wrote (replaced by the next choice)
    function fromPartner() {
      var p = at && partners[at.value];
      if (!p) { return; }
      lat.value = p[0].toFixed(6); lon.value = p[1].toFixed(6);
      if (placeName && (!placeName.value || placeName.value === filledName)) {
        placeName.value = p[2]; filledName = p[2];
      }
      var ll = L.latLng(p[0], p[1]);
      place(ll); map.setView(ll, 15);
    }
    if (at) { at.addEventListener("change", fromPartner); }
    if (lat.value && lon.value && !isNaN(parseFloat(lat.value))) {
      var start = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
      place(start); map.setView(start, 14);
    } else if (at && at.value) {
      fromPartner();
    }
    map.on("click", function (e) {
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      if (at) { at.value = ""; }
      place(e.latlng);
    });
  }

  function setup() {
    picker();
    var node = el("atlas-map");
    if (!node || typeof L === "undefined") { return; }
    var status = el("atlas-map-status");
    var map = L.map(node, { scrollWheelZoom: false }).setView([59.915, 10.75], 12);
    tiles(map, node, status);
    var icon = L.divIcon({ className: "atlas-pin", iconSize: [14, 14] });
    var cluster = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup({ maxClusterRadius: 40 }) : L.layerGroup();
    var areas = L.layerGroup();
    // Server-side grid clusters (when the box holds too many activities to draw one by one).
    var groups = L.layerGroup();
    cluster.addTo(map); areas.addTo(map); groups.addTo(map);

    function groupLabel(n) {
      var text = n === 1 ? node.dataset.groupOneText : node.dataset.groupText;
      return (text || "%(count)s").replace("%(count)s", String(n));
    }

    function drawGroup(f, bounds) {
      var p = f.properties, g = f.geometry;
      var ll = L.latLng(g.coordinates[1], g.coordinates[0]);
      var box = L.latLngBounds([p.bbox[1], p.bbox[0]], [p.bbox[3], p.bbox[2]]);
      var size = p.count < 10 ? 30 : p.count < 100 ? 36 : 44;
      var label = groupLabel(p.count);
      var icon = L.divIcon({
        className: "atlas-group",
        html: '<span aria-hidden="true">' + String(p.count) + "</span>",
        iconSize: [size, size]
      });
      var m = L.marker(ll, { icon: icon, title: label, alt: label, keyboard: true });
      m.on("add", function () {
        var el = m.getElement();
        if (el) { el.setAttribute("aria-label", label); el.setAttribute("role", "button"); }
      });
      m.on("click", function () {
        if (box.getNorth() === box.getSouth() && box.getEast() === box.getWest()) {
          map.setView(box.getCenter(), Math.min(map.getZoom() + 3, 19));
        } else {
          map.fitBounds(box.pad(0.1));
        }
      });
      groups.addLayer(m);
      bounds.extend(box);
    }

    function draw(data, fit) {
      cluster.clearLayers(); areas.clearLayers(); groups.clearLayers();
      var bounds = L.latLngBounds([]);
      (data.features || []).forEach(function (f) {
        var g = f.geometry;
        if (f.properties && f.properties.cluster) {
          drawGroup(f, bounds);
        } else if (g.type === "Point") {
          var ll = L.latLng(g.coordinates[1], g.coordinates[0]);
          var m = L.marker(ll, { icon: icon, title: f.properties.title, keyboard: true });
          m.bindPopup(popupHtml(f.properties));
          cluster.addLayer(m);
          bounds.extend(ll);
        } else {
          var layer = L.geoJSON(f, { style: { color: "#0f766e", weight: 2, fillOpacity: 0.15 } });
          layer.bindPopup(popupHtml(f.properties));
          areas.addLayer(layer);
          bounds.extend(layer.getBounds());
        }
      });
      if (status) {
        status.textContent = data.capped ? (node.dataset.cappedText || "")
          : data.clustered ? (node.dataset.clusteredText || "") : "";
      }
      if (fit && bounds.isValid()) { map.fitBounds(bounds.pad(0.1)); }
    }

    var single = el("atlas-feature");
    if (single) { draw(JSON.parse(single.textContent), true); return; }

    var base = node.dataset.geojson;
    var first = true;
    var latest = 0;
    function load() {
      var ticket = ++latest;
      var url = base;
      if (!first) {
        var b = map.getBounds();
        var box = [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].map(function (n) { return n.toFixed(6); }).join(",");
        url += (url.indexOf("?") >= 0 ? "&" : "?") + "bbox=" + encodeURIComponent(box);
      }
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { features: [] }; })
        .then(function (data) {
          if (ticket !== latest) { return; }  // a newer view was asked for meanwhile
          var wasFirst = first; first = false;
          draw(data, wasFirst && !data.capped);
          if (wasFirst && data.capped) { load(); }
        });
    }
    load();
    map.on("moveend", function () { if (!first) { load(); } });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setup); } else { setup(); }
})();
