'use client';

import { useEffect } from 'react';
import { BuildWatch, readBuild } from './buildWatch';

/** An upgrade shows on the wall within this long; the question costs one tiny request. */
export const BUILD_POLL_MS = 60_000;

/**
 * Reloads the page when the server reports another build than the one it answered first (issue 13).
 * A failed answer changes nothing: an outage is the socket's business, and the wall keeps its picture.
 */
export function useBuildWatch(): void {
  useEffect(() => {
    const watch = new BuildWatch();
    let stopped = false;
    const ask = async () => {
      try {
        const res = await fetch('/version', { cache: 'no-store', credentials: 'same-origin' });
        if (!res.ok) return;
        const build = readBuild(await res.json());
        if (!stopped && build && watch.heard(build) === 'upgraded') {
          console.info('[wall] server upgraded to', build, '- reloading');
          window.location.reload();
        }
      } catch {
        // Unreachable now; the next round asks again.
      }
    };
    void ask();
    const timer = setInterval(() => void ask(), BUILD_POLL_MS);
    // A screen woken from sleep asks at once instead of showing old pages for up to a minute.
    const onVisible = () => document.visibilityState === 'visible' && void ask();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);
}
