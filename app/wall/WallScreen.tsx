'use client';

import dynamic from 'next/dynamic';
import Clock from './Clock';
import Panel from './Panel';
import { useFeed } from './useFeed';
import type { RegionCollection, StationCollection } from './types';
import styles from './wall.module.css';

// WebGL has no server side; the map mounts in the browser only.
const WallMap = dynamic(() => import('./WallMap'), { ssr: false });

// Boundaries change on re-import only; stations when an admin edits one.
const REGIONS_REFRESH_MS = 30 * 60_000;
const STATIONS_REFRESH_MS = 5 * 60_000;

export default function WallScreen() {
  const district = useFeed<RegionCollection>('/api/v1/regions?level=district', REGIONS_REFRESH_MS);
  const towns = useFeed<RegionCollection>('/api/v1/regions?level=town', REGIONS_REFRESH_MS);
  const villages = useFeed<RegionCollection>('/api/v1/regions?level=village', REGIONS_REFRESH_MS);
  const grids = useFeed<RegionCollection>('/api/v1/regions?level=grid', REGIONS_REFRESH_MS);
  const stations = useFeed<StationCollection>('/api/v1/stations', STATIONS_REFRESH_MS);

  const districtName = district.data?.features[0]?.properties.name ?? '';
  const failed = [district, towns, villages, grids, stations].some((f) => f.failed);

  return (
    <div className={styles.wall}>
      <header className={styles.header}>
        <div className={styles.status} data-failed={failed}>
          <i aria-hidden />
          {failed ? '数据连接中断，正在重试' : '数据连接正常'}
        </div>
        <h1 className={styles.title}>{districtName}社会治理联动指挥中心</h1>
        <Clock />
      </header>

      <div className={styles.left}>
        <Panel title="在线力量" className={styles.grow} />
      </div>

      <main className={styles.mapCell}>
        <WallMap
          district={district.data}
          towns={towns.data}
          villages={villages.data}
          grids={grids.data}
          stations={stations.data}
        />
        <Legend />
        <p className={styles.notice}>镇（街道）以下边界为示意，非法定界线</p>
      </main>

      <div className={styles.right}>
        <Panel title="今日事件" />
        <Panel title="最新事件" className={styles.grow} />
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
