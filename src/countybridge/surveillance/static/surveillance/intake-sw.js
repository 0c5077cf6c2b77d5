/* Service worker of the intake page (served at /surveillance/reports/intake-sw.js so that its scope is
 * /surveillance/reports/): keeps the page and its local assets so that the card can be opened again, and
 * reports queued, while the link is down. Network first: when the link works, the page and assets are always
 * fresh; the cache is only the fallback. It never touches the API (uploads go through intake.js's queue).
 */
"use strict";
var CACHE = "cb-intake-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

// the page tells the worker which URLs it is made of (its own URL, stylesheets and scripts)
self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.cache) || [];
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (response.ok) return cache.put(url, response).then(function () { return 1; });
        return 0;
      }).catch(function () { return 0; });
    }));
  }).then(function (stored) {
    // tell the page when everything it needs is kept, so it can say the card works offline
    var kept = stored.reduce(function (a, b) { return a + b; }, 0);
    if (event.source) event.source.postMessage({ cached: kept, wanted: urls.length });
  }));
});

function cacheable(request) {
  if (request.method !== "GET") return false;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return false;
  return url.pathname === "/surveillance/reports/new/" || url.pathname.indexOf("/static/") === 0;
}

self.addEventListener("fetch", function (event) {
  if (!cacheable(event.request)) return;
  event.respondWith(
    fetch(event.request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(event.request.url.split("#")[0], copy); });
      }
      return response;
    }).catch(function () {
      // Django's pages vary on Cookie and Accept-Language; offline, any stored copy beats none
      return caches.match(event.request.url.split("#")[0], { ignoreSearch: true, ignoreVary: true }).then(function (hit) {
        return hit || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
      });
    })
  );
});
