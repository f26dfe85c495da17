'use client';

import { useEffect } from 'react';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useMap } from '@/app/map/core/context';
import type { LiveStore } from '@/app/live/store';

declare global {
  interface Window {
    /** For e2e tests and the benchmark: the wall's map once ready, and its live store. */
    __wall?: { map?: MapLibreMap; store?: LiveStore };
  }
}

/**
 * Raises the readiness signal the e2e test waits for: every region source has its data tiled and
 * the map is idle. `expected` maps source id → feature count fetched (null until all have arrived).
 */
export default function WallReady({ expected }: { expected: Readonly<Record<string, number>> | null }) {
  const { map } = useMap();

  useEffect(() => {
    if (!expected) return;
    const check = () => {
      for (const [source, count] of Object.entries(expected)) {
        if (!map.getSource(source) || !map.isSourceLoaded(source)) return;
        if (count > 0 && map.querySourceFeatures(source).length === 0) return;
      }
      map.off('idle', check);
      window.__wall = { ...window.__wall, map };
      document.body.dataset.wallReady = '1';
    };
    map.on('idle', check);
    // The map may already be idle with the data in; a repaint makes it say so once more.
    map.triggerRepaint();
    return () => {
      map.off('idle', check);
    };
  }, [map, expected]);

  // Don't let a global keep a removed map (and its GL context) alive.
  useEffect(
    () => () => {
      if (window.__wall?.map === map) delete window.__wall.map;
      delete document.body.dataset.wallReady;
    },
    [map],
  );

  return null;
}
