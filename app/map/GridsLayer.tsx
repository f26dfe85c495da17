'use client';

import { useEffect, useMemo } from 'react';
import { useMap } from '@/app/map/core/context';
import { labelPoints } from '@/app/map/core/geometry';
import { EMPTY, removeAll, setSourceData } from '@/app/map/core/layers';
import { atZoom, BEFORE, COLORS, nameLabel, ramp, sized } from '@/app/map/core/style';
import type { RegionCollection } from './types';

const SOURCE = 'grids';
const LABELS = 'grids-label';
/** `grids-line` is queried by the e2e test: keep the id. */
const LAYERS = ['grids-line', 'grids-label'] as const;

/** Grids (网格): hairlines that firm up as you zoom in, names from zoom 13. */
export default function GridsLayer({ data }: { data: RegionCollection | null }) {
  const { map, scale } = useMap();
  const labels = useMemo(() => (data ? labelPoints(data) : null), [data]);

  useEffect(() => {
    map.addSource(SOURCE, { type: 'geojson', data: EMPTY });
    map.addSource(LABELS, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'grids-line',
      type: 'line',
      source: SOURCE,
      // From the whole-district view (≈ z10 at 1080p) so the grid mesh is always there, if faint.
      minzoom: atZoom(scale, 9),
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': COLORS.gridLine,
        'line-width': sized(scale, [[9, 0.4], [14, 1]]),
        'line-opacity': ramp(scale, [[9, 0.25], [12, 0.6], [14, 0.8]]),
        'line-dasharray': [3, 2],
      },
    }, BEFORE.grid);
    map.addLayer({
      id: 'grids-label',
      type: 'symbol',
      source: LABELS,
      minzoom: atZoom(scale, 13),
      ...nameLabel(scale, [[13, 11], [16, 15]], { color: COLORS.labelMuted, spacing: 0 }),
    }, BEFORE.gridLabel);
    return () => removeAll(map, LAYERS, [SOURCE, LABELS]);
  }, [map, scale]);

  useEffect(() => setSourceData(map, SOURCE, data), [map, scale, data]);
  useEffect(() => setSourceData(map, LABELS, labels), [map, scale, labels]);

  return null;
}
