'use client';

import { useState, useSyncExternalStore } from 'react';
import InspectionsTab from './InspectionsTab';
import MeetingsTab from './MeetingsTab';
import { monthLabel, shanghaiMonth, shiftMonth } from './format';
import Tabs from '@/app/components/Tabs';
import styles from './meetings.module.css';

const TABS = [
  { id: 'meetings', label: '联勤会商' },
  { id: 'inspections', label: '联合巡查' },
] as const;
type TabId = (typeof TABS)[number]['id'];

// The current month is the browser's to say (the page itself is prerendered): none on the server.
const noSubscribe = () => () => {};
const serverMonth = () => null;

export default function MeetingsScreen() {
  const thisMonth = useSyncExternalStore(noSubscribe, shanghaiMonth, serverMonth);
  const [picked, setPicked] = useState<string | null>(null);
  const [tab, setTab] = useState<TabId>('meetings');
  const month = picked ?? thisMonth;

  if (month === null) return <p className={styles.loading}>加载中…</p>;
  return (
    <>
      <div className={styles.monthBar}>
        <button type="button" className={styles.button} aria-label="上个月" data-testid="month-prev" onClick={() => setPicked(shiftMonth(month, -1))}>‹</button>
        <input
          className={styles.input}
          type="month"
          aria-label="月份"
          data-testid="month-input"
          value={month}
          onChange={(e) => {
            if (/^\d{4}-\d{2}$/.test(e.target.value)) setPicked(e.target.value);
          }}
        />
        <button type="button" className={styles.button} aria-label="下个月" data-testid="month-next" onClick={() => setPicked(shiftMonth(month, 1))}>›</button>
        <strong className={styles.monthLabel}>{monthLabel(month)}</strong>
        {month !== thisMonth && thisMonth !== null && (
          <button type="button" className={styles.button} onClick={() => setPicked(null)}>回到本月</button>
        )}
      </div>
      <Tabs tabs={TABS} current={tab} onChange={setTab} />
      <section className={styles.panel} role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'meetings' ? <MeetingsTab month={month} /> : <InspectionsTab month={month} />}
      </section>
    </>
  );
}
