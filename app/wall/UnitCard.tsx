'use client';

import { useEffect, useState, type CSSProperties } from 'react';
import type { LiveStore } from '@/app/live/store';
import { STATE_LABEL } from '@/app/live/store';
import { formatDateTime } from '@/app/live/time';
import { UNIT_KINDS, type UnitKind } from '@/lib/units';
import { css, KIND_RGB, UNKNOWN_RGB } from './palette';
import { useCardDismiss } from './useCardDismiss';
import styles from './wall.module.css';

const REFRESH_MS = 1000;

function isKind(kind: string | undefined): kind is UnitKind {
  return (UNIT_KINDS as readonly string[]).includes(kind ?? '');
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} 秒前`;
  if (s < 3600) return `${Math.floor(s / 60)} 分钟前`;
  return `${Math.floor(s / 3600)} 小时前`;
}

type Props = { store: LiveStore; unitId: number; onClose: () => void };

/** One unit as it stands now: who, what kind, its last fix and how long ago. Keyed by unit id. */
export default function UnitCard({ store, unitId, onClose }: Props) {
  useCardDismiss(onClose, unitId);
  const [unit, setUnit] = useState(() => store.unit(unitId));
  const [now, setNow] = useState(() => store.serverNow());
  useEffect(() => {
    const timer = setInterval(() => {
      setUnit(store.unit(unitId));
      setNow(store.serverNow());
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [store, unitId]);

  const info = unit?.info ?? store.unitInfo(unitId);
  const kind = info?.kind;
  const rgb = isKind(kind) ? KIND_RGB[kind] : UNKNOWN_RGB;
  const name = info?.name ?? `#${unitId}`;

  return (
    <aside
      className={`${styles.stationCard} ${styles.liveCard}`}
      style={{ '--card-accent': css(rgb) } as CSSProperties}
      aria-label={`${name}详情`}
      data-testid="unit-card"
    >
      <header>
        <h2>{name}</h2>
        <button type="button" onClick={onClose} aria-label="关闭">×</button>
      </header>
      <dl className={styles.facts}>
        <dt>力量类型</dt>
        <dd>{unit?.kindLabel ?? '—'}{info?.isTeam ? '（队伍）' : ''}</dd>
        <dt>编号</dt>
        <dd className={styles.code}>{info?.code ?? unitId}</dd>
        <dt>状态</dt>
        <dd data-state={unit?.state ?? 'none'}>{unit ? STATE_LABEL[unit.state] : '未上线'}</dd>
        {unit && (
          <>
            <dt>最后定位</dt>
            <dd>{formatDateTime(unit.t)}（{ago(now - unit.t)}）</dd>
            <dt>速度</dt>
            <dd>{(unit.speed * 3.6).toFixed(1)} km/h{unit.heading === null ? '' : `，航向 ${Math.round(unit.heading)}°`}</dd>
            <dt>坐标</dt>
            <dd className={styles.code}>{unit.lon.toFixed(5)}, {unit.lat.toFixed(5)}</dd>
          </>
        )}
      </dl>
    </aside>
  );
}
