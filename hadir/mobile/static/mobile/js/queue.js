/* Hadir offline queue: check-ins waiting in IndexedDB until the server acknowledges them.
 *
 * Loaded by the page (window.HadirQueue) and by the service worker (importScripts), so both can
 * send the queue: the page on open and on the `online` event, the worker on Background Sync.
 * An item leaves the queue only after the server answered with a result for its client_uuid; the
 * server stores each client_uuid once, so sending an item twice (page and worker racing, a lost
 * response, a crash between answer and delete) never makes two check-ins.
 */
(function (global) {
  "use strict";

  var DB_NAME = "hadir";
  var DB_VERSION = 1;
  var BATCH_SIZE = 50;
  var dbPromise = null;

  function openDb() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("queue")) {
          var store = db.createObjectStore("queue", { keyPath: "client_uuid" });
          store.createIndex("user", "user", { unique: false });
        }
        if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", { keyPath: "k" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { dbPromise = null; reject(req.error); };
    });
    return dbPromise;
  }

  function tx(storeName, mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(storeName, mode);
        var store = t.objectStore(storeName);
        var result;
        Promise.resolve(fn(store, function (v) { result = v; })).catch(reject);
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }

  function getMeta(key) {
    return tx("meta", "readonly", function (store, done) {
      var r = store.get(key);
      r.onsuccess = function () { done(r.result ? r.result.v : undefined); };
    });
  }

  function setMeta(key, value) {
    return tx("meta", "readwrite", function (store) { store.put({ k: key, v: value }); });
  }

  function put(item) {
    return tx("queue", "readwrite", function (store) { store.put(item); });
  }

  function remove(uuids) {
    return tx("queue", "readwrite", function (store) {
      uuids.forEach(function (u) { store.delete(u); });
    });
  }

  function all() {
    return tx("queue", "readonly", function (store, done) {
      var r = store.getAll();
      r.onsuccess = function () {
        var items = r.result || [];
        items.sort(function (a, b) { return a.captured_at < b.captured_at ? -1 : 1; });
        done(items);
      };
    });
  }

  function forUser(user) {
    return all().then(function (items) {
      return items.filter(function (i) { return i.user === user; });
    });
  }

  // The wire form of a queued item for POST /api/presence/checkins/batch. The batch endpoint is
  // JSON only: a selfie taken offline follows once its check-in is stored (uploadPhotos).
  function toPayload(item) {
    return {
      client_uuid: item.client_uuid,
      kind: item.kind,
      captured_at: item.captured_at,
      client_time: item.captured_at,
      latitude: item.latitude,
      longitude: item.longitude,
      accuracy_m: item.accuracy_m,
      mock_location: !!item.mock_location,
      device_id: item.device_id || "",
      gps_samples: item.gps_samples || ""
    };
  }

  function withLock(fn) {
    // Page and worker may both try to send; the Web Locks API keeps it to one at a time.
    if (global.navigator && navigator.locks && navigator.locks.request) {
      return navigator.locks.request("hadir-queue-flush", fn);
    }
    return fn();
  }

  /* Send every queued item of the signed-in user. Resolves to
   * {sent, results, error}: error is "offline", "auth", "server" or "invalid" (with message). */
  function flush(options) {
    options = options || {};
    return withLock(function () {
      return Promise.all([getMeta("user"), getMeta("csrf"), getMeta("lang"), getMeta("batch_url")]).then(function (m) {
        var user = m[0], csrf = m[1], lang = m[2] || "id", url = options.batchUrl || m[3] || "/api/presence/checkins/batch";
        if (!user) return { sent: 0, results: [], error: "auth" };
        return forUser(user).then(function (all) {
          var outcome = { sent: 0, results: [], error: null, message: "" };
          // Items already stored whose selfie did not get through last time: only the selfie is left to send.
          var photoOnly = all.filter(function (i) { return i.stored; });
          var items = all.filter(function (i) { return !i.stored; });
          var chunks = [];
          for (var i = 0; i < items.length; i += BATCH_SIZE) chunks.push(items.slice(i, i + BATCH_SIZE));
          return uploadPhotos(url, photoOnly, csrf, lang).then(function () {
            return chunks.reduce(function (prev, chunk) {
              return prev.then(function () {
                if (outcome.error) return;
                return sendChunk(url, chunk, csrf, lang, outcome);
              });
            }, Promise.resolve());
          }).then(function () {
            if (outcome.results.length) {
              return getMeta("recent_results").then(function (recent) {
                var merged = outcome.results.concat(recent || []).slice(0, 30);
                return setMeta("recent_results", merged);
              }).then(function () { return outcome; });
            }
            return outcome;
          });
        });
      });
    });
  }

  function sendChunk(url, chunk, csrf, lang, outcome) {
    return Promise.resolve(chunk.map(toPayload)).then(function (payload) {
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "Accept-Language": lang,
          "X-CSRFToken": csrf || "",
          "X-Requested-With": "hadir-queue"
        },
        // sent_at lets the server correct capture times of a phone whose clock is wrong.
        body: JSON.stringify({ items: payload, sent_at: new Date().toISOString() })
      });
    }).then(function (resp) {
      if (resp.status === 401 || resp.status === 403) { outcome.error = "auth"; return; }
      if (resp.status >= 500) { outcome.error = "server"; return; }
      return resp.json().then(function (body) {
        if (!resp.ok) {
          outcome.error = "invalid";
          outcome.message = body && body.message || String(resp.status);
          // Keep the items (they are evidence) but mark them so the person can see why they stay.
          return Promise.all(chunk.map(function (item) {
            item.error = outcome.message;
            return put(item);
          }));
        }
        var acked = [];
        var byUuid = {};
        chunk.forEach(function (item) { byUuid[item.client_uuid] = item; });
        (body.results || []).forEach(function (r) {
          if (r && r.client_uuid && byUuid[r.client_uuid]) {
            acked.push(r.client_uuid);
            var item = byUuid[r.client_uuid];
            outcome.results.push({
              client_uuid: r.client_uuid, kind: item.kind, captured_at: item.captured_at,
              verdict: r.verdict, reason_code: r.reason_code || "", reason: r.reason || "", created: !!r.created
            });
          }
        });
        outcome.sent += acked.length;
        var withPhoto = chunk.filter(function (i) { return i.photo && acked.indexOf(i.client_uuid) !== -1; });
        return remove(acked.filter(function (u) { return !byUuid[u].photo; })).then(function () {
          return Promise.all(withPhoto.map(function (i) { i.stored = true; return put(i); }));
        }).then(function () { return uploadPhotos(url, withPhoto, csrf, lang); });
      });
    }, function () {
      outcome.error = "offline";
    });
  }

  /* The selfies of stored offline check-ins, one multipart POST each; an item leaves the queue once its selfie
   * is in (or refused for good: a 4xx other than auth). Network or server trouble: it stays for the next flush. */
  function uploadPhotos(batchUrl, items, csrf, lang) {
    return items.reduce(function (prev, item) {
      return prev.then(function () {
        var form = new FormData();
        form.append("photo", item.photo, "swafoto.jpg");
        return fetch(batchUrl.replace(/batch\/?$/, item.client_uuid + "/photo"), {
          method: "POST", credentials: "same-origin", body: form,
          headers: { "Accept": "application/json", "Accept-Language": lang, "X-CSRFToken": csrf || "",
                     "X-Requested-With": "hadir-queue" }
        }).then(function (resp) {
          if (resp.status < 500 && resp.status !== 401 && resp.status !== 403) return remove([item.client_uuid]);
        }, function () {});
      });
    }, Promise.resolve());
  }

  global.HadirQueue = {
    openDb: openDb, getMeta: getMeta, setMeta: setMeta, put: put, remove: remove, all: all,
    forUser: forUser, flush: flush, toPayload: toPayload
  };
})(typeof self !== "undefined" ? self : this);
