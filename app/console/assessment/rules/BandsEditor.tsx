'use client';

import admin from '@/app/admin/admin.module.css';
import { FieldError } from '@/app/admin/Field';
import Stars from '@/app/components/Stars';
import styles from '../assessment.module.css';
import type { BandDraft } from './draft';

type Props = { bands: BandDraft[]; errors: Record<string, string>; onChange: (bands: BandDraft[]) => void };

/** One to five star bands, each [下限, 上限) of the total; the top band ends at 100. */
export default function BandsEditor({ bands, errors, onChange }: Props) {
  const set = (i: number, change: Partial<BandDraft>) => onChange(bands.map((b, n) => (n === i ? { ...b, ...change } : b)));
  const issue = (i: number) => [errors[`stars.${i}`], errors[`stars.${i}.stars`]].filter(Boolean).join('；') || undefined;
  return (
    <>
      <div className={styles.bands} data-testid="bands-editor">
        {bands.map((b, i) => (
          <fieldset key={i} className={admin.checks} style={{ width: 'auto' }}>
            <legend><Stars stars={b.stars} /></legend>
            <label className={admin.field}><span>下限</span>
              <input className={`${admin.input} ${admin.days}`} aria-label={`${b.stars} 星下限`} data-testid={`stars.${i}.min`} value={b.min} onChange={(e) => set(i, { min: e.target.value })} aria-invalid={Boolean(errors[`stars.${i}.min`] || errors[`stars.${i}`])} />
              <FieldError message={errors[`stars.${i}.min`]} />
            </label>
            <label className={admin.field}><span>上限</span>
              <input className={`${admin.input} ${admin.days}`} aria-label={`${b.stars} 星上限`} data-testid={`stars.${i}.max`} value={b.max} onChange={(e) => set(i, { max: e.target.value })} aria-invalid={Boolean(errors[`stars.${i}.max`] || errors[`stars.${i}`])} />
              <FieldError message={errors[`stars.${i}.max`]} />
            </label>
            <FieldError message={issue(i)} />
          </fieldset>
        ))}
      </div>
      <FieldError message={errors.stars} />
      <p className={admin.actions}>
        <button type="button" className={admin.button} disabled={bands.length >= 5} onClick={() => onChange([...bands, { stars: bands.length + 1, min: bands.at(-1)?.max ?? '', max: '100' }])}>添加星级</button>
        <button type="button" className={admin.button} disabled={bands.length <= 1} onClick={() => onChange(bands.slice(0, -1))}>删除最高星级</button>
      </p>
    </>
  );
}
