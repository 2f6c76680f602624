/* Hadir mobile check-in app: today's card, map and distance, GPS + selfie check-in, offline queue,
 * device binding, this month's history. Plain script, no build step. */
(function () {
  "use strict";

  var CFG = JSON.parse(document.getElementById("hadir-config").textContent);
  var MSG = CFG.messages;
  var Q = window.HadirQueue;
  var LOCALE = CFG.lang && CFG.lang.indexOf("en") === 0 ? "en-GB" : "id-ID";
  var TZ_LABEL = { "Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT" };

  var state = {
    me: null,           // /api/org/me
    today: null,        // /api/presence/today
    tz: "Asia/Jakarta",
    locations: [],
    position: null,     // {latitude, longitude, accuracy_m, spread_m, n}
    blocked: false,
    stream: null,
    geoPromise: null,
    month: null,        // "YYYY-MM" shown in history
    ready: false,
    map: null, mapLayers: null
  };

  function $(id) { return document.getElementById(id); }
  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (_, k) { return values[k] === undefined ? "" : values[k]; });
  }
  function setText(id, text) { var el = $(id); if (el) el.textContent = text == null ? "" : text; }
  function show(id, on) { var el = $(id); if (el) el.hidden = !on; }
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  function numberId(n, digits) {
    return Number(n).toLocaleString(LOCALE, { maximumFractionDigits: digits || 0 });
  }

  /* ---------- dates and times in the work location's zone ---------- */
  function fmtDate(value, tz, opts) {
    var d = typeof value === "string" && value.length === 10 ? new Date(value + "T12:00:00Z") : new Date(value);
    var o = Object.assign({ timeZone: value.length === 10 ? "UTC" : (tz || state.tz) }, opts || { day: "numeric", month: "long", year: "numeric" });
    return new Intl.DateTimeFormat(LOCALE, o).format(d);
  }
  function fmtTime(value, tz) {
    if (!value) return "—";
    return new Intl.DateTimeFormat(LOCALE, { timeZone: tz || state.tz, hour: "2-digit", minute: "2-digit", hour12: false })
      .format(new Date(value)).replace(":", LOCALE === "id-ID" ? "." : ":");  // 07.30 in Indonesian
  }
  function tzLabel(tz) { return TZ_LABEL[tz] || tz; }

  /* ---------- device key: made once, kept by the app ---------- */
  function newKey() {
    var bytes = new Uint8Array(32);
    crypto.getRandomValues(bytes);
    var s = "";
    bytes.forEach(function (b) { s += String.fromCharCode(b); });
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function deviceKey() {
    var key = localStorage.getItem("hadir.deviceKey");
    return Q.getMeta("device_key").then(function (stored) {
      key = key || stored || newKey();
      localStorage.setItem("hadir.deviceKey", key);
      if (stored !== key) return Q.setMeta("device_key", key).then(function () { return key; });
      return key;
    });
  }
  function uuid4() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* ---------- API ---------- */
  function api(path, options) {
    options = options || {};
    var headers = Object.assign({ "Accept": "application/json", "Accept-Language": CFG.lang }, options.headers || {});
    if (options.method && options.method !== "GET") headers["X-CSRFToken"] = cookie(CFG.csrf_cookie);
    var body = options.body;
    if (options.json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(options.json); }
    return fetch(path, { method: options.method || "GET", headers: headers, body: body, credentials: "same-origin" })
      .then(function (resp) {
        var stale = resp.headers.get("X-Hadir-Stale") === "1";
        return resp.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          return { status: resp.status, ok: resp.ok, data: data, stale: stale };
        });
      });
  }
  function toLogin() {
    window.location.href = CFG.urls.login + "?next=" + encodeURIComponent(window.location.pathname);
  }

  /* ---------- network banner ---------- */
  function banner(text, kind) {
    var el = $("net-banner");
    el.textContent = text || "";
    el.className = "banner " + (kind || "");
    el.hidden = !text;
  }
  function updateOnline() {
    if (!navigator.onLine) banner(MSG.offline, "warn");
    else banner("", "");
  }

  /* ---------- geolocation: several samples, keep the best, measure the jitter ---------- */
  function haversine(lat1, lon1, lat2, lon2) {
    var R = 6371008.8, rad = Math.PI / 180;
    var dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
  }
  function summarise(samples) {
    var best = samples.reduce(function (a, b) { return b.accuracy < a.accuracy ? b : a; });
    var spread = samples.reduce(function (m, s) { return Math.max(m, haversine(best.latitude, best.longitude, s.latitude, s.longitude)); }, 0);
    return {
      latitude: best.latitude, longitude: best.longitude,
      // The uncertainty we report is the larger of what the chip claims and how far the samples wandered.
      accuracy_m: Math.round(Math.max(best.accuracy, spread) * 10) / 10,
      best_accuracy_m: best.accuracy, spread_m: Math.round(spread * 10) / 10, n: samples.length,
      // The raw samples go with the check-in: a real receiver jitters, a fake-GPS app repeats one point.
      gps_samples: samples.slice(-30).map(function (s) { return s.latitude + "," + s.longitude; }).join(";")
    };
  }
  function sampleLocation(durationMs, onProgress) {
    return new Promise(function (resolve, reject) {
      if (!navigator.geolocation) { reject({ code: 2 }); return; }
      var samples = [], lastError = null, done = false, watchId = null;
      function finish() {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (watchId !== null) navigator.geolocation.clearWatch(watchId);
        if (samples.length) { resolve(summarise(samples)); return; }
        if (lastError && lastError.code === 1) { reject(lastError); return; }
        // No fix during the window: wait a little longer for a single one.
        navigator.geolocation.getCurrentPosition(function (p) {
          resolve(summarise([{ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy: p.coords.accuracy }]));
        }, reject, { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
      }
      var timer = setTimeout(finish, durationMs);
      watchId = navigator.geolocation.watchPosition(function (p) {
        samples.push({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy: p.coords.accuracy });
        if (onProgress) onProgress(samples.length);
        if (samples.length >= 12) finish();
      }, function (err) {
        lastError = err;
        if (err.code === 1) finish();
      }, { enableHighAccuracy: true, maximumAge: 0, timeout: durationMs + 10000 });
    });
  }
  function geoError(err) {
    return err && err.code === 1 ? MSG.geo_denied : MSG.no_geo;
  }

  /* ---------- map and distance ---------- */
  function nearest(pos) {
    var best = null;
    state.locations.forEach(function (loc) {
      var d = haversine(pos.latitude, pos.longitude, loc.latitude, loc.longitude);
      if (!best || d < best.d) best = { d: d, loc: loc };
    });
    return best;
  }
  function renderDistance() {
    var pos = state.position;
    if (!state.locations.length) { setText("distance", MSG.no_location_assigned); return; }
    if (!pos) { setText("distance", MSG.distance_unknown); setText("accuracy", ""); drawMap(); return; }
    var n = nearest(pos);
    var d = n.d >= 1000 ? numberId(n.d / 1000, 1) + " km" : numberId(n.d) + " m";
    var inside = n.d <= n.loc.radius_m;
    var el = $("distance");
    el.textContent = fmt(MSG.distance, { d: d, name: n.loc.name }) + " — " +
      fmt(inside ? MSG.inside : MSG.outside, { r: n.loc.radius_m });
    el.className = "distance " + (inside ? "ok" : "bad");
    setText("accuracy", fmt(MSG.accuracy, { a: numberId(pos.best_accuracy_m), s: numberId(pos.spread_m), n: pos.n }));
    drawMap();
  }
  function drawMap() {
    if (!window.L) { show("map", false); return; }
    if (!state.map) {
      var first = state.locations[0];
      var center = first ? [first.latitude, first.longitude] : [-2.5, 118];
      state.map = L.map("map", { zoomControl: false, attributionControl: true }).setView(center, first ? 16 : 4);
      var tiles = L.tileLayer(CFG.tile_url, { maxZoom: 19, attribution: CFG.tile_attribution });
      var failed = 0;
      tiles.on("tileerror", function () {
        failed += 1;
        if (failed === 1) { var note = $("map-note"); note.textContent = MSG.map_unavailable; note.hidden = false; }
      });
      tiles.addTo(state.map);
      state.mapLayers = L.layerGroup().addTo(state.map);
    }
    state.mapLayers.clearLayers();
    var bounds = [];
    state.locations.forEach(function (loc) {
      L.circle([loc.latitude, loc.longitude], { radius: loc.radius_m, color: "#0b5ed7", weight: 2, fillOpacity: 0.12 })
        .bindTooltip(loc.name).addTo(state.mapLayers);
      bounds.push([loc.latitude, loc.longitude]);
    });
    if (state.position) {
      var p = [state.position.latitude, state.position.longitude];
      L.circle(p, { radius: Math.max(5, state.position.accuracy_m), color: "#198754", weight: 1, fillOpacity: 0.15 }).addTo(state.mapLayers);
      L.circleMarker(p, { radius: 7, color: "#fff", weight: 2, fillColor: "#198754", fillOpacity: 1 }).addTo(state.mapLayers);
      // Frame the person and the workplace that matters now (the nearest), not every office they may use.
      var n = nearest(state.position);
      bounds = n ? [p, [n.loc.latitude, n.loc.longitude]] : [p];
      if (n) {
        var r = n.loc.radius_m / 111320;  // keep the whole circle in view
        bounds.push([n.loc.latitude + r, n.loc.longitude + r], [n.loc.latitude - r, n.loc.longitude - r]);
      }
    }
    if (bounds.length > 1) state.map.fitBounds(bounds, { padding: [30, 30], maxZoom: 17 });
    else if (bounds.length === 1) state.map.setView(bounds[0], 16);
    setTimeout(function () { state.map.invalidateSize(); }, 50);
  }
  function locate(durationMs) {
    setText("progress", fmt(MSG.locating, { n: 0 }));
    state.geoPromise = sampleLocation(durationMs, function (n) { setText("progress", fmt(MSG.locating, { n: n })); })
      .then(function (pos) { state.position = pos; setText("progress", ""); renderDistance(); return pos; });
    state.geoPromise.catch(function (err) { setText("progress", geoError(err)); });
    return state.geoPromise;
  }

  /* ---------- today's card ---------- */
  function statusLabel(code) { return MSG["status_" + code] || code || "—"; }
  function kindLabel(code) { return MSG["kind_" + code] || code; }

  function renderToday() {
    var t = state.today;
    if (!t) return;
    state.tz = t.tz || state.tz;
    setText("today-date", fmtDate(t.date, null, { weekday: "long", day: "numeric", month: "long", year: "numeric" }));
    var wd = t.workday || {};
    var schedule;
    if (!wd.is_working_day) schedule = wd.holiday_name ? fmt(MSG.holiday, { name: wd.holiday_name }) : MSG.non_working;
    else if (wd.start && wd.end) schedule = fmt(MSG.work_hours, { start: fmtTime(wd.start), end: fmtTime(wd.end), tz: tzLabel(state.tz) });
    else schedule = "";
    if (wd.shift_name) schedule = fmt(MSG.shift, { name: wd.shift_name }) + " · " + schedule;
    setText("today-schedule", schedule);
    var st = t.status || {};
    var badge = $("today-status");
    badge.textContent = statusLabel(st.status);
    badge.className = "badge s-" + (st.status || "none");
    var detail = [];
    if (st.late_minutes) detail.push(fmt(MSG.late, { m: st.late_minutes, c: st.late_category || "" }));
    if (st.early_minutes) detail.push(fmt(MSG.early, { m: st.early_minutes, c: st.early_category || "" }));
    setText("today-detail", detail.join(" · "));
    var ul = $("today-windows");
    ul.innerHTML = "";
    var windows = wd.windows || {};
    Object.keys(windows).forEach(function (kind) {
      var w = windowOf(windows[kind]);
      var li = document.createElement("li");
      li.textContent = fmt(MSG.window, { kind: kindLabel(kind), open: fmtTime(w.open), close: fmtTime(w.close) }) + " " + tzLabel(state.tz);
      ul.appendChild(li);
    });
    document.querySelectorAll("#kinds .apel").forEach(function (label) {
      var kind = label.querySelector("input").value;
      label.hidden = !windows[kind];
    });
    suggestKind(windows, t.checkins || []);
    renderCheckins(t.checkins || []);
  }
  function windowOf(w) {
    // {open, close} from the API; a two-item list is accepted too.
    return Array.isArray(w) ? { open: w[0], close: w[1] } : w;
  }
  function suggestKind(windows, checkins) {
    var now = Date.now(), chosen = null;
    Object.keys(windows).forEach(function (kind) {
      var w = windowOf(windows[kind]);
      if (!chosen && now >= Date.parse(w.open) && now <= Date.parse(w.close)) chosen = kind;
    });
    if (!chosen) {
      var hasIn = checkins.some(function (c) { return c.kind === "masuk" && c.verdict === "accepted"; });
      chosen = hasIn ? "pulang" : "masuk";
    }
    var input = document.querySelector('#kinds input[value="' + chosen + '"]');
    if (input && !input.closest("label").hidden) input.checked = true;
  }
  function renderCheckins(list) {
    var ul = $("checkin-list");
    ul.innerHTML = "";
    if (!list.length) { var e = document.createElement("li"); e.className = "muted"; e.textContent = MSG.no_checkins; ul.appendChild(e); return; }
    list.forEach(function (c) {
      var li = document.createElement("li");
      li.className = c.verdict === "accepted" ? "ok" : "bad";
      li.dataset.uuid = c.client_uuid || "";
      var head = document.createElement("strong");
      head.textContent = kindLabel(c.kind) + " " + fmtTime(c.occurred_at) + " " + tzLabel(state.tz);
      var verdict = document.createElement("span");
      verdict.className = "verdict";
      verdict.textContent = " — " + (c.verdict === "accepted" ? MSG.accepted : MSG.rejected);
      li.appendChild(head); li.appendChild(verdict);
      var notes = [];
      if (c.reason) notes.push(c.reason);
      if (c.validity === "pending") notes.push(MSG.validity_pending);
      if (c.validity === "invalid") notes.push(MSG.validity_invalid);
      if (notes.length) { var r = document.createElement("div"); r.className = "small muted"; r.textContent = notes.join(" · "); li.appendChild(r); }
      ul.appendChild(li);
    });
  }
  function loadToday() {
    return api(CFG.api.today).then(function (r) {
      if (r.status === 401) { toLogin(); return; }
      if (!r.ok || !r.data) { setText("today-schedule", (r.data && r.data.message) || MSG.load_error); return; }
      state.today = r.data;
      if (r.data.locations) state.locations = r.data.locations;
      renderToday();
      renderDistance();
      if (r.stale) setText("today-detail", MSG.stale);
    }, function () { setText("today-schedule", MSG.load_error); });
  }

  /* ---------- identity and device binding ---------- */
  function loadMe() {
    return api(CFG.api.me).then(function (r) {
      if (r.status === 401) { toLogin(); return null; }
      if (!r.ok || !r.data) return null;
      state.me = r.data;
      if (!state.locations.length && r.data.locations) state.locations = r.data.locations;
      if (state.locations.length && state.locations[0].timezone) state.tz = state.locations[0].timezone;
      var emp = r.data.employee;
      setText("who", emp ? emp.name : r.data.username);
      return Promise.all([
        Q.setMeta("user", r.data.username), Q.setMeta("csrf", cookie(CFG.csrf_cookie)),
        Q.setMeta("lang", CFG.lang), Q.setMeta("batch_url", CFG.api.batch)
      ]).then(function () { return r.data; });
    }, function () { return null; });
  }
  function block(message) {
    state.blocked = true;
    setText("blocked-message", message);
    show("blocked", true);
    $("btn-start").disabled = true;
    localStorage.setItem("hadir.blocked", message);
  }
  function registerDevice() {
    if (!state.me) {
      var remembered = localStorage.getItem("hadir.blocked");
      if (remembered) block(remembered);
      return Promise.resolve();
    }
    if (!state.me.employee) { block(MSG.no_employee); return Promise.resolve(); }
    return deviceKey().then(function (key) {
      return api(CFG.api.device, { method: "POST", json: { device_key: key, label: "" } });
    }).then(function (r) {
      if (r.status === 409 || r.status === 403) { block(r.data && r.data.message || MSG.device_refused_title); return; }
      if (r.ok) {
        state.blocked = false;
        localStorage.removeItem("hadir.blocked");
        show("blocked", false);
        $("btn-start").disabled = false;
        if (r.data) setText("device-info", fmt(MSG.device_info, { date: r.data.bound_at_display }));
        if (r.data && r.data.shared) setText("progress", MSG.shared_device);
      }
    }, function () {});
  }

  /* ---------- camera ---------- */
  function startCamera() {
    show("camera-box", true);
    show("selfie", false);
    show("camera", true);
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return Promise.resolve(null);
    return navigator.mediaDevices.getUserMedia({ video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } }, audio: false })
      .then(function (stream) {
        state.stream = stream;
        var video = $("camera");
        video.srcObject = stream;
        return video.play().catch(function () {}).then(function () { return stream; });
      }, function (err) {
        show("camera-box", false);
        setText("progress", err && err.name === "NotAllowedError" ? MSG.camera_denied : MSG.no_camera);
        return null;
      });
  }
  function stopCamera() {
    if (state.stream) state.stream.getTracks().forEach(function (t) { t.stop(); });
    state.stream = null;
  }
  function waitForFrame(video) {
    if (video.readyState >= 2 && video.videoWidth) return Promise.resolve();
    return new Promise(function (resolve) {
      var timer = setTimeout(resolve, 3000);
      video.addEventListener("loadeddata", function () { clearTimeout(timer); resolve(); }, { once: true });
    });
  }
  function takeSelfie() {
    var video = $("camera");
    if (!state.stream) return Promise.resolve(null);
    return waitForFrame(video).then(function () {
      var w = video.videoWidth || 640, h = video.videoHeight || 480, scale = Math.min(1, 640 / Math.max(w, h));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
      canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.82); });
    }).then(function (blob) {
      stopCamera();
      if (blob) {
        var img = $("selfie");
        img.src = URL.createObjectURL(blob);
        img.hidden = false;
        show("camera", false);
      }
      return blob;
    });
  }

  /* ---------- check-in ---------- */
  function selectedKind() {
    var el = document.querySelector('#kinds input[name="kind"]:checked');
    return el ? el.value : "masuk";
  }
  function resetFlow() {
    stopCamera();
    show("camera-box", false);
    show("btn-start", true); show("btn-send", false); show("btn-cancel", false);
    $("btn-start").disabled = state.blocked;
  }
  function startFlow() {
    show("result", false);
    show("btn-start", false); show("btn-send", true); show("btn-cancel", true);
    $("btn-send").disabled = true;
    locate(CFG.geo_sample_ms).catch(function () {});
    startCamera().then(function () { $("btn-send").disabled = false; });
  }
  function showResult(kind, title, reason, detail, photo) {
    var card = $("result");
    var img = $("result-photo");
    if (img.src) URL.revokeObjectURL(img.src);
    if (photo) { img.src = URL.createObjectURL(photo); img.hidden = false; } else { img.removeAttribute("src"); img.hidden = true; }
    card.className = "card result " + kind;
    setText("result-title", title);
    setText("result-reason", reason || "");
    setText("result-detail", detail || "");
    card.hidden = false;
    card.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }
  function sendFlow() {
    $("btn-send").disabled = true;
    var kind = selectedKind();
    var capturedAt = new Date().toISOString();
    Promise.all([takeSelfie(), state.geoPromise.then(null, function (err) { return { error: err }; }), deviceKey()])
      .then(function (parts) {
        var photo = parts[0], pos = parts[1], key = parts[2];
        if (!pos || pos.error) {
          showResult("bad", MSG.result_title_rejected, geoError(pos && pos.error));
          resetFlow();
          return;
        }
        var item = {
          client_uuid: uuid4(), user: state.me ? state.me.username : "", kind: kind, captured_at: capturedAt,
          latitude: pos.latitude, longitude: pos.longitude, accuracy_m: pos.accuracy_m, spread_m: pos.spread_m,
          samples: pos.n, gps_samples: pos.gps_samples || "", mock_location: false, device_id: key, photo: photo || null
        };
        // Saved before sending: if the answer never arrives the queue still has it.
        return Q.put(item).then(function () { return sendOnline(item); });
      })
      .catch(function (err) {
        showResult("bad", MSG.result_title_rejected, String(err && err.message || err));
      })
      .then(function () { resetFlow(); refreshQueue(); });
  }
  function sendOnline(item) {
    if (!navigator.onLine) return queued(item);
    var form = new FormData();
    ["client_uuid", "kind", "latitude", "longitude", "accuracy_m", "device_id"].forEach(function (k) { form.append(k, item[k]); });
    if (item.gps_samples) form.append("gps_samples", item.gps_samples);
    form.append("client_time", item.captured_at);
    form.append("mock_location", item.mock_location ? "true" : "false");
    if (item.photo) form.append("photo", item.photo, "swafoto.jpg");
    return api(CFG.api.checkin, { method: "POST", body: form }).then(function (r) {
      if (r.status === 401) { showResult("bad", MSG.result_title_queued, MSG.session_expired); return; }
      if (r.status >= 500) { return queued(item, MSG.server_error); }
      if (!r.ok) {
        // Refused as malformed: it was never stored, so it must not linger in the queue.
        return Q.remove([item.client_uuid]).then(function () {
          showResult("bad", MSG.result_title_rejected, (r.data && r.data.message) || String(r.status));
        });
      }
      return Q.remove([item.client_uuid]).then(function () {
        var c = r.data;
        var ok = c.verdict === "accepted";
        var detail = [kindLabel(c.kind) + " " + fmtTime(c.occurred_at) + " " + tzLabel(state.tz)];
        if (c.location_name) detail.push(c.location_name + (c.distance_m != null ? " (" + numberId(c.distance_m) + " m)" : ""));
        showResult(ok ? "ok" : "bad", ok ? MSG.result_title_accepted : MSG.result_title_rejected, c.reason || "",
          detail.join(" · "), item.photo);
        return loadToday();
      });
    }, function () { return queued(item); });
  }
  function queued(item, message) {
    showResult("wait", MSG.result_title_queued, message || MSG.queued_saved,
      kindLabel(item.kind) + " " + fmtTime(item.captured_at) + " " + tzLabel(state.tz), item.photo);
    return requestSync();
  }

  /* ---------- offline queue ---------- */
  function refreshQueue() {
    if (!state.me) return Promise.resolve();
    return Q.forUser(state.me.username).then(function (items) {
      var ul = $("queue-list");
      ul.innerHTML = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "wait";
        li.dataset.uuid = item.client_uuid;
        li.textContent = kindLabel(item.kind) + " " + fmtTime(item.captured_at) + " " + tzLabel(state.tz) + " — " + MSG.pending_send;
        if (item.error) { var e = document.createElement("div"); e.className = "small bad"; e.textContent = item.error; li.appendChild(e); }
        ul.appendChild(li);
      });
      show("queue-card", items.length > 0);
      if (items.length) setText("queue-title", fmt(MSG.pending_count, { n: items.length }));
      return items;
    });
  }
  function requestSync() {
    if ("serviceWorker" in navigator && navigator.serviceWorker.controller) {
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.sync && reg.sync.register) return reg.sync.register("hadir-queue");
      }).catch(function () {});
    }
    return Promise.resolve();
  }
  var flushing = null;
  function flushNow() {
    if (flushing || !state.me) return flushing || Promise.resolve();
    if ($("queue-list").children.length) setText("progress", MSG.sending);
    flushing = Q.setMeta("csrf", cookie(CFG.csrf_cookie)).then(function () { return Q.flush(); }).then(function (outcome) {
      if ($("progress").textContent === MSG.sending) setText("progress", "");
      if (outcome.sent) {
        banner(fmt(MSG.synced, { n: outcome.sent }), "ok");
        var last = outcome.results[outcome.results.length - 1];
        if (last) showResult(last.verdict === "accepted" ? "ok" : "bad",
          last.verdict === "accepted" ? MSG.result_title_accepted : MSG.result_title_rejected, last.reason,
          kindLabel(last.kind) + " " + fmtTime(last.captured_at) + " " + tzLabel(state.tz));
        loadToday();
      }
      if (outcome.error === "auth") setText("progress", MSG.session_expired);
      return outcome;
    }).catch(function () {}).then(function (o) { flushing = null; return refreshQueue().then(function () { return o; }); });
    return flushing;
  }

  /* ---------- history ---------- */
  function monthNow() {
    var d = state.today ? state.today.date : new Intl.DateTimeFormat("en-CA", { timeZone: state.tz }).format(new Date());
    return d.slice(0, 7);
  }
  function shiftMonth(month, delta) {
    var y = Number(month.slice(0, 4)), m = Number(month.slice(5, 7)) - 1 + delta;
    y += Math.floor(m / 12); m = ((m % 12) + 12) % 12;
    return y + "-" + String(m + 1).padStart(2, "0");
  }
  function loadHistory() {
    state.month = state.month || monthNow();
    setText("month-label", fmtDate(state.month + "-15", null, { month: "long", year: "numeric" }));
    $("month-next").disabled = state.month >= monthNow();
    var body = $("history-body");
    return api(CFG.api.history + "?month=" + state.month).then(function (r) {
      if (r.status === 401) { toLogin(); return; }
      body.innerHTML = "";
      if (!r.ok || !r.data) { setText("history-summary", (r.data && r.data.message) || MSG.load_error); return; }
      var days = r.data.days || [];
      var counts = {};
      days.forEach(function (day) {
        counts[day.status] = (counts[day.status] || 0) + 1;
        var tr = document.createElement("tr");
        tr.className = "s-" + day.status;
        var cells = [
          fmtDate(day.date, null, { weekday: "short", day: "numeric" }),
          statusLabel(day.status) + (day.late_category ? " (" + day.late_category + ")" : "") + (day.early_category ? " (" + day.early_category + ")" : ""),
          fmtTime(day.first_in), fmtTime(day.last_out)
        ];
        cells.forEach(function (text) { var td = document.createElement("td"); td.textContent = text; tr.appendChild(td); });
        body.appendChild(tr);
      });
      show("history-table", days.length > 0);
      if (!days.length) { setText("history-summary", MSG.history_empty); return; }
      var summary = Object.keys(counts).map(function (k) { return statusLabel(k) + ": " + counts[k]; }).join(" · ");
      if (r.data.total_late_minutes || r.data.total_early_minutes) {
        summary += " — " + fmt(MSG.totals, { late: r.data.total_late_minutes || 0, early: r.data.total_early_minutes || 0 });
      }
      setText("history-summary", summary + (r.stale ? " — " + MSG.stale : ""));
    }, function () { setText("history-summary", MSG.load_error); });
  }

  /* ---------- views ---------- */
  function currentView() {
    return window.location.pathname.indexOf(CFG.urls.history) === 0 ? "history" : "today";
  }
  function showView(view) {
    show("view-today", view === "today");
    show("view-history", view === "history");
    $("tab-today").classList.toggle("active", view === "today");
    $("tab-history").classList.toggle("active", view === "history");
    // History times are shown in the workplace's zone, known once today's data (or its cache) is in.
    if (view === "history" && state.ready) loadHistory();
    else if (state.map) setTimeout(function () { state.map.invalidateSize(); }, 50);
  }
  // Only the app's own views switch in place; Koreksi, Rekap and TPP are pages of their own.
  document.querySelectorAll(".tabs a[data-view]").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      history.pushState({}, "", a.getAttribute("href"));
      showView(a.dataset.view);
    });
  });
  window.addEventListener("popstate", function () { showView(currentView()); });

  /* ---------- wiring ---------- */
  $("btn-start").addEventListener("click", startFlow);
  $("btn-send").addEventListener("click", sendFlow);
  $("btn-cancel").addEventListener("click", function () { resetFlow(); setText("progress", ""); });
  $("btn-locate").addEventListener("click", function () { locate(Math.min(CFG.geo_sample_ms, 3000)).catch(function () {}); });
  $("btn-sync").addEventListener("click", flushNow);
  $("month-prev").addEventListener("click", function () { state.month = shiftMonth(state.month, -1); loadHistory(); });
  $("month-next").addEventListener("click", function () { state.month = shiftMonth(state.month, 1); loadHistory(); });
  ["lang-form", "logout-form"].forEach(function (id) {
    $(id).addEventListener("submit", function (ev) {
      var form = ev.target;
      form.querySelector('[name="csrfmiddlewaretoken"]').value = cookie(CFG.csrf_cookie);
      if (id === "lang-form") form.querySelector('[name="next"]').value = window.location.pathname;
      if (id === "logout-form") {
        var pending = $("queue-list").children.length;
        if (pending && !window.confirm(fmt(MSG.logout_pending, { n: pending }))) { ev.preventDefault(); return; }
        if (navigator.serviceWorker && navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({ type: "hadir-logout" });
        Q.setMeta("user", "");
      }
    });
  });
  window.addEventListener("online", function () { banner(MSG.online, "ok"); flushNow(); });
  window.addEventListener("offline", updateOnline);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (ev) {
      if (ev.data && ev.data.type === "hadir-synced") { refreshQueue(); loadToday(); }
    });
    navigator.serviceWorker.register(CFG.urls.sw, { scope: CFG.urls.app }).then(setupPush).catch(function () {});
  }

  updateOnline();
  showView(currentView());
  loadMe()
    .then(registerDevice)
    .then(function () { return Promise.all([loadToday(), refreshQueue()]); })
    .then(function () {
      state.ready = true;
      if (currentView() === "history") loadHistory();
      window.hadirReady = true;
      document.body.dataset.ready = "1";
      if (navigator.onLine) flushNow();
      if (state.locations.length && !state.blocked) locate(Math.min(CFG.geo_sample_ms, 2000)).catch(function () {});
    });

  // Exposed for debugging and the browser tests.
  /* ---------- Web Push: roll calls and other notices reach the phone (when the server has VAPID keys) ---------- */
  function b64urlToBytes(text) {
    var pad = "=".repeat((4 - text.length % 4) % 4);
    var raw = atob((text + pad).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }
  function setupPush(registration) {
    var btn = $("btn-push");
    if (!btn || !registration || !registration.pushManager || !window.Notification) return;
    api(CFG.api.push_key).then(function (r) {
      var key = r.ok && r.data && r.data.public_key;
      if (!key) return;
      return registration.pushManager.getSubscription().then(function (existing) {
        if (existing) return send(existing);  // keep the server's copy fresh
        btn.hidden = false;
        btn.addEventListener("click", function () {
          Notification.requestPermission().then(function (p) {
            if (p !== "granted") { btn.textContent = MSG.push_denied; return; }
            return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64urlToBytes(key) })
              .then(send).then(function () { btn.textContent = MSG.push_on; btn.disabled = true; });
          }).catch(function () {});
        });
      });
    }).catch(function () {});
    function send(sub) {
      var json = sub.toJSON();
      return api(CFG.api.push_subscribe, { method: "POST", json: { endpoint: json.endpoint, keys: json.keys } });
    }
  }

  window.Hadir = { state: state, flush: flushNow, queue: Q, summarise: summarise, haversine: haversine };
})();
