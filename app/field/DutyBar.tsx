'use client';

import { useState } from 'react';
import { formatTime } from './format';
import type { Tracker, TrackerView } from './trackerRunner';
import s from './duty.module.css';

/**
 * 上岗 / 下岗 (issue 12): on duty the phone reports where it is; the bar says since when, how many
 * positions still wait for a signal, and why none can be taken when the phone cannot locate.
 */
export default function DutyBar({ tracker, view }: { tracker: Tracker; view: TrackerView }) {
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);
  // An account without a unit has no position to report; before the server answers, nothing is shown.
  // The page's grid keeps a row for the bar: an empty one without a unit.
  if (!view.unit) return <div />;

  async function toggle() {
    setBusy(true);
    setRefused(null);
    setRefused(await tracker.setDuty(!view.onDuty));
    setBusy(false);
  }

  // Until the server has the change, the bar says so either way: a 下岗 not yet recorded still counts as duty time.
  const pending = view.syncing ? '（待同步）' : '';
  const state = view.onDuty ? `在岗${view.since ? ` · ${formatTime(view.since)} 起` : ''}${pending}` : `未上岗，不上报位置${pending}`;
  const problem = refused ?? (view.onDuty ? view.problem : null);
  return (
    <section className={s.bar} data-testid="duty-bar" data-on-duty={view.onDuty} data-syncing={view.syncing} aria-label="在岗">
      <span className={s.state} data-testid="duty-state">{state}</span>
      {view.waiting > 0 && (
        <span className={s.waiting} data-testid="fixes-waiting" data-count={view.waiting}>
          位置待发送 {view.waiting}
        </span>
      )}
      <button type="button" className={s.toggle} onClick={() => void toggle()} disabled={busy} data-testid="duty-toggle">
        {view.onDuty ? '下岗' : '上岗'}
      </button>
      {problem && (
        <p className={s.problem} role="alert" data-testid="duty-problem">
          {problem}
        </p>
      )}
    </section>
  );
}
