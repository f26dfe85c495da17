'use client';

import type { AreaRef } from '@/lib/contracts/kpi';
import { COCKPIT_ROLES } from './access';
import DeskCockpit from './DeskCockpit';
import WallCockpit from './WallCockpit';
import { useViewer } from './useViewer';
import styles from './cockpit.module.css';

type Props = {
  /** desk: a leader at a screen, with drill-down and controls; wall: full-screen, nothing to click. */
  variant: 'desk' | 'wall';
  /** The area shown; by default the viewer's own (their station, or the district). */
  area?: AreaRef;
};

/**
 * The leaders' cockpit (issue 13; S9, S13): live KPI tiles with their change and 口径, trends,
 * the areas below ranked side by side, and on the desk the drill-down to the events behind any
 * figure. The wall shows the same board full-screen (/wall?screen=cockpit).
 */
export default function CockpitBoard({ variant, area }: Props) {
  const viewer = useViewer();
  const shell = variant === 'wall' ? styles.wall : styles.desk;
  if (viewer.state !== 'ok') {
    return (
      <div className={shell} data-testid="cockpit" data-state={viewer.state}>
        <p className={styles.centre}>{viewer.state === 'loading' ? '加载中…' : `${viewer.message}，正在重试`}</p>
      </div>
    );
  }
  const { me } = viewer;
  if (!COCKPIT_ROLES.includes(me.role)) {
    return (
      <div className={shell} data-testid="cockpit" data-state="refused">
        <div className={styles.centre} role="alert">
          <h1>无权查看</h1>
          <p>领导驾驶舱仅向区级领导、区指挥中心、系统管理员、工作站站长和常务副站长开放。您当前的身份是“{me.roleLabel}”。</p>
          <p><a href={me.home}>返回首页</a></p>
        </div>
      </div>
    );
  }
  return variant === 'wall' ? <WallCockpit me={me} area={area} /> : <DeskCockpit me={me} area={area} />;
}
