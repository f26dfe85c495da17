'use client';

import type { StationCollection } from '@/app/map/types';
import { useLoad } from '@/app/admin/useLoad';
import admin from '@/app/admin/admin.module.css';

/** The district's choice of one station or all; a station's own people are held to theirs by the API. */
export default function StationFilter({ value, onChange }: { value: number | null; onChange: (id: number | null) => void }) {
  const stations = useLoad<StationCollection>('/api/v1/stations');
  return (
    <label className={admin.field}><span>工作站</span>
      <select className={admin.select} data-testid="station-filter" value={value ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}>
        <option value="">全部工作站</option>
        {(stations.data?.features ?? []).map((f) => f.properties.id !== undefined && <option key={f.properties.id} value={f.properties.id}>{f.properties.name}</option>)}
      </select>
    </label>
  );
}
