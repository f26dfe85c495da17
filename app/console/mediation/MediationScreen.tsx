'use client';

import { useState } from 'react';
import type { Me } from '@/lib/contracts/auth';
import { can } from '@/lib/roles';
import { useLoad } from '@/app/admin/useLoad';
import Tabs from '@/app/components/Tabs';
import styles from '@/app/admin/admin.module.css';
import CasesTab from './CasesTab';
import StudiosTab from './StudiosTab';
import MediatorsTab from './MediatorsTab';

const TABS = [
  { id: 'cases', label: '调解案件' },
  { id: 'studios', label: '调解工作室' },
  { id: 'mediators', label: '调解员' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export default function MediationScreen() {
  const me = useLoad<Me>('/api/v1/auth/me');
  const [tab, setTab] = useState<TabId>('cases');
  if (me.error) return <p className={styles.formError} role="alert">加载失败：{me.error}</p>;
  if (!me.data) return <p className={styles.loading}>加载中…</p>;
  const role = me.data.role;
  return (
    <>
      <Tabs tabs={TABS} current={tab} onChange={setTab} />
      <section className={styles.panel} role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'cases' && <CasesTab canOpen={can(role, 'mediate')} />}
        {tab === 'studios' && <StudiosTab canEdit={can(role, 'manageStation')} />}
        {tab === 'mediators' && <MediatorsTab canEdit={can(role, 'manageStation')} />}
      </section>
    </>
  );
}
