'use client';

import { useMemo } from 'react';
import { PERIOD_KIND_LABEL, PERIOD_KINDS, type AssessmentPeriodKind } from '@/lib/assessment/periods';
import styles from '@/app/admin/admin.module.css';
import { defaultPeriod, kindOf, periodChoices, statusLabel } from './periodChoices';

/** Month, quarter or year, then which one; each option says whether it is closed (已封账) or still computed (计算中). */
export default function PeriodPicker({ value, onChange }: { value: string; onChange: (key: string) => void }) {
  const kind = kindOf(value);
  // The list is read once per kind: a page left open over midnight keeps its choices until the kind changes.
  const choices = useMemo(() => periodChoices(kind, new Date()), [kind]);
  function pickKind(k: AssessmentPeriodKind) {
    const now = new Date();
    // A month opens on the last ended one; a quarter or a year on the current, which is what exists.
    onChange(k === 'month' ? defaultPeriod(now) : periodChoices(k, now)[0].key);
  }
  return (
    <>
      <label className={styles.field}><span>考评周期</span>
        <select className={styles.select} data-testid="period-kind" value={kind} onChange={(e) => pickKind(e.target.value as AssessmentPeriodKind)}>
          {PERIOD_KINDS.map((k) => <option key={k} value={k}>{PERIOD_KIND_LABEL[k]}</option>)}
        </select>
      </label>
      <label className={styles.field}><span>时段</span>
        <select className={styles.select} data-testid="period" value={value} onChange={(e) => onChange(e.target.value)}>
          {choices.map((c) => <option key={c.key} value={c.key}>{c.label}（{statusLabel(c.ended)}）</option>)}
        </select>
      </label>
    </>
  );
}
