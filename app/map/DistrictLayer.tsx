'use client';

import { useEffect } from 'react';
import { useMap } from '@/app/map/core/context';
import { EMPTY, removeAll, setSourceData } from '@/app/map/core/layers';
import { BEFORE, COLORS } from '@/app/map/core/style';
import type { RegionCollection } from './types';

const SOURCE = 'district';
const LAYERS = ['district-glow', 'district-line'] as const;

/** The district boundary: the frame every other layer sits in. */
export default function DistrictLayer({ data }: { data: RegionCollection | null }) {
  const { map, scale } = useMap();

  useEffect(() => {
    map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'district-glow',
      type: 'line',
      source: SOURCE,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.district, 'line-width': 12 * scale, 'line-blur': 10 * scale, 'line-opacity': 0.35 },
    }, BEFORE.district);
    map.addLayer({
      id: 'district-line',
      type: 'line',
      source: SOURCE,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.district, 'line-width': 3 * scale },
    }, BEFORE.district);
    return () => removeAll(map, LAYERS, [SOURCE]);
  }, [map, scale]);

  useEffect(() => setSourceData(map, SOURCE, data), [map, scale, data]);

  return null;
}
