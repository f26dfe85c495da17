'use client';

import { useEffect } from 'react';
import { useMap } from '@/app/map/core/context';

/** Close enough to see which village and grid an event is in. */
const MIN_ZOOM = 12;

/**
 * Brings the selected event into view when it is off screen or too far out to place; one clicked
 * well inside the map is left where it is, so the map does not jump under the user's hand.
 */
export default function FollowSelection({ id, lon, lat }: { id: number | null; lon: number | null; lat: number | null }) {
  const { map } = useMap();
  useEffect(() => {
    if (id === null || lon === null || lat === null) return;
    // The drawer opening with the selection narrows the map from the right: the edges don't count as in view.
    const { x, y } = map.project([lon, lat]);
    const { clientWidth: w, clientHeight: h } = map.getContainer();
    const inView = x > w * 0.15 && x < w * 0.6 && y > h * 0.15 && y < h * 0.85;
    const zoom = map.getZoom();
    if (inView && zoom >= MIN_ZOOM - 1) return;
    map.easeTo({ center: [lon, lat], zoom: Math.max(zoom, MIN_ZOOM), duration: 600 });
    // Only a new selection moves the map; the event's own updates do not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, id]);
  return null;
}
