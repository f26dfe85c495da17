'use client';

import { useCallback, useMemo, useState } from 'react';
import MapView from '@/app/map/core/MapView';
import { boundsOf, type Bounds } from '@/app/map/core/geometry';
import DistrictLayer from './layers/DistrictLayer';
import TownsLayer from './layers/TownsLayer';
import VillagesLayer from './layers/VillagesLayer';
import GridsLayer from './layers/GridsLayer';
import StationsLayer from './layers/StationsLayer';
import FitToBounds from './FitToBounds';
import StationCard from './StationCard';
import WallReady from './WallReady';
import type { RegionCollection, StationCollection } from './types';

/** Nanxun, to look at before the district boundary arrives. */
const NANXUN: Bounds = [[120.2, 30.6], [120.6, 30.95]];

export type WallMapProps = {
  district: RegionCollection | null;
  towns: RegionCollection | null;
  villages: RegionCollection | null;
  grids: RegionCollection | null;
  stations: StationCollection | null;
};

export default function WallMap({ district, towns, villages, grids, stations }: WallMapProps) {
  const [selected, setSelected] = useState<string | null>(null);
  const close = useCallback(() => setSelected(null), []);

  const bounds = useMemo(() => (district ? boundsOf(district) : null), [district]);
  const station = useMemo(
    () => stations?.features.find((f) => f.properties.code === selected)?.properties ?? null,
    [stations, selected],
  );
  const townName = useMemo(
    () => towns?.features.find((f) => f.properties.code === station?.townCode)?.properties.name ?? null,
    [towns, station],
  );
  // Keys are the layer files' source ids.
  const expected = useMemo(
    () =>
      district && towns && villages && grids
        ? { district: district.features.length, towns: towns.features.length,
            villages: villages.features.length, grids: grids.features.length }
        : null,
    [district, towns, villages, grids],
  );

  return (
    <MapView initialBounds={NANXUN}>
      <DistrictLayer data={district} />
      <TownsLayer data={towns} />
      <VillagesLayer data={villages} />
      <GridsLayer data={grids} />
      <StationsLayer data={stations} selected={station ? selected : null} onSelect={setSelected} />
      <FitToBounds bounds={bounds} />
      <WallReady expected={expected} />
      {station && <StationCard station={station} townName={townName} onClose={close} />}
    </MapView>
  );
}
