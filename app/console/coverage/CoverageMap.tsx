'use client';

import MapView from '@/app/map/core/MapView';
import type { Bounds } from '@/app/map/core/geometry';
import GridsLayer from '@/app/map/GridsLayer';
import type { RegionCollection } from '@/app/map/types';
import type { CoverageRow } from '@/lib/coverage/contracts';
import type { Figure } from '@/lib/coverage/figures';
import GridChoropleth from './GridChoropleth';

/** Nanxun, to look at before the grids arrive. */
const NANXUN: Bounds = [[120.2, 30.6], [120.6, 30.95]];

export default function CoverageMap({ grids, rows, by, onPick }: { grids: RegionCollection | null; rows: readonly CoverageRow[]; by: Figure | 'lowest'; onPick: (code: string) => void }) {
  return (
    <MapView initialBounds={NANXUN}>
      <GridsLayer data={grids} />
      <GridChoropleth id="coverage" grids={grids} rows={rows} by={by} onPick={onPick} />
    </MapView>
  );
}
