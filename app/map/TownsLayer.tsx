'use client';

import { useEffect, useMemo } from 'react';
import { useMap } from '@/app/map/core/context';
import { labelPoints } from '@/app/map/core/geometry';
import { EMPTY, removeAll, setSourceData } from '@/app/map/core/layers';
import { atZoom, BEFORE, COLORS, nameLabel, ramp, sized } from '@/app/map/core/style';
import type { RegionCollection } from './types';

const SOURCE = 'towns';
const LABELS = 'towns-label';
const LAYERS = ['towns-fill', 'towns-line', 'towns-label'] as const;

/** Towns (镇/街道): a faint fill so the district reads as its parts, and their names at low zoom. */
export default function TownsLayer({ data }: { data: RegionCollection | null }) {
  const { map, scale } = useMap();
  const labels = useMemo(() => (data ? labelPoints(data) : null), [data]);

  useEffect(() => {
    map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
    map.addSource(LABELS, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'towns-fill',
      type: 'fill',
      source: SOURCE,
      paint: { 'fill-color': COLORS.townFill, 'fill-opacity': ramp(scale, [[9, 0.4], [14, 0.15]]) },
    }, BEFORE.fill);
    map.addLayer({
      id: 'towns-line',
      type: 'line',
      source: SOURCE,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.townLine, 'line-width': sized(scale, [[9, 1.2], [14, 2.5]]) },
    }, BEFORE.town);
    map.addLayer({
      id: 'towns-label',
      type: 'symbol',
      source: LABELS,
      maxzoom: atZoom(scale, 14),
      ...nameLabel(scale, [[8, 14], [13, 22]], { bold: true, spacing: 0.15 }),
    }, BEFORE.townLabel);
    return () => removeAll(map, LAYERS, [SOURCE, LABELS]);
  }, [map, scale]);

  useEffect(() => setSourceData(map, SOURCE, data), [map, scale, data]);
  useEffect(() => setSourceData(map, LABELS, labels), [map, scale, labels]);

  return null;
}
