import { setWorkerUrl } from 'maplibre-gl';

/*
 * MapLibre 6 finds its worker next to its own module via import.meta.url, which a bundler rewrites
 * to something that is not the served file, so the map would stay blank with no error. This form is
 * one the bundler understands: it emits the worker (self-contained in 6.17: no sibling import) under
 * /_next/static/media/ and hands us its same-origin URL.
 */
setWorkerUrl(new URL('maplibre-gl/dist/maplibre-gl-worker.mjs', import.meta.url).href);
