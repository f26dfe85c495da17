'use client';

import GridChoropleth from '@/app/console/coverage/GridChoropleth';
import type { RegionCollection } from '@/app/map/types';
import type { CoverageRow } from '@/lib/coverage/contracts';

/** The wall's grid choropleth of this month's coverage, by the weakest of S10's four figures. */
export default function CoverageLayer({ grids, rows, visible }: { grids: RegionCollection | null; rows: readonly CoverageRow[]; visible: boolean }) {
  return <GridChoropleth id="wall-coverage" grids={grids} rows={rows} by="lowest" visible={visible} opacity={0.45} />;
}
