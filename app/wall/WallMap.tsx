'use client';

import { useCallback, useMemo } from 'react';
import MapView from '@/app/map/core/MapView';
import { boundsOf, type Bounds } from '@/app/map/core/geometry';
import type { LiveStore, LiveView } from '@/app/live/store';
import DistrictLayer from '@/app/map/DistrictLayer';
import TownsLayer from '@/app/map/TownsLayer';
import VillagesLayer from '@/app/map/VillagesLayer';
import GridsLayer from '@/app/map/GridsLayer';
import StationsLayer from '@/app/map/StationsLayer';
import HeatmapLayer from './layers/HeatmapLayer';
import TrailsLayer from './layers/TrailsLayer';
import IncidentsLayer from './layers/IncidentsLayer';
import UnitsLayer from './layers/UnitsLayer';
import CoverageLayer from './layers/CoverageLayer';
import WarningsLayer from './layers/WarningsLayer';
import StationStarsLayer from './layers/StationStarsLayer';
import type { StationStarsV1 } from '@/lib/contracts/scores';
import { isActive } from '@/app/live/warnings';
import type { CoverageRow } from '@/lib/coverage/contracts';
import DispatchLinesLayer from '@/app/map/command/DispatchLinesLayer';
import type { DispatchV1 } from '@/lib/contracts/command';
import FitToBounds from './FitToBounds';
import StationCard from './StationCard';
import UnitCard from './UnitCard';
import IncidentCard from './IncidentCard';
import WallReady from './WallReady';
import type { Overlays, Selection } from './overlays';
import type { RegionCollection, StationCollection } from '@/app/map/types';

/** Nanxun, to look at before the district boundary arrives. */
const NANXUN: Bounds = [[120.2, 30.6], [120.6, 30.95]];

export type WallMapProps = {
  district: RegionCollection | null;
  towns: RegionCollection | null;
  villages: RegionCollection | null;
  grids: RegionCollection | null;
  /** This month's coverage per grid, for the choropleth. */
  coverage: readonly CoverageRow[];
  stations: StationCollection | null;
  /** The latest frozen month's stars by station id (S14). */
  stars: ReadonlyMap<number, StationStarsV1>;
  store: LiveStore;
  live: LiveView;
  dispatches: readonly DispatchV1[];
  overlays: Overlays;
  gridNames: ReadonlyMap<string, string>;
  selection: Selection | null;
  onSelect: (selection: Selection | null) => void;
};

export default function WallMap(props: WallMapProps) {
  const { district, towns, villages, grids, stations, stars, store, live, dispatches, overlays, gridNames, selection, onSelect, coverage } = props;
  const close = useCallback(() => onSelect(null), [onSelect]);
  const selectStation = useCallback((code: string) => onSelect({ type: 'station', code }), [onSelect]);
  const selectUnit = useCallback((id: number) => onSelect({ type: 'unit', id }), [onSelect]);
  const selectIncident = useCallback((id: number) => onSelect({ type: 'incident', id }), [onSelect]);

  const bounds = useMemo(() => (district ? boundsOf(district) : null), [district]);
  const warnings = useMemo(() => live.warnings.filter(isActive), [live.warnings]);
  const stationCode = selection?.type === 'station' ? selection.code : null;
  const station = useMemo(
    () => stations?.features.find((f) => f.properties.code === stationCode)?.properties ?? null,
    [stations, stationCode],
  );
  const townName = useMemo(
    () => towns?.features.find((f) => f.properties.code === station?.townCode)?.properties.name ?? null,
    [towns, station],
  );
  const unitId = selection?.type === 'unit' ? selection.id : null;
  const incidentId = selection?.type === 'incident' ? selection.id : null;
  // The list is the store's; an incident pruned from it closes its card.
  const incident = useMemo(() => live.incidents.find((i) => i.id === incidentId) ?? null, [live.incidents, incidentId]);
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
      <CoverageLayer grids={grids} rows={coverage} visible={overlays.coverage} />
      <StationsLayer data={stations} selected={station ? stationCode : null} onSelect={selectStation} />
      <StationStarsLayer stations={stations} stars={stars} />
      <HeatmapLayer visible={overlays.heat} period={overlays.heatWindow} />
      <TrailsLayer store={store} visible={overlays.trails} />
      <IncidentsLayer
        store={store}
        incidents={live.incidents}
        now={live.now}
        visible={overlays.incidents}
        selected={incidentId}
        onSelect={selectIncident}
      />
      <WarningsLayer warnings={warnings} visible={overlays.warnings} />
      <DispatchLinesLayer store={store} dispatches={dispatches} visible={overlays.units} tick={live.now} />
      <UnitsLayer store={store} visible={overlays.units} selected={unitId} onSelect={selectUnit} />
      <FitToBounds bounds={bounds} />
      <WallReady expected={expected} />
      {station && <StationCard station={station} townName={townName} stars={(station.id !== undefined && stars.get(station.id)) || null} onClose={close} />}
      {unitId !== null && <UnitCard key={unitId} store={store} unitId={unitId} onClose={close} />}
      {incident && (
        <IncidentCard
          incident={incident}
          gridName={(incident.gridCode && gridNames.get(incident.gridCode)) || null}
          now={live.now}
          onClose={close}
        />
      )}
    </MapView>
  );
}
