'use client';

import { useFeed } from '@/app/map/useFeed';
import type { RegionCollection } from '@/app/map/types';
import CockpitBoard from '@/app/cockpit/CockpitBoard';
import WallHeader from './WallHeader';
import styles from './warnings.module.css';
import wall from './wall.module.css';

/** /wall?screen=cockpit: the leaders' cockpit (issue 13, helper C's board) drawn for the wall under its header. */
export default function CockpitScreen({ kiosk }: { kiosk: Record<string, string> }) {
  const district = useFeed<RegionCollection>('/api/v1/regions?level=district', 30 * 60_000);
  return (
    <div className={`${wall.wall} ${styles.cockpitScreen}`} data-screen="cockpit" {...kiosk}>
      <WallHeader title="社会治理领导驾驶舱" districtName={district.data?.features[0]?.properties.name ?? ''} status={district.failed ? 'failed' : 'ok'} />
      <main className={styles.cockpitSlot} data-testid="wall-cockpit">
        <CockpitBoard variant="wall" />
      </main>
    </div>
  );
}
