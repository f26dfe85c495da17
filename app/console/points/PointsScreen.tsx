'use client';

import { useState } from 'react';
import type { Me } from '@/lib/contracts/auth';
import { can, DISTRICT_ROLES } from '@/lib/roles';
import { useLoad } from '@/app/admin/useLoad';
import { useStationPick } from '@/app/admin/StationPick';
import Tabs from '@/app/components/Tabs';
import styles from '@/app/admin/admin.module.css';
import Leaderboard from './Leaderboard';
import LedgerLookup from './LedgerLookup';
import RedeemForm from './RedeemForm';
import RulesTable from './RulesTable';

const TABS = [
  { id: 'board', label: '积分排行' },
  { id: 'ledger', label: '积分明细' },
  { id: 'redeem', label: '积分兑换' },
  { id: 'rules', label: '积分细则' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export default function PointsScreen() {
  const me = useLoad<Me>('/api/v1/auth/me');
  if (me.error) return <p className={styles.formError} role="alert">加载失败：{me.error}</p>;
  if (!me.data) return <p className={styles.loading}>加载中…</p>;
  return <Screen me={me.data} />;
}

function Screen({ me }: { me: Me }) {
  const district = DISTRICT_ROLES.includes(me.role);
  // The district picks a station; a station's leaders see their own.
  const { stationId, picker } = useStationPick(district ? null : me.stationId);
  const manages = can(me.role, 'managePoints');
  const tabs = TABS.filter((t) => manages || (t.id !== 'redeem' && t.id !== 'ledger'));
  const [tab, setTab] = useState<TabId>('board');
  // Picking a person on the leaderboard opens their ledger.
  const [personId, setPersonId] = useState<number | null>(null);

  return (
    <>
      {picker}
      <Tabs tabs={tabs} current={tab} onChange={setTab} />
      <section className={styles.panel} role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'board' && (
          stationId === null
            ? <p className={styles.empty}>请先选择工作站</p>
            : <Leaderboard stationId={stationId} onPick={manages ? (id) => { setPersonId(id); setTab('ledger'); } : null} />
        )}
        {tab === 'ledger' && manages && <LedgerLookup personId={personId} onPerson={setPersonId} />}
        {tab === 'redeem' && manages && <RedeemForm personId={personId} />}
        {tab === 'rules' && <RulesTable />}
      </section>
    </>
  );
}
