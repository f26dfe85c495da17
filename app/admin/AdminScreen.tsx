'use client';

import { useCallback, useEffect, useState } from 'react';
import type { AdminTaxonomy } from '@/lib/contracts/admin';
import { api } from './api';
import CategoriesTab from './CategoriesTab';
import HolidaysTab from './HolidaysTab';
import JointRulesTab from './JointRulesTab';
import LimitsTab from './LimitsTab';
import Tabs from '@/app/components/Tabs';
import styles from './admin.module.css';

const TABS = [
  { id: 'categories', label: '事件分类' },
  { id: 'limits', label: '办理时限' },
  { id: 'holidays', label: '节假日' },
  { id: 'joint', label: '联动规则' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export default function AdminScreen() {
  const [tab, setTab] = useState<TabId>('categories');
  const [taxonomy, setTaxonomy] = useState<AdminTaxonomy | null>(null);
  const [loadError, setLoadError] = useState('');

  // Both the category tree and the limits table name categories, so each edit reloads them together.
  const reload = useCallback(
    () =>
      api<AdminTaxonomy>('GET', '/api/v1/admin/taxonomy').then(
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
      <Tabs tabs={TABS} current={tab} onChange={setTab} />
      <section className={styles.panel} role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {loadError && <p className={styles.formError} role="alert">加载失败：{loadError}</p>}
        {tab === 'holidays' ? (
          <HolidaysTab />
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
