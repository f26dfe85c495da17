'use client';

import dynamic from 'next/dynamic';
import { useMemo, useState, useSyncExternalStore } from 'react';
import { useLiveStore } from '@/app/live/useLiveStore';
import WallHeader from './WallHeader';
import { useWallStore } from './useWallStore';
import FeedPanel from './FeedPanel';
import CommandPanel from './CommandPanel';
import ForcesPanel from './ForcesPanel';
import LayerControl from './LayerControl';
import WallPlayback from './playback/WallPlayback';
import TodayPanel from './TodayPanel';
import CoveragePanel, { useCoverageRows } from './CoveragePanel';
import { useStationStars } from './useStationStars';
import { useFeed } from '@/app/map/useFeed';
import { DEFAULT_OVERLAYS, type Overlays, type Selection } from './overlays';
import type { RegionCollection, StationCollection } from '@/app/map/types';
import styles from './wall.module.css';

// WebGL has no server side; the map mounts in the browser only.
const WallMap = dynamic(() => import('./WallMap'), { ssr: false });

// Boundaries change on re-import only; stations when an admin edits one.
const REGIONS_REFRESH_MS = 30 * 60_000;
const STATIONS_REFRESH_MS = 5 * 60_000;

/** The map screen (/wall, /wall?screen=map): today's wall, forces and command left, today's figures and feed right. */
export default function MapScreen({ kiosk }: { kiosk: Record<string, string> }) {
  const district = useFeed<RegionCollection>('/api/v1/regions?level=district', REGIONS_REFRESH_MS);
  const towns = useFeed<RegionCollection>('/api/v1/regions?level=town', REGIONS_REFRESH_MS);
  const villages = useFeed<RegionCollection>('/api/v1/regions?level=village', REGIONS_REFRESH_MS);
  const grids = useFeed<RegionCollection>('/api/v1/regions?level=grid', REGIONS_REFRESH_MS);
  const stations = useFeed<StationCollection>('/api/v1/stations', STATIONS_REFRESH_MS);

  const store = useWallStore();
  const live = useLiveStore(store);
  const command = useSyncExternalStore(store.command.subscribe, store.command.getView, store.command.getView);

  const [overlays, setOverlays] = useState<Overlays>(DEFAULT_OVERLAYS);
  const coverage = useCoverageRows();
  const stars = useStationStars();
  const [selection, setSelection] = useState<Selection | null>(null);
  const gridNames = useMemo(
    () => new Map((grids.data?.features ?? []).map((f) => [f.properties.code, f.properties.name])),
    [grids.data],
  );

  const districtName = district.data?.features[0]?.properties.name ?? '';
  const failed = [district, towns, villages, grids, stations].some((f) => f.failed);
  const status = failed ? 'failed' : live.connected ? 'ok' : 'connecting';

  return (
    <div className={styles.wall} data-screen="map" {...kiosk}>
      <WallHeader title="社会治理联动指挥中心" districtName={districtName} status={status} />

      <div className={styles.left}>
        <ForcesPanel units={live.units} />
        <CommandPanel view={command} serverNow={() => store.serverNow()} />
      </div>

      <main className={styles.mapCell}>
        <WallMap
          district={district.data}
          towns={towns.data}
          villages={villages.data}
          grids={grids.data}
          coverage={coverage}
          stations={stations.data}
          stars={stars}
          store={store}
          live={live}
          dispatches={command.dispatches}
          overlays={overlays}
          gridNames={gridNames}
          selection={selection}
          onSelect={setSelection}
        />
        <LayerControl overlays={overlays} onChange={setOverlays} />
        <Legend />
        <p className={styles.notice}>镇（街道）以下边界为示意，非法定界线</p>
        <WallPlayback />
      </main>

      <div className={styles.right}>
        <TodayPanel incidents={live.incidents} now={live.now} loaded={live.incidentsLoaded} />
        <CoveragePanel rows={coverage} />
        <FeedPanel
          incidents={live.incidents}
          now={live.now}
          gridNames={gridNames}
          onSelect={(id) => setSelection({ type: 'incident', id })}
        />
      </div>
    </div>
  );
}

function Legend() {
  return (
    <ul className={styles.legend} aria-label="图例">
      <li data-kind="district">区界</li>
      <li data-kind="town">镇（街道）</li>
      <li data-kind="village">村（社区）</li>
      <li data-kind="grid">网格</li>
      <li data-kind="station">联动工作站</li>
    </ul>
  );
}
