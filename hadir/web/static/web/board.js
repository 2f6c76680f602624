// Today's check-in map. Works without tiles (blocked or offline): points and radii still show on a
// plain background, and the page never depends on the map to load.
(function () {
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { zoomControl: true, attributionControl: true }).setView([-2.5, 118], 5);
  var tiles = el.dataset.tiles;
  if (tiles) {
    var layer = L.tileLayer(tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" });
    layer.on("tileerror", function () { el.dataset.tilesFailed = "1"; });
    layer.addTo(map);
  }
  var group = L.featureGroup().addTo(map);
  function load(url) {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        group.clearLayers();
        data.locations.forEach(function (l) {
          L.circle([l.lat, l.lon], { radius: l.radius_m, color: "#0d2b4e", weight: 1, fillOpacity: 0.08 })
            .bindTooltip(l.name).addTo(group);
        });
        data.points.forEach(function (p) {
          L.circleMarker([p.lat, p.lon], { radius: 5, color: "#0b5ed7", fillOpacity: 0.8 })
            .bindPopup(p.name + " — " + p.time + (p.distance_m !== null ? " (" + p.distance_m + " m)" : ""))
            .addTo(group);
        });
        el.dataset.points = String(data.points.length);
        el.dataset.loaded = "1";
        if (group.getLayers().length) { map.fitBounds(group.getBounds().pad(0.2), { maxZoom: 16 }); }
      })
      .catch(function () { el.dataset.loaded = "error"; });
  }
  load(el.dataset.url);
  // Follow the filters: reload points whenever the live board is swapped in.
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "live") {
      var form = document.getElementById("filters");
      var qs = new URLSearchParams(new FormData(form)).toString();
      load(el.dataset.url.split("?")[0] + "?" + qs);
    }
  });
})();
