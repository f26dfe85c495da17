'use client';

import { useEffect } from 'react';
import { useMap } from '@/app/map/core/context';
import type { Bounds } from '@/app/map/core/geometry';

/** Someone panned the wall and walked away: after this long, go back to the whole district. */
const RETURN_HOME_MS = 5 * 60_000;

/** Frames `bounds` now, on every resize, and again a while after anyone moves the map by hand. */
export default function FitToBounds({ bounds }: { bounds: Bounds | null }) {
  const { map, scale } = useMap();

  useEffect(() => {
    if (!bounds) return;
    const fit = (duration: number) => map.fitBounds(bounds, { padding: 32 * scale, duration });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onMoveEnd = (e: { originalEvent?: unknown }) => {
      // Only hands move a map with an originalEvent; our own fits don't re-arm the timer.
      if (!e.originalEvent) return;
      clearTimeout(timer);
      timer = setTimeout(() => fit(1500), RETURN_HOME_MS);
    };
    const onResize = () => fit(0);
    fit(0);
    map.on('moveend', onMoveEnd);
    map.on('resize', onResize);
    return () => {
      clearTimeout(timer);
      map.off('moveend', onMoveEnd);
      map.off('resize', onResize);
    };
  }, [map, scale, bounds]);

  return null;
}
