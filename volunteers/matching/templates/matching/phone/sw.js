{% load static %}// The volunteer's phone app (hand-written, no library): keeps the app shell,
// the offline page, her own families (families.json: name, next visit, safe
// contact — nothing more) and the three forms of each family, so they open
// without signal. Sending is the page's job (matching/phone.js): this worker
// never queues a POST. Served from /sw.js so it controls the whole site; a new
// version of any file below changes this text, and the browser updates it.
"use strict";
const VERSION = "{{ version }}";
const SHELL = "shell-" + VERSION;
const PAGES = "pages";
const OFFLINE_URL = "{% url 'phone-offline' %}";
const FAMILIES_URL = "{% url 'phone-families' %}";
const SHELL_FILES = [
  OFFLINE_URL,
  {% for file in shell_files %}"{% static file %}",
  {% endfor %}
];
// Only these pages are kept for use offline: the forms, which show a family's name and nothing else.
const FORM_PAGES = [/^\/matching\/matches\/\d+\/log\/$/, /^\/matching\/matches\/\d+\/visits\/new\/$/, /^\/concerns\/new\/$/];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("shell-") && n !== SHELL).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

function isFormPage(url) {
  return FORM_PAGES.some((pattern) => pattern.test(url.pathname));
}

// Network first: a page is always fresh when there is signal; the copy is for when there is none.
async function fromNetworkKeeping(request, cacheName) {
  const response = await fetch(request);
  if (response.ok && !response.redirected) {
    const cache = await caches.open(cacheName);
    await cache.put(request, response.clone());
  }
  return response;
}

async function page(request) {
  const url = new URL(request.url);
  try {
    return isFormPage(url) || url.pathname === FAMILIES_URL ? await fromNetworkKeeping(request, PAGES) : await fetch(request);
  } catch (offline) {
    return (await caches.match(request)) || (await caches.match(OFFLINE_URL));
  }
}

async function staticFile(request) {
  const kept = await caches.match(request);
  return kept || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.startsWith("{% get_static_prefix %}")) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate" || url.pathname === FAMILIES_URL) {
    event.respondWith(page(request));
  }
});

// The page asks, once signed in and online: keep the families and their forms for later.
self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "keep-families") {
    return;
  }
  event.waitUntil(
    fromNetworkKeeping(new Request(FAMILIES_URL), PAGES)
      .then((response) => response.json())
      .then(async (body) => {
        const cache = await caches.open(PAGES);
        const urls = body.families.flatMap((family) => [family.log_url, family.visit_url, family.concern_url]);
        // A family no longer hers (the match ended) leaves the phone.
        const keep = new Set(urls.map((u) => new URL(u, self.location.origin).href).concat(new URL(FAMILIES_URL, self.location.origin).href));
        const old = await cache.keys();
        await Promise.all(old.filter((r) => !keep.has(r.url)).map((r) => cache.delete(r)));
        // One family's page failing (the match just ended) must not stop the others.
        await Promise.all(urls.map((u) => fetch(u).then((r) => (r.ok && !r.redirected ? cache.put(u, r) : null)).catch(() => null)));
      })
      .catch(() => null)
  );
});
