'use client';

import { useMemo, type ReactNode } from 'react';
import type { SnapshotV1 } from '@/lib/contracts/history';
import MapView from '@/app/map/core/MapView';
import type { Bounds } from '@/app/map/core/geometry';
import DistrictLayer from '@/app/map/DistrictLayer';
import GridsLayer from '@/app/map/GridsLayer';
import { useFeed } from '@/app/map/useFeed';
import type { RegionCollection } from '@/app/map/types';
import FitArea from '@/app/console/FitArea';
import type { Replay } from './api';
import ReplayDispatchLayer from './layers/ReplayDispatchLayer';
import ReplayIncidentsLayer from './layers/ReplayIncidentsLayer';
import ReplayTrailsLayer from './layers/ReplayTrailsLayer';
import ReplayUnitsLayer from './layers/ReplayUnitsLayer';
import SnapshotLayer from './layers/SnapshotLayer';

/** Nanxun, to look at before anything is loaded. */
const NANXUN: Bounds = [[120.2, 30.6], [120.6, 30.95]];
const REGIONS_REFRESH_MS = 3_600_000;
/** Behind each moving unit, the last ten minutes of replay time (the live wall's trails are ten minutes too). */
const TAIL_MS = 10 * 60_000;

/** The box around every fix and incident of a replay, or null when it has none. */
function boundsOf(replay: Replay | null, snapshot: SnapshotV1 | null): Bounds | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const add = (lon: number, lat: number) => {
    w = Math.min(w, lon); e = Math.max(e, lon); s = Math.min(s, lat); n = Math.max(n, lat);
  };
  for (const u of replay?.units ?? []) for (const p of u.points) add(p[1], p[2]);
  for (const i of replay?.incidents ?? []) add(i.lon, i.lat);
  for (const u of snapshot?.units ?? []) add(u.lon, u.lat);
  return w <= e ? [[w, s], [e, n]] : null;
}

/** The replay on the map at time t, with the district and its grids for orientation; children are drawn over it. */
export default function ReplayMap({ replay, t, snapshot = null, className, children }: {
  replay: Replay | null;
  t: number;
  snapshot?: SnapshotV1 | null;
  className?: string;
  children?: ReactNode;
}) {
  const district = useFeed<RegionCollection>('/api/v1/regions?level=district', REGIONS_REFRESH_MS);
  const grids = useFeed<RegionCollection>('/api/v1/regions?level=grid', REGIONS_REFRESH_MS);
  const bounds = useMemo(() => boundsOf(replay, snapshot), [replay, snapshot]);
  return (
    // MapView fills its nearest positioned box: this one, sized by the page.
    <div className={className}>
      <MapView initialBounds={NANXUN}>
        <DistrictLayer data={district.data} />
        <GridsLayer data={grids.data} />
        {replay && (
          <>
            <ReplayTrailsLayer units={replay.units} t={t} tailMs={TAIL_MS} />
            <ReplayIncidentsLayer incidents={replay.incidents} t={t} />
            <ReplayDispatchLayer dispatches={replay.dispatches} traces={replay.traces} t={t} />
            <ReplayUnitsLayer units={replay.units} t={t} />
          </>
        )}
        <SnapshotLayer snapshot={snapshot} />
        <FitArea bounds={bounds} />
        {children}
      </MapView>
    </div>
  );
}
