/* Hadir service worker (scope {{ scope }}), cache version {{ version }}.
 * - app shell and static files: cache-first from a versioned cache; old caches dropped on activate
 * - pages under the scope: network first, the cached shell when offline
 * - GET /api/presence/today|history and /api/org/me: network first, last answer when offline
 * - Background Sync "hadir-queue": sends the offline check-in queue (see queue.js)
 */
"use strict";
importScripts("{{ queue_js }}");

var VERSION = "{{ version }}";
var SHELL_CACHE = "hadir-shell-" + VERSION;
var DATA_CACHE = "hadir-data-v1";
var PRECACHE = {{ precache_json|safe }};
var SHELL_URL = "{{ shell_url }}";
var SCOPE = "{{ scope }}";
var DATA_PATHS = ["/api/presence/today", "/api/presence/history", "/api/org/me"];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(function (cache) {
      return cache.addAll(PRECACHE.map(function (u) { return new Request(u, { credentials: "same-origin" }); }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) {
        return k.indexOf("hadir-shell-") === 0 && k !== SHELL_CACHE;
      }).map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isDataRequest(url) {
  return DATA_PATHS.some(function (p) { return url.pathname === p; });
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") return;  // check-ins and logins always go to the network
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;  // map tiles: straight to the network

  if (req.mode === "navigate" && url.pathname.indexOf(SCOPE) === 0) {
    event.respondWith(
      fetch(req).then(function (resp) {
        // The app pages render the same shell: keep the cached one in the language last used.
        if (resp.ok && !resp.redirected && resp.headers.get("X-Hadir-Shell") === "1") {
          var copy = resp.clone();
          event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) { return cache.put(SHELL_URL, copy); }));
        }
        return resp;
      }).catch(function () {
        return caches.open(SHELL_CACHE).then(function (cache) { return cache.match(SHELL_URL, { ignoreVary: true }); });
      })
    );
    return;
  }
  if (isDataRequest(url)) {
    event.respondWith(
      fetch(req).then(function (resp) {
        if (resp.ok) {
          var copy = resp.clone();
          caches.open(DATA_CACHE).then(function (cache) { cache.put(req, copy); });
        }
        return resp;
      }).catch(function () {
        return caches.open(DATA_CACHE).then(function (cache) {
          return cache.match(req).then(function (hit) {
            if (!hit) return Response.error();
            // Tell the page this is the last known answer, not a live one.
            var headers = new Headers(hit.headers);
            headers.set("X-Hadir-Stale", "1");
            return hit.blob().then(function (body) {
              return new Response(body, { status: hit.status, headers: headers });
            });
          });
        });
      })
    );
    return;
  }
  if (PRECACHE.indexOf(url.pathname) !== -1) {
    event.respondWith(
      caches.open(SHELL_CACHE).then(function (cache) {
        return cache.match(url.pathname, { ignoreVary: true }).then(function (hit) { return hit || fetch(req); });
      })
    );
  }
});

function notifyClients(message) {
  return self.clients.matchAll({ includeUncontrolled: true, type: "window" }).then(function (list) {
    list.forEach(function (c) { c.postMessage(message); });
  });
}

function flushQueue() {
  return self.HadirQueue.flush().then(function (outcome) {
    if (outcome.sent) return notifyClients({ type: "hadir-synced", outcome: outcome }).then(function () { return outcome; });
    return outcome;
  }).then(function (outcome) {
    // Background Sync retries when the promise rejects: do that while the network is still down.
    if (outcome.error === "offline" || outcome.error === "server") throw new Error(outcome.error);
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "hadir-queue") event.waitUntil(flushQueue());
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "hadir-flush") event.waitUntil(flushQueue().catch(function () {}));
  if (data.type === "hadir-logout") {
    event.waitUntil(caches.delete(DATA_CACHE));
  }
});

// Web Push (hadir.notify.webpush): a roll call or another notice; a tap opens its page in the app.
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { body: event.data && event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "Hadir", {
    body: data.body || "", tag: data.kind || "hadir", data: { url: data.url || "/m/" }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || "/m/";
  event.waitUntil(self.clients.openWindow(url));
});
