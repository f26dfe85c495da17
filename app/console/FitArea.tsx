'use client';

import { useEffect } from 'react';
import { useMap } from '@/app/map/core/context';
import type { Bounds } from '@/app/map/core/geometry';

/**
 * Frames the area the queue is filtered to whenever that area changes — not on a timer, as the
 * wall does: at a desk the map stays where its user put it.
 */
export default function FitArea({ bounds }: { bounds: Bounds | null }) {
  const { map, scale } = useMap();
  const key = bounds ? bounds.flat().join(',') : '';
  useEffect(() => {
    if (!key) return;
    const [w, s, e, n] = key.split(',').map(Number);
    map.fitBounds([[w, s], [e, n]], { padding: 24 * scale, duration: 600 });
  }, [map, scale, key]);
  return null;
}
