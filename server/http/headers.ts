import type { ServerResponse } from 'node:http';
import type { BasemapSetting } from '@/lib/basemap/settings';

/**
 * The Content-Security-Policy of every response. The command room is air-gapped, so no host but our
 * own appears anywhere; each exception below names what needs it (checked in Chromium by e2e/wall.spec.ts).
 * The one host that may be named is a configured XYZ basemap's (issue 13), and only its origin.
 */
export function contentSecurityPolicy(dev: boolean, basemap: BasemapSetting = { kind: 'none' }): string {
  // MapLibre fetches raster tiles (connect-src) and may decode them through an <img> (img-src).
  const tiles = basemap.kind === 'xyz' ? ` ${basemap.origin}` : '';
  return [
    "default-src 'self'",
    // Next.js App Router streams its payload in inline <script>s and has no nonce without a proxy;
    // only Next's dev server (React refresh) evaluates strings.
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    // React style={…} attributes and MapLibre's positioned markers are inline styles.
    "style-src 'self' 'unsafe-inline'",
    // Photo previews on the phone are blob: URLs; MapLibre decodes sprite and icon images via blob:.
    `img-src 'self' blob: data:${tiles}`,
    // 'self' also matches ws:/wss: to our own host (CSP 3), which is where Socket.IO connects.
    `connect-src 'self'${tiles}`,
    // MapLibre's worker is our own /_next/static/media/maplibre-gl-worker.*.mjs (app/map/core/worker.ts).
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    // Wall screens are opened directly, never framed: nothing may frame any of our pages.
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every response carries, API and pages alike; set first so Next.js and our routes keep them. */
export function securityHeaders(res: ServerResponse, { secure, dev, basemap }: { secure: boolean; dev: boolean; basemap?: BasemapSetting }): void {
  res.setHeader('content-security-policy', contentSecurityPolicy(dev, basemap));
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'same-origin');
  // For browsers older than frame-ancestors; harmless for the others.
  res.setHeader('x-frame-options', 'DENY');
  // The field page locates the phone; its photos come from <input type=file capture>, which is the
  // system camera app and needs no camera permission.
  res.setHeader('permissions-policy', 'geolocation=(self), camera=(), microphone=(), payment=(), usb=(), serial=(), hid=()');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  // Production sets Secure cookies, so it is served over HTTPS; over plain HTTP browsers ignore this.
  if (secure) res.setHeader('strict-transport-security', 'max-age=31536000');
}
