'use client';

import { useState } from 'react';
import type { AdjustmentV1 } from '@/lib/contracts/scores';
import admin from '@/app/admin/admin.module.css';
import { Field, FormError } from '@/app/admin/Field';
import { at, numberOrText, signed } from './format';
import { useKeyedSubmit } from './useKeyedSubmit';

/** The district's manual adjustments beside the computed score, each with its reason, who and when (S13). */
export function AdjustmentList({ adjustments }: { adjustments: AdjustmentV1[] }) {
  if (adjustments.length === 0) return <p className={admin.empty}>无人工调整</p>;
  return (
    <table className={admin.table} data-testid="adjustments">
      <thead><tr><th className={admin.num}>分值</th><th>理由</th><th>调整人</th><th>时间</th></tr></thead>
      <tbody>
        {adjustments.map((a) => (
          <tr key={a.id}><td className={admin.num}>{signed(a.points)}</td><td>{a.reason}</td><td>{a.byName ?? '—'}</td><td>{at(a.at)}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

/** An adjustment of ± points (two decimals at most) with a reason; the server's refusals shown by field. */
export function AdjustmentForm({ period, subjectKey, onDone }: { period: string; subjectKey: string; onDone: () => void }) {
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const { submit, errors, busy } = useKeyedSubmit(['points', 'reason']);
  async function send(e: React.FormEvent) {
    e.preventDefault();
    // An empty box goes as text, not as 0: the server then says what is missing.
    const ok = await submit('/api/v1/assessment/adjustments', { period, subjectKey, points: numberOrText(points), reason });
    if (ok) {
      setPoints('');
      setReason('');
      onDone();
    }
  }
  return (
    <form className={admin.form} onSubmit={send} data-testid="adjust-form" noValidate>
      <h3>新增调整</h3>
      <Field label="调整分值（±，最多两位小数）" error={errors.fields.points}>
        <input className={`${admin.input} ${admin.days}`} name="points" inputMode="decimal" value={points} onChange={(e) => setPoints(e.target.value)} aria-invalid={Boolean(errors.fields.points)} placeholder="+2.5" />
      </Field>
      <Field label="调整理由" error={errors.fields.reason}>
        <textarea className={admin.input} name="reason" rows={2} cols={36} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={Boolean(errors.fields.reason)} />
      </Field>
      <button type="submit" className={`${admin.button} ${admin.primary}`} disabled={busy}>{busy ? '提交中…' : '提交调整'}</button>
      <FormError errors={errors} />
    </form>
  );
}
