// The evidence map: the check-in (red when flagged), the employee's other fixes around it, the work locations' radii.
(function () {
  var el = document.getElementById("map");
  if (!el || !window.L) return;
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var map = L.map(el).setView([-2.5, 118], 5);
  if (el.dataset.tiles) L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
  var group = L.featureGroup().addTo(map);
  data.locations.forEach(function (l) {
    L.circle([l.lat, l.lon], { radius: l.radius, color: "#0b5ed7", weight: 1, fillOpacity: 0.08 }).bindTooltip(l.name).addTo(group);
  });
  data.points.forEach(function (p) {
    L.circleMarker([p.lat, p.lon], { radius: p.current ? 8 : 5, color: p.flagged ? "#b00020" : "#198754",
      weight: p.current ? 3 : 1, fillOpacity: 0.7 }).bindTooltip(p.label).addTo(group);
  });
  if (group.getLayers().length) map.fitBounds(group.getBounds().pad(0.2), { maxZoom: 17 });
  el.dataset.loaded = "1";
})();
