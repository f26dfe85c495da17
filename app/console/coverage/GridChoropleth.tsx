'use client';

import { useEffect, useMemo } from 'react';
import type { CoverageRow } from '@/lib/coverage/contracts';
import { coverageColour, valueOf, type Figure } from '@/lib/coverage/figures';
import { useMap } from '@/app/map/core/context';
import { EMPTY, removeAll, setSourceData } from '@/app/map/core/layers';
import { BEFORE } from '@/app/map/core/style';
import type { RegionCollection } from '@/app/map/types';

/**
 * Grids coloured by coverage (S10's four figures, or the weakest of them). Drawn in the fill band
 * under every line and label; grids without a row (outside the viewer's reach) stay uncoloured.
 * `id` keeps two of these apart (the console's and the wall's are separate maps, but a page may hold both).
 */
export default function GridChoropleth({ id, grids, rows, by, visible = true, opacity = 0.55, onPick }: {
  id: string;
  grids: RegionCollection | null;
  rows: readonly CoverageRow[];
  by: Figure | 'lowest';
  visible?: boolean;
  opacity?: number;
  onPick?: (code: string) => void;
}) {
  const { map } = useMap();
  const fill = `${id}-fill`;
  const line = `${id}-line`;

  const data = useMemo(() => {
    if (!grids) return null;
    const byCode = new Map(rows.map((r) => [r.code, r]));
    return {
      ...grids,
      features: grids.features.flatMap((f) => {
        const row = byCode.get(f.properties.code);
        return row ? [{ ...f, properties: { ...f.properties, colour: coverageColour(valueOf(row, by)) } }] : [];
      }),
    };
  }, [grids, rows, by]);

  useEffect(() => {
    map.addSource(id, { type: 'geojson', data: EMPTY });
    map.addLayer({ id: fill, type: 'fill', source: id, paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': opacity } }, BEFORE.fill);
    map.addLayer({ id: line, type: 'line', source: id, paint: { 'line-color': ['get', 'colour'], 'line-width': 1, 'line-opacity': Math.min(1, opacity + 0.3) } }, BEFORE.fill);
    return () => removeAll(map, [fill, line], [id]);
  }, [map, id, fill, line, opacity]);

  useEffect(() => setSourceData(map, id, data), [map, id, data]);

  useEffect(() => {
    if (!map.getLayer(fill)) return;
    map.setLayoutProperty(fill, 'visibility', visible ? 'visible' : 'none');
    map.setLayoutProperty(line, 'visibility', visible ? 'visible' : 'none');
  }, [map, fill, line, visible]);

  useEffect(() => {
    if (!onPick) return;
    const click = (e: { features?: { properties: Record<string, unknown> }[] }) => {
      const code = e.features?.[0]?.properties.code;
      if (typeof code === 'string') onPick(code);
    };
    map.on('click', fill, click);
    return () => {
      map.off('click', fill, click);
    };
  }, [map, fill, onPick]);

  return null;
}
