'use client';

import { useEffect } from 'react';
import { STATION_UNIT_KINDS, STATION_UNIT_LABEL, type StationProperties } from '@/lib/contracts/geo';
import styles from './wall.module.css';

/** Nobody closes a card on an unattended wall; it gives the map back on its own. */
const AUTO_CLOSE_MS = 2 * 60_000;

type Props = { station: StationProperties; townName: string | null; onClose: () => void };

/** S5: a station is its three units under one roof; the card shows which are in place. */
export default function StationCard({ station, townName, onClose }: Props) {
  useEffect(() => {
    const timer = setTimeout(onClose, AUTO_CLOSE_MS);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('keydown', onKey);
    };
  }, [station.code, onClose]);

  return (
    <aside className={styles.stationCard} aria-label={`${station.name}详情`} data-testid="station-card">
      <header>
        <h2>{station.name}</h2>
        <button type="button" onClick={onClose} aria-label="关闭">×</button>
      </header>
      <dl className={styles.facts}>
        <dt>所属镇（街道）</dt>
        <dd>{townName ?? '—'}</dd>
        <dt>覆盖村（社区）</dt>
        <dd>{station.villageCodes.length} 个</dd>
      </dl>
      <ul className={styles.units}>
        {STATION_UNIT_KINDS.map((kind) => {
          const label = STATION_UNIT_LABEL[kind];
          const units = station.units.filter((u) => u.kind === kind);
          // A unit named after its kind says nothing new; other names are worth showing.
          const names = units.map((u) => u.name).filter((name) => name && name !== label);
          return (
            <li key={kind} data-present={units.length > 0}>
              <span>{label}</span>
              <span>{units.length ? names.join('、') || '已设立' : '未配置'}</span>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
