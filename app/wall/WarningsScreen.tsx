'use client';

import dynamic from 'next/dynamic';
import { useMemo } from 'react';
import { useFeed } from '@/app/map/useFeed';
import { useLiveStore } from '@/app/live/useLiveStore';
import { isActive } from '@/app/live/warnings';
import type { RegionCollection, StationCollection } from '@/app/map/types';
import WallHeader from './WallHeader';
import WarningsPanel from './WarningsPanel';
import { useWallStore } from './useWallStore';
import styles from './warnings.module.css';
import wall from './wall.module.css';

// WebGL has no server side; the map mounts in the browser only.
const WarningsMap = dynamic(() => import('./WarningsMap'), { ssr: false });

const REGIONS_REFRESH_MS = 30 * 60_000;
const STATIONS_REFRESH_MS = 5 * 60_000;

/** /wall?screen=warnings: the active early warnings large, beside a map of them (issue 13, S9 item 4). */
export default function WarningsScreen({ kiosk }: { kiosk: Record<string, string> }) {
  const district = useFeed<RegionCollection>('/api/v1/regions?level=district', REGIONS_REFRESH_MS);
  const towns = useFeed<RegionCollection>('/api/v1/regions?level=town', REGIONS_REFRESH_MS);
  const grids = useFeed<RegionCollection>('/api/v1/regions?level=grid', REGIONS_REFRESH_MS);
  const stations = useFeed<StationCollection>('/api/v1/stations', STATIONS_REFRESH_MS);
  const store = useWallStore();
  const live = useLiveStore(store);
  const active = useMemo(() => live.warnings.filter(isActive), [live.warnings]);

  const failed = [district, towns, grids, stations].some((f) => f.failed);
  const status = failed ? 'failed' : live.connected ? 'ok' : 'connecting';
  return (
    <div className={`${wall.wall} ${styles.screen}`} data-screen="warnings" {...kiosk}>
      <WallHeader title="社会治理风险预警" districtName={district.data?.features[0]?.properties.name ?? ''} status={status} />
      <WarningsPanel warnings={active} loaded={live.warningsLoaded} />
      <main className={`${wall.mapCell} ${styles.map}`}>
        <WarningsMap district={district.data} towns={towns.data} grids={grids.data} stations={stations.data} warnings={active} />
        <p className={wall.notice}>镇（街道）以下边界为示意，非法定界线</p>
      </main>
    </div>
  );
}
