'use client';

import { useMemo } from 'react';
import MapView from '@/app/map/core/MapView';
import { boundsOf, type Bounds } from '@/app/map/core/geometry';
import DistrictLayer from '@/app/map/DistrictLayer';
import TownsLayer from '@/app/map/TownsLayer';
import GridsLayer from '@/app/map/GridsLayer';
import StationsLayer from '@/app/map/StationsLayer';
import type { RegionCollection, StationCollection } from '@/app/map/types';
import type { WarningV1 } from '@/lib/contracts/warnings';
import FitToBounds from './FitToBounds';
import WallReady from './WallReady';
import WarningsLayer from './layers/WarningsLayer';

/** Nanxun, to look at before the district boundary arrives. */
const NANXUN: Bounds = [[120.2, 30.6], [120.6, 30.95]];
const noop = () => {};

type Props = {
  district: RegionCollection | null;
  towns: RegionCollection | null;
  grids: RegionCollection | null;
  stations: StationCollection | null;
  warnings: readonly WarningV1[];
};

/** Where the warnings are: the district, its towns and grids, and a dot per active warning. */
export default function WarningsMap({ district, towns, grids, stations, warnings }: Props) {
  const bounds = useMemo(() => (district ? boundsOf(district) : null), [district]);
  const expected = useMemo(
    () => (district && towns && grids ? { district: district.features.length, towns: towns.features.length, grids: grids.features.length } : null),
    [district, towns, grids],
  );
  return (
    <MapView initialBounds={NANXUN}>
      <DistrictLayer data={district} />
      <TownsLayer data={towns} />
      <GridsLayer data={grids} />
      <StationsLayer data={stations} selected={null} onSelect={noop} />
      <WarningsLayer warnings={warnings} visible />
      <FitToBounds bounds={bounds} />
      <WallReady expected={expected} />
    </MapView>
  );
}
