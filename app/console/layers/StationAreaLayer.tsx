'use client';

import { useEffect } from 'react';
import { useMap } from '@/app/map/core/context';
import { EMPTY, removeAll, setSourceData } from '@/app/map/core/layers';
import { BEFORE, COLORS, sized } from '@/app/map/core/style';
import type { RegionCollection } from '@/app/map/types';

const SOURCE = 'console-station-area';
const LAYERS = ['console-station-area-fill', 'console-station-area-line'] as const;

/** The villages of the station the queue is filtered to: the area the deputy chief answers for. */
export default function StationAreaLayer({ data }: { data: RegionCollection | null }) {
  const { map, scale } = useMap();

  useEffect(() => {
    map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'console-station-area-fill',
      type: 'fill',
      source: SOURCE,
      paint: { 'fill-color': COLORS.station, 'fill-opacity': 0.08 },
    }, BEFORE.fill);
    map.addLayer({
      id: 'console-station-area-line',
      type: 'line',
      source: SOURCE,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.station, 'line-opacity': 0.7, 'line-width': sized(scale, [[9, 1], [14, 2]]) },
    }, BEFORE.village);
    return () => removeAll(map, LAYERS, [SOURCE]);
  }, [map, scale]);

  useEffect(() => setSourceData(map, SOURCE, data), [map, scale, data]);

  return null;
}
