'use client';

import { useEffect } from 'react';

/** Registers public/m/sw.js once the page has loaded, so it never competes with the first paint. */
export default function ServiceWorker(): null {
  useEffect(() => {
    if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
    // Scope /m, not /m/: the home page itself is /m (the server allows it: service-worker-allowed).
    const register = () => void navigator.serviceWorker.register('/m/sw.js', { scope: '/m' }).catch(() => undefined);
    if (document.readyState === 'complete') register();
    else window.addEventListener('load', register, { once: true });
  }, []);
  return null;
}
