'use client';

import { useEffect, useMemo } from 'react';
import MapView from '@/app/map/core/MapView';
import { useMap } from '@/app/map/core/context';
import { boundsOf, type Bounds } from '@/app/map/core/geometry';
import type { LiveIncident } from '@/app/live/incidents';
import DistrictLayer from '@/app/map/DistrictLayer';
import TownsLayer from '@/app/map/TownsLayer';
import VillagesLayer from '@/app/map/VillagesLayer';
import GridsLayer from '@/app/map/GridsLayer';
import StationsLayer from '@/app/map/StationsLayer';
import type { RegionCollection, StationCollection } from '@/app/map/types';
import QueueIncidentsLayer from './layers/QueueIncidentsLayer';
import StationAreaLayer from './layers/StationAreaLayer';
import FitArea from './FitArea';
import FollowSelection from './FollowSelection';
import AreaSelect from './AreaSelect';
import DispatchLinesLayer from '@/app/map/command/DispatchLinesLayer';
import type { LiveStore } from '@/app/live/store';
import type { DispatchV1 } from '@/lib/contracts/command';

/** Nanxun, to look at before the district boundary arrives. */
const NANXUN: Bounds = [[120.2, 30.6], [120.6, 30.95]];

type Props = {
  district: RegionCollection | null;
  towns: RegionCollection | null;
  villages: RegionCollection | null;
  grids: RegionCollection | null;
  stations: StationCollection | null;
  /** The station the queue is filtered to, or null for the district. */
  stationId: number | null;
  rows: readonly LiveIncident[];
  now: number;
  selected: LiveIncident | null;
  onSelect: (id: number) => void;
  onSelectStation: (id: number) => void;
  store: LiveStore;
  dispatches: readonly DispatchV1[];
  /** Changes when unit positions may have moved. */
  tick: number;
  /** Drawing an area: a drag draws a box instead of panning. */
  areaMode: boolean;
  onArea: (area: Bounds) => void;
};

export default function ConsoleMap(props: Props) {
  const { district, towns, villages, grids, stations, stationId, rows, now, selected, onSelect, onSelectStation, store, dispatches, tick, areaMode, onArea } = props;

  const station = useMemo(() => stations?.features.find((f) => f.properties.id === stationId)?.properties ?? null, [stations, stationId]);
  const area = useMemo<RegionCollection | null>(() => {
    if (!station || !villages) return null;
    const codes = new Set(station.villageCodes);
    return { ...villages, features: villages.features.filter((f) => codes.has(f.properties.code)) };
  }, [station, villages]);
  const bounds = useMemo(() => (area && area.features.length ? boundsOf(area) : district ? boundsOf(district) : null), [area, district]);
  const selectStation = useMemo(
    () => (code: string) => {
      const id = stations?.features.find((f) => f.properties.code === code)?.properties.id;
      if (id !== undefined) onSelectStation(id);
    },
    [stations, onSelectStation],
  );

  return (
    <MapView initialBounds={NANXUN}>
      <DistrictLayer data={district} />
      <TownsLayer data={towns} />
      <VillagesLayer data={villages} />
      <GridsLayer data={grids} />
      <StationAreaLayer data={area} />
      <StationsLayer data={stations} selected={station?.code ?? null} onSelect={selectStation} />
      <QueueIncidentsLayer rows={rows} now={now} selected={selected} onSelect={onSelect} />
      <DispatchLinesLayer store={store} dispatches={dispatches} visible tick={tick} />
      <FitArea bounds={bounds} />
      <FollowSelection id={selected?.id ?? null} lon={selected?.lon ?? null} lat={selected?.lat ?? null} />
      <AreaSelect active={areaMode} onArea={onArea} />
      <ExposeMap />
    </MapView>
  );
}

/** Hands the map to e2e tests, as the wall does with window.__wall. */
function ExposeMap() {
  const { map } = useMap();
  useEffect(() => {
    window.__console = { ...window.__console, map };
    return () => {
      if (window.__console?.map === map) delete window.__console.map;
    };
  }, [map]);
  return null;
}
