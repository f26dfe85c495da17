'use client';

import { useMemo } from 'react';
import MapView from '@/app/map/core/MapView';
import { boundsOf, type Bounds } from '@/app/map/core/geometry';
import FitToBounds from '@/app/wall/FitToBounds';
import GridsLayer from '@/app/map/GridsLayer';
import TownsLayer from '@/app/map/TownsLayer';
import type { RegionCollection } from '@/app/map/types';
import type { WarningV1 } from '@/lib/contracts/warnings';
import WallReady from '@/app/wall/WallReady';
import WarningsLayer from '../layers/WarningsLayer';

/** Nanxun, to look at before the grids arrive. */
const NANXUN: Bounds = [[120.2, 30.6], [120.6, 30.95]];

type Props = { towns: RegionCollection | null; grids: RegionCollection | null; warnings: readonly WarningV1[]; selected: number | null; onSelect: (id: number) => void };

export default function WarningsConsoleMap({ towns, grids, warnings, selected, onSelect }: Props) {
  const bounds = useMemo(() => (towns ? boundsOf(towns) : null), [towns]);
  // The same readiness signal as the wall's (body[data-wall-ready]): the regions drawn and the map idle.
  const expected = useMemo(() => (towns && grids ? { towns: towns.features.length, grids: grids.features.length } : null), [towns, grids]);
  return (
    <MapView initialBounds={NANXUN}>
      <TownsLayer data={towns} />
      <GridsLayer data={grids} />
      <WarningsLayer warnings={warnings} selected={selected} onSelect={onSelect} />
      <FitToBounds bounds={bounds} />
      <WallReady expected={expected} />
    </MapView>
  );
}
