'use client';

import { useState } from 'react';
import type { PeriodKind } from '@/lib/contracts/kpi';
import { MAX_KPI_RANGE_DAYS } from '@/lib/contracts/kpi';
import type { CockpitState } from './state';
import styles from './cockpit.module.css';

const KINDS: { kind: PeriodKind; label: string }[] = [
  { kind: 'today', label: '今日' },
  { kind: 'week', label: '本周' },
  { kind: 'month', label: '本月' },
  { kind: 'range', label: '自定义' },
];

const DAY_MS = 86_400_000;
const span = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;

type Props = {
  state: Pick<CockpitState, 'period' | 'from' | 'to'>;
  /** Today in Shanghai, the default end of a custom range. */
  today: string;
  onChange: (p: Pick<CockpitState, 'period' | 'from' | 'to'>) => void;
};

/** 今日 / 本周 / 本月, or two days chosen (inclusive); a range is applied once both ends make sense. */
export default function PeriodSwitch({ state, today, onChange }: Props) {
  const [custom, setCustom] = useState(state.period === 'range');
  const [from, setFrom] = useState(state.from ?? today);
  const [to, setTo] = useState(state.to ?? today);
  const problem = !from || !to ? '请选择起止日期' : from > to ? '开始日期不能晚于结束日期' : span(from, to) > MAX_KPI_RANGE_DAYS ? `时段不能超过 ${MAX_KPI_RANGE_DAYS} 天` : null;
  const showCustom = custom || state.period === 'range';

  return (
    <div className={styles.period}>
      <div className={styles.segmented} role="group" aria-label="时段">
        {KINDS.map((k) => (
          <button
            key={k.kind}
            type="button"
            data-testid={`period-${k.kind}`}
            aria-pressed={k.kind === 'range' ? showCustom : !showCustom && state.period === k.kind}
            onClick={() => {
              if (k.kind === 'range') return setCustom(true);
              setCustom(false);
              onChange({ period: k.kind, from: null, to: null });
            }}
          >
            {k.label}
          </button>
        ))}
      </div>
      {showCustom && (
        <form
          className={styles.range}
          onSubmit={(e) => {
            e.preventDefault();
            if (!problem) onChange({ period: 'range', from, to });
          }}
        >
          <label>
            从 <input type="date" value={from} max={today} onChange={(e) => setFrom(e.target.value)} data-testid="period-from" />
          </label>
          <label>
            至 <input type="date" value={to} max={today} onChange={(e) => setTo(e.target.value)} data-testid="period-to" />
          </label>
          <button type="submit" disabled={problem !== null} data-testid="period-apply">查看</button>
          {problem && <span className={styles.hint} role="status">{problem}</span>}
        </form>
      )}
    </div>
  );
}
