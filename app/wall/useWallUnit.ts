'use client';

import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('resize', onChange);
  return () => window.removeEventListener('resize', onChange);
}

/** The same rule as --u in wall.module.css: one 1080p pixel, following the tighter of width and height. */
function read(): number {
  const u = Math.min(window.innerWidth * 0.000520833, window.innerHeight * 0.000925926);
  return Math.min(4, Math.max(0.75, u));
}

/**
 * --u as a number, for what CSS cannot size: chart axis widths and margins are SVG geometry in px.
 * 1 on the server, where there is no screen.
 */
export function useWallUnit(): number {
  return useSyncExternalStore(subscribe, read, () => 1);
}
