'use client';

import { useState, type FormEvent } from 'react';
import type { CoverageSettings } from '@/lib/coverage/rules';
import { Field, FormError, numeric } from './Field';
import { useLoad } from './useLoad';
import { useSubmit } from './useSubmit';
import { api } from './api';
import styles from './admin.module.css';

const FIELDS = ['visitMinutes', 'visitRadiusM'];

/** 走访识别: how long within how many metres a gridder's trace must stay for a visit (S3). */
export default function CoverageTab() {
  const saved = useLoad<CoverageSettings>('/api/v1/admin/coverage-settings');
  // Until edited, the boxes show what is saved.
  const [draft, setDraft] = useState<{ minutes: string; radius: string } | null>(null);
  const minutes = draft?.minutes ?? String(saved.data?.visitMinutes ?? '');
  const radius = draft?.radius ?? String(saved.data?.visitRadiusM ?? '');
  const setMinutes = (v: string) => setDraft({ minutes: v, radius });
  const setRadius = (v: string) => setDraft({ minutes, radius: v });
  const [done, setDone] = useState(false);
  const { errors, busy, run } = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(false);
    const ok = await run(FIELDS, () => api.put('/api/v1/admin/coverage-settings', { visitMinutes: numeric(minutes), visitRadiusM: numeric(radius) }));
    if (ok) {
      setDone(true);
      setDraft(null);
      saved.reload();
    }
  }

  if (saved.error) return <p className={styles.formError} role="alert">加载失败：{saved.error}</p>;
  if (!saved.data) return <p className={styles.loading}>加载中…</p>;
  return (
    <>
      <p className={styles.hint}>
        负责网格的网格员轨迹在重点场所（有轮廓时为轮廓）或重点人员住址的规定距离内连续停留满规定时长，记为一次走访（S3）；定位中断超过 3 分钟即视为离开。修改只影响此后计算的走访，已识别的走访不变。轨迹无法证明时，网格员可在手机上手动签到（须拍照、在 200 米内）。
      </p>
      <form className={styles.form} onSubmit={submit}>
        <h3>走访识别</h3>
        <Field label="停留时长（分钟，1–240）" error={errors.fields.visitMinutes}>
          <input className={`${styles.input} ${styles.days}`} inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} aria-invalid={!!errors.fields.visitMinutes} />
        </Field>
        <Field label="距离（米，5–1000）" error={errors.fields.visitRadiusM}>
          <input className={`${styles.input} ${styles.days}`} inputMode="numeric" value={radius} onChange={(e) => setRadius(e.target.value)} aria-invalid={!!errors.fields.visitRadiusM} />
        </Field>
        <div className={styles.formActions}>
          <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy}>{busy ? '保存中…' : '保存'}</button>
          {done && <span className={styles.note}>已保存</span>}
        </div>
        <FormError errors={errors} />
      </form>
    </>
  );
}
