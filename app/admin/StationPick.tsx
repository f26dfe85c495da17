'use client';

import { useState, type ReactNode } from 'react';
import type { Collection, StationProps } from './masterTypes';
import { useLoad } from './useLoad';
import styles from './admin.module.css';

/**
 * The station a tab works on: the one it was given (a station's own leaders), or, for the
 * administrator (`fixed` null), one picked from the list.
 */
export function useStationPick(fixed: number | null): { stationId: number | null; stations: StationProps[]; picker: ReactNode } {
  const { data, error } = useLoad<Collection<StationProps>>('/api/v1/stations');
  const [picked, setPicked] = useState<number | null>(null);
  const stations = data?.features.map((f) => f.properties) ?? [];
  if (fixed !== null) return { stationId: fixed, stations, picker: null };

  const picker = (
    <div className={styles.yearBar}>
      <label className={styles.note} htmlFor="station-pick">工作站</label>
      <select id="station-pick" className={styles.select} aria-label="选择工作站" value={picked ?? ''} onChange={(e) => setPicked(e.target.value ? Number(e.target.value) : null)}>
        <option value="">请选择工作站</option>
        {stations.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
      </select>
      {error && <span className={styles.formError} role="alert">工作站加载失败：{error}</span>}
      {data && stations.length === 0 && <span className={styles.note}>尚未建立工作站，请先在“工作站”页添加。</span>}
    </div>
  );
  return { stationId: picked, stations, picker };
}
