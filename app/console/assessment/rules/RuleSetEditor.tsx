'use client';

import { useState } from 'react';
import type { RuleSetRecordV1 } from '@/lib/contracts/assessment';
import { HttpError } from '@/app/http';
import admin from '@/app/admin/admin.module.css';
import { Field, FormError } from '@/app/admin/Field';
import ItemsEditor from './ItemsEditor';
import BandsEditor from './BandsEditor';
import { bodyOf, issuesByField, shownFields, type RuleSetDraft } from './draft';
import { useKeyedSubmit } from '../useKeyedSubmit';

/** 新建版本: the draft starts as a copy of the version it follows; the server checks it and names each faulty field. */
export default function RuleSetEditor({ start, onSaved, onCancel }: { start: RuleSetDraft; onSaved: (r: RuleSetRecordV1) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState(start);
  const { submit, errors, busy } = useKeyedSubmit([], (err) => {
    if (!(err instanceof HttpError)) return { fields: {}, message: err instanceof Error ? err.message : String(err) };
    if (err.issues.length === 0) return { fields: {}, message: err.message };
    const { fields, rest } = issuesByField(err.issues, shownFields(draft));
    return { fields, message: rest.length > 0 ? rest.join('；') : '细则未通过校验，请按标出的字段修改' };
  });
  const set = (change: Partial<RuleSetDraft>) => setDraft((d) => ({ ...d, ...change }));
  async function save(e: React.FormEvent) {
    e.preventDefault();
    const saved = await submit<RuleSetRecordV1>('/api/v1/assessment/rules', bodyOf(draft));
    if (saved) onSaved(saved.body);
  }
  const f = errors.fields;
  return (
    <form className={admin.form} onSubmit={save} data-testid="rule-editor" noValidate style={{ display: 'block' }}>
      <h3>新建版本（保存为草稿，生效前不影响得分）</h3>
      <div className={admin.actions} style={{ gap: 14, margin: '10px 0' }}>
        <Field label="年度" error={f.year}>
          <input className={`${admin.input} ${admin.days}`} data-testid="year" value={draft.year} onChange={(e) => set({ year: e.target.value })} aria-invalid={Boolean(f.year)} />
        </Field>
        <Field label="细则名称" error={f.name}>
          <input className={admin.input} size={40} data-testid="name" value={draft.name} onChange={(e) => set({ name: e.target.value })} aria-invalid={Boolean(f.name)} />
        </Field>
        <Field label="扣分上限" error={f.deductionCap}>
          <input className={`${admin.input} ${admin.days}`} data-testid="deductionCap" value={draft.deductionCap} onChange={(e) => set({ deductionCap: e.target.value })} aria-invalid={Boolean(f.deductionCap)} />
        </Field>
      </div>
      <ItemsEditor items={draft.items} errors={f} onChange={(items) => set({ items })} />
      <h3>星级区间</h3>
      <BandsEditor bands={draft.stars} errors={f} onChange={(stars) => set({ stars })} />
      <div className={admin.formActions}>
        <button type="submit" className={`${admin.button} ${admin.primary}`} disabled={busy}>{busy ? '保存中…' : '保存草稿'}</button>
        <button type="button" className={admin.button} onClick={onCancel}>取消</button>
      </div>
      <FormError errors={errors} />
    </form>
  );
}
