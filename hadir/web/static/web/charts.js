// The chart page: a chart as PNG (its SVG drawn on a canvas, in the browser), the OPD select submits, and the
// month's check-ins per work location on the Leaflet map (works without tiles, as the board's map).
(function () {
  function download(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function svgToPng(svg, name) {
    var w = svg.viewBox.baseVal.width || svg.clientWidth, h = svg.viewBox.baseVal.height || svg.clientHeight;
    var copy = svg.cloneNode(true);
    copy.setAttribute("width", w);
    copy.setAttribute("height", h);
    var text = new XMLSerializer().serializeToString(copy);
    var img = new Image();
    img.onload = function () {
      var scale = 2, canvas = document.createElement("canvas");
      canvas.width = w * scale;
      canvas.height = h * scale;
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0, w, h);
      canvas.toBlob(function (blob) { download(blob, name + ".png"); }, "image/png");
    };
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
  }
  document.querySelectorAll("button.png").forEach(function (b) {
    b.addEventListener("click", function () {
      var svg = document.getElementById(b.dataset.svg);
      if (svg) { svgToPng(svg, b.dataset.name || b.dataset.svg); }
    });
  });
  var opd = document.getElementById("chart-opd");
  if (opd) { opd.addEventListener("change", function () { opd.form.submit(); }); }

  var el = document.getElementById("map"), data = document.getElementById("map-points");
  if (!el || !data || !window.L) { return; }
  var points = JSON.parse(data.textContent);
  var map = L.map(el).setView([-2.5, 118], 5);
  if (el.dataset.tiles) {
    var layer = L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" });
    layer.on("tileerror", function () { el.dataset.tilesFailed = "1"; });
    layer.addTo(map);
  }
  var group = L.featureGroup().addTo(map);
  var most = Math.max.apply(null, points.map(function (p) { return p.n; }).concat([1]));
  points.forEach(function (p) {
    L.circleMarker([p.lat, p.lon], { radius: 4 + 26 * Math.sqrt(p.n / most), color: "#0d2b4e", weight: 1,
                                     fillColor: "#1565c0", fillOpacity: 0.45 })
      .bindTooltip(p.name + " (" + p.opd + "): " + p.n).addTo(group);
  });
  el.dataset.points = String(points.length);
  if (points.length) { map.fitBounds(group.getBounds().pad(0.2), { maxZoom: 15 }); }
})();
