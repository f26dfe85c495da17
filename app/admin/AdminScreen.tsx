'use client';

import { useCallback, useEffect, useState } from 'react';
import { useRouter } from 'next/navigation';
import type { AdminTaxonomy } from '@/lib/contracts/admin';
import { api } from './api';
import ApiKeysTab from './ApiKeysTab';
import CategoriesTab from './CategoriesTab';
import CoverageTab from './CoverageTab';
import DevicesTab from './DevicesTab';
import DutyTab from './DutyTab';
import HolidaysTab from './HolidaysTab';
import JointRulesTab from './JointRulesTab';
import LimitsTab from './LimitsTab';
import PeopleTab from './PeopleTab';
import StationsTab from './StationsTab';
import Tabs from '@/app/components/Tabs';
import styles from './admin.module.css';

const TABS = [
  { id: 'categories', label: '事件分类' },
  { id: 'limits', label: '办理时限' },
  { id: 'holidays', label: '节假日' },
  { id: 'joint', label: '联动规则' },
  { id: 'stations', label: '工作站' },
  { id: 'duty', label: '部门与值班' },
  { id: 'people', label: '人员与账号' },
  { id: 'devices', label: '单位与设备' },
  { id: 'apikeys', label: '接口密钥' },
  { id: 'coverage', label: '走访识别' },
  // A page of its own (the district roles read it too), reached from here as one more tab.
  { id: 'audit', label: '审计日志' },
] as const;
type TabId = (typeof TABS)[number]['id'];

// The district's master data (issue 10): none of it needs the taxonomy; null = any station.
const MASTER = {
  stations: () => <StationsTab />,
  duty: () => <DutyTab stationId={null} />,
  people: () => <PeopleTab stationId={null} />,
  devices: () => <DevicesTab stationId={null} />,
  apikeys: () => <ApiKeysTab />,
  coverage: () => <CoverageTab />,
};

export default function AdminScreen() {
  const router = useRouter();
  const [tab, setTab] = useState<TabId>('categories');
  const [taxonomy, setTaxonomy] = useState<AdminTaxonomy | null>(null);
  const [loadError, setLoadError] = useState('');

  // Both the category tree and the limits table name categories, so each edit reloads them together.
  const reload = useCallback(
    () =>
      api.get<AdminTaxonomy>('/api/v1/admin/taxonomy').then(
        (t) => {
          setTaxonomy(t);
          setLoadError('');
        },
        (err: unknown) => setLoadError((err as Error).message),
      ),
    [],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <>
      <Tabs tabs={TABS} current={tab} onChange={(id) => (id === 'audit' ? router.push('/audit') : setTab(id))} />
      <section className={styles.panel} role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {loadError && <p className={styles.formError} role="alert">加载失败：{loadError}</p>}
        {tab === 'holidays' ? (
          <HolidaysTab />
        ) : tab in MASTER ? (
          MASTER[tab as keyof typeof MASTER]()
        ) : !taxonomy ? (
          !loadError && <p className={styles.loading}>加载中…</p>
        ) : tab === 'categories' ? (
          <CategoriesTab taxonomy={taxonomy} reload={reload} />
        ) : tab === 'joint' ? (
          <JointRulesTab taxonomy={taxonomy} />
        ) : (
          <LimitsTab taxonomy={taxonomy} reload={reload} />
        )}
      </section>
    </>
  );
}
