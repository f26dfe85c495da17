'use client';

import admin from '@/app/admin/admin.module.css';
import { api } from '@/app/admin/api';
import { FormError } from '@/app/admin/Field';
import { useSubmit } from '@/app/admin/useSubmit';
import { parsePeriod } from '@/lib/assessment/periods';

/**
 * 立即计算: the scoring job for one period now, not at its next run. Scoring is the same whenever
 * asked (a frozen period stays as frozen), so a second click needs no request key to be safe.
 */
export default function ComputeButton({ period, onDone }: { period: string; onDone: () => void }) {
  const { run, errors, busy } = useSubmit();
  async function compute() {
    if (await run([], () => api.post('/api/v1/assessment/compute', { period }))) onDone();
  }
  return (
    <div className={admin.inline}>
      <button type="button" className={admin.button} data-testid="compute" disabled={busy} onClick={compute} title={`按生效的考评细则计算${parsePeriod(period)?.label ?? period}的得分`}>
        {busy ? '计算中…' : '立即计算'}
      </button>
      <FormError errors={errors} />
    </div>
  );
}
