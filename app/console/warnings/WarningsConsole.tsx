'use client';

import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { LiveStore } from '@/app/live/store';
import { useLiveStore } from '@/app/live/useLiveStore';
import { useLoad } from '@/app/admin/useLoad';
import { useFeed } from '@/app/map/useFeed';
import type { RegionCollection } from '@/app/map/types';
import admin from '@/app/admin/admin.module.css';
import type { Me } from '@/lib/contracts/auth';
import { can } from '@/lib/roles';
import { WARNING_LEVEL_LABEL, WARNING_STATE_LABEL, type WarningV1 } from '@/lib/contracts/warnings';
import { kindLabel, levelCss, shanghaiTime } from '@/app/wall/warningLook';
import WarningDetail from './WarningDetail';
import styles from './warnings.module.css';

// WebGL has no server side; the map mounts in the browser only.
const WarningsConsoleMap = dynamic(() => import('./WarningsConsoleMap'), { ssr: false });

declare global {
  interface Window {
    /** For e2e tests: the page's live store. */
    __warnings?: { store: LiveStore };
  }
}

/** /console/warnings: live warnings (pushed on the /live socket), a map of them, and the picked one's detail. */
export default function WarningsConsole() {
  const me = useLoad<Me>('/api/v1/auth/me');
  const towns = useFeed<RegionCollection>('/api/v1/regions?level=town', 30 * 60_000);
  const grids = useFeed<RegionCollection>('/api/v1/regions?level=grid', 30 * 60_000);
  const [store] = useState(() => new LiveStore());
  useEffect(() => {
    store.start();
    window.__warnings = { store };
    return () => {
      store.stop();
      if (window.__warnings?.store === store) delete window.__warnings;
    };
  }, [store]);
  const live = useLiveStore(store);
  const [picked, setPicked] = useState<number | null>(null);
  const selected = useMemo(() => live.warnings.find((w) => w.id === picked) ?? null, [live.warnings, picked]);
  const onChanged = useCallback((answer: unknown) => store.receiveWarning(answer), [store]);
  const mayAct = me.data ? can(me.data.role, 'actOnWarnings') : false;

  return (
    <>
      <p className={admin.hint}>
        S9 智治预警：新兴热点（时空立方体 Gi* 与 Mann-Kendall 趋势）、高频事件（近期数量显著高于自身基线）、高风险场所与高频诉求。
        签收后可一键转为本站下次会商的议题，或建立联合巡查任务。
        <span data-testid="warnings-connection">{live.connected ? ' 实时推送已连接。' : ' 实时推送连接中…'}</span>
      </p>
      <div className={styles.layout}>
        <ul className={styles.list} aria-label="预警列表" data-testid="warning-list">
          {live.warnings.map((w) => <Item key={w.id} w={w} picked={w.id === picked} onPick={setPicked} />)}
          {live.warnings.length === 0 && <li className={styles.empty}>{live.warningsLoaded ? '当前无预警' : '加载中…'}</li>}
        </ul>
        <div className={styles.map}>
          <WarningsConsoleMap towns={towns.data} grids={grids.data} warnings={live.warnings} selected={picked} onSelect={setPicked} />
        </div>
      </div>
      {selected && <WarningDetail key={selected.id} warning={selected} mayAct={mayAct} onChanged={onChanged} />}
    </>
  );
}

function Item({ w, picked, onPick }: { w: WarningV1; picked: boolean; onPick: (id: number) => void }) {
  return (
    <li>
      <button
        type="button"
        className={styles.item}
        aria-pressed={picked}
        data-state={w.state}
        data-testid={`warning-${w.id}`}
        style={{ '--level': levelCss(w.level) } as React.CSSProperties}
        onClick={() => onPick(w.id)}
      >
        <span className={styles.head}>
          <span className={styles.level}>{WARNING_LEVEL_LABEL[w.level]}</span>
          <span>{kindLabel(w)}</span>
          <span className={styles.state}>{WARNING_STATE_LABEL[w.state]}</span>
        </span>
        <span className={styles.title}>{w.title}</span>
        <span className={styles.explanation}>{w.explanation}</span>
        <span className={styles.time}>{shanghaiTime(w.raisedAt)} 发出 · 事件 {w.eventIds.length} 起</span>
      </button>
    </li>
  );
}
