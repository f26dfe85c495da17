'use client';

import { useState } from 'react';
import type { Me } from '@/lib/contracts/auth';
import { can } from '@/lib/roles';
import { useLoad } from '@/app/admin/useLoad';
import type { Collection, RegionProps, StationProps } from '@/app/admin/masterTypes';
import Tabs from '@/app/components/Tabs';
import styles from '@/app/admin/admin.module.css';
import KeyPersonsTab from './KeyPersonsTab';
import PlacesTab from './PlacesTab';
import type { GridOption } from './shared';

const TABS = [
  { id: 'places', label: '重点场所' },
  { id: 'persons', label: '重点人员' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/** Two registers side by side; the grids offered are the viewer's station's (the district's for district roles). */
export default function RegistersScreen() {
  const me = useLoad<Me>('/api/v1/auth/me');
  const stations = useLoad<Collection<StationProps>>('/api/v1/stations');
  const grids = useLoad<Collection<RegionProps>>('/api/v1/regions?level=grid');
  const [tab, setTab] = useState<TabId>('places');
  const error = me.error || stations.error || grids.error;

  if (error) return <p className={styles.formError} role="alert">加载失败：{error}</p>;
  if (!me.data || !stations.data || !grids.data) return <p className={styles.loading}>加载中…</p>;
  const stationId = me.data.stationId;
  const villages = stationId === null ? null : new Set(stations.data.features.find((f) => f.properties.id === stationId)?.properties.villageCodes ?? []);
  const options: GridOption[] = grids.data.features
    .map((f) => f.properties)
    .filter((g) => villages === null || (g.parentCode !== null && villages.has(g.parentCode)))
    .map((g) => ({ code: g.code, name: g.name }));
  const role = me.data.role;

  return (
    <>
      <Tabs tabs={TABS} current={tab} onChange={setTab} />
      <section className={styles.panel} role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'places' ? (
          <PlacesTab grids={options} canEdit={can(role, 'editPlaces')} />
        ) : can(role, 'readKeyPersons') ? (
          <KeyPersonsTab grids={options} canEdit={can(role, 'editKeyPersons')} />
        ) : (
          <p className={styles.empty}>当前角色无权查看重点人员名册。</p>
        )}
      </section>
    </>
  );
}
