'use client';

import { useEffect, useMemo } from 'react';
import { useMap } from '@/app/map/core/context';
import { labelPoints } from '@/app/map/core/geometry';
import { EMPTY, removeAll, setSourceData } from '@/app/map/core/layers';
import { atZoom, BEFORE, COLORS, nameLabel, ramp, sized } from '@/app/map/core/style';
import type { RegionCollection } from './types';

const SOURCE = 'villages';
const LABELS = 'villages-label';
const LAYERS = ['villages-line', 'villages-label'] as const;

/** Villages and communities (村/社区): thinner lines, names from zoom 11. */
export default function VillagesLayer({ data }: { data: RegionCollection | null }) {
  const { map, scale } = useMap();
  const labels = useMemo(() => (data ? labelPoints(data) : null), [data]);

  useEffect(() => {
    map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
    map.addSource(LABELS, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'villages-line',
      type: 'line',
      source: SOURCE,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': COLORS.villageLine,
        'line-width': sized(scale, [[9, 0.6], [14, 1.6]]),
        'line-opacity': ramp(scale, [[9, 0.6], [12, 0.9]]),
      },
    }, BEFORE.village);
    map.addLayer({
      id: 'villages-label',
      type: 'symbol',
      source: LABELS,
      minzoom: atZoom(scale, 11),
      ...nameLabel(scale, [[11, 12], [15, 17]]),
    }, BEFORE.villageLabel);
    return () => removeAll(map, LAYERS, [SOURCE, LABELS]);
  }, [map, scale]);

  useEffect(() => setSourceData(map, SOURCE, data), [map, scale, data]);
  useEffect(() => setSourceData(map, LABELS, labels), [map, scale, labels]);

  return null;
}
