'use client';

import { STATION_UNIT_KINDS, STATION_UNIT_LABEL, type StationProperties } from '@/lib/contracts/geo';
import type { StationStarsV1 } from '@/lib/contracts/scores';
import { parsePeriod } from '@/lib/assessment/periods';
import Stars from '@/app/components/Stars';
import { useCardDismiss } from './useCardDismiss';
import styles from './wall.module.css';

type Props = { station: StationProperties; townName: string | null; stars: StationStarsV1 | null; onClose: () => void };

/** S5: a station is its three units under one roof; the card shows which are in place, and its stars (S14). */
export default function StationCard({ station, townName, stars, onClose }: Props) {
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
        <dt>星级{stars ? `（${parsePeriod(stars.period)?.label ?? stars.period}）` : ''}</dt>
        <dd data-testid="station-stars">{stars ? <><Stars stars={stars.stars} /> {stars.total} 分</> : '尚未评定'}</dd>
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
