'use client';

import { useState } from 'react';
import type { Me } from '@/lib/contracts/auth';
import DevicesTab from '@/app/admin/DevicesTab';
import DutyTab from '@/app/admin/DutyTab';
import PeopleTab from '@/app/admin/PeopleTab';
import { useLoad } from '@/app/admin/useLoad';
import Tabs from '@/app/components/Tabs';
import styles from '@/app/admin/admin.module.css';
import PublishingSwitch from './PublishingSwitch';

const TABS = [
  { id: 'duty', label: '部门与值班' },
  { id: 'people', label: '人员与账号' },
  { id: 'devices', label: '单位与设备' },
  { id: 'citizens', label: '群众反映' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/** The leaders' tabs on the station their account belongs to; the district's own leave to /admin. */
export default function StationScreen() {
  const me = useLoad<Me>('/api/v1/auth/me');
  const [tab, setTab] = useState<TabId>('duty');
  const stationId = me.data?.stationId ?? null;

  if (me.error) return <p className={styles.formError} role="alert">加载失败：{me.error}</p>;
  if (!me.data) return <p className={styles.loading}>加载中…</p>;
  if (stationId === null)
    return <p className={styles.empty}>此账号不属于任何工作站。{me.data.role === 'admin' ? '系统管理员请在“系统管理”中选择工作站。' : ''}</p>;
  return (
    <>
      <Tabs tabs={TABS} current={tab} onChange={setTab} />
      <section className={styles.panel} role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'duty' ? (
          <DutyTab stationId={stationId} />
        ) : tab === 'people' ? (
          <PeopleTab stationId={stationId} />
        ) : tab === 'citizens' ? (
          <PublishingSwitch stationId={stationId} />
        ) : (
          <DevicesTab stationId={stationId} />
        )}
      </section>
    </>
  );
}
