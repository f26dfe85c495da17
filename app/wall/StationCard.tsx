'use client';

import { STATION_UNIT_KINDS, STATION_UNIT_LABEL, type StationProperties } from '@/lib/contracts/geo';
import { useCardDismiss } from './useCardDismiss';
import styles from './wall.module.css';

type Props = { station: StationProperties; townName: string | null; onClose: () => void };

/** S5: a station is its three units under one roof; the card shows which are in place. */
export default function StationCard({ station, townName, onClose }: Props) {
  useCardDismiss(onClose, station.code);

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
