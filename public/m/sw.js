/*
 * The residents' page's service worker (scope /m, allowed by the server's service-worker-allowed header): a second visit over a bad network still opens
 * the forms and the tracking page.
 *
 * What is cached: the shell's /m pages (network first, the copy when the network fails; never a
 * /m/track/<code> page, which names a request), Next's hashed
 * static files (immutable, cache first) and the manifest and icons.
 * What is never cached: any /api/ answer. Tracking views hold a resident's words and masked phone;
 * a phone may be shared, and a stale 已收到 shown as current would mislead, so they are always
 * asked of the server (the page says when it cannot reach it). Posts are never touched: their
 * retries are the page's, with the same idempotency key.
 */
const VERSION = 'liandong-m-v1';
const SHELL = ['/m', '/m/report', '/m/mediation', '/m/question', '/m/feedback', '/m/track', '/m/manifest.webmanifest', '/m/icon-192.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(VERSION)
      // One page that fails to load must not stop the worker from installing.
      .then((cache) => Promise.all(SHELL.map((url) => cache.add(url).catch(() => undefined))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('liandong-m-') && k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request) {
  const cache = await caches.open(VERSION);
  try {
    const response = await fetch(request);
    // Only the shell's own pages are kept: /m/track/<code> names a resident's request, and a copy
    // would keep the code on a shared phone after its owner cleared 我的诉求 (issue 14 review).
    const path = new URL(request.url).pathname;
    if (response.ok && response.type === 'basic' && SHELL.includes(path)) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const path = new URL(request.url).pathname;
    const fallback = path.startsWith('/m/track/') ? '/m/track' : '/m';
    const copy = (await cache.match(request)) ?? (request.mode === 'navigate' ? await cache.match(fallback) : undefined);
    if (copy) return copy;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(VERSION);
  const copy = await cache.match(request);
  if (copy) return copy;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname.startsWith('/_next/static/')) event.respondWith(cacheFirst(request));
  // Page loads only: Next's in-page fetches (?_rsc=…) go to the network, and when they fail Next
  // loads the page in full, which this answers from the copy.
  else if (request.mode === 'navigate' && (url.pathname === '/m' || url.pathname.startsWith('/m/'))) event.respondWith(networkFirst(request));
  else if (SHELL.includes(url.pathname) && !url.search) event.respondWith(networkFirst(request));
});
