'use client';

import { useState, type FormEvent } from 'react';
import { HttpError } from '@/app/http';
import { api } from '@/app/admin/api';
import styles from '@/app/admin/admin.module.css';
import { newKey } from '@/app/field/keys';
import { EMPTY_REDEEM, redeemFieldsOf, redemptionBody, type RedeemDraft } from '@/lib/points/view';

type Fields = Partial<Record<'personId' | 'citizenCode' | 'item' | 'points', string>>;
interface Answer { id: number; balance: number; item: string; points: number }

/** 积分兑换 (S14 redemption records): for a person of the station or a resident by code; each field's fault beside it. */
export default function RedeemForm({ personId }: { personId: number | null }) {
  const [draft, setDraft] = useState<RedeemDraft>({ ...EMPTY_REDEEM, personId: personId ? String(personId) : '' });
  const [fields, setFields] = useState<Fields>({});
  const [message, setMessage] = useState('');
  const [done, setDone] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per attempt at one redemption: a retry after a lost answer is not a second redemption.
  const [key, setKey] = useState(newKey);
  const set = (patch: Partial<RedeemDraft>) => setDraft((d) => ({ ...d, ...patch }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    setMessage('');
    const checked = redemptionBody(draft, key);
    if (!checked.ok) return setFields(checked.fields);
    setFields({});
    setBusy(true);
    try {
      const answer = await api.post<Answer>('/api/v1/points/redemptions', checked.body);
      setDone(answer);
      setDraft((d) => ({ ...d, item: '', points: '' }));
      setKey(newKey());
    } catch (err) {
      if (err instanceof HttpError && err.issues.length > 0) {
        const { fields: f, rest } = redeemFieldsOf(err.issues);
        setFields(f);
        setMessage(rest.join('；'));
      } else setMessage(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const error = (name: keyof Fields) => fields[name] && <span className={styles.fieldError} data-testid={`redeem-error-${name}`}>{fields[name]}</span>;
  return (
    <form className={styles.form} onSubmit={submit} data-testid="redeem-form" noValidate>
      <h3>登记积分兑换</h3>
      <label className={styles.field}><span>兑换对象</span>
        <select className={styles.select} value={draft.target} onChange={(e) => set({ target: e.target.value as RedeemDraft['target'] })} data-testid="redeem-target">
          <option value="person">本站人员</option>
          <option value="citizen">群众（按查询码）</option>
        </select>
      </label>
      {draft.target === 'person' ? (
        <label className={styles.field}><span>人员编号</span>
          <input className={styles.input} value={draft.personId} inputMode="numeric" onChange={(e) => set({ personId: e.target.value })} aria-invalid={Boolean(fields.personId)} data-testid="redeem-person" />
          {error('personId')}
        </label>
      ) : (
        <label className={styles.field}><span>群众查询码</span>
          <input className={styles.input} value={draft.citizenCode} maxLength={14} onChange={(e) => set({ citizenCode: e.target.value })} aria-invalid={Boolean(fields.citizenCode)} data-testid="redeem-code" />
          {error('citizenCode')}
        </label>
      )}
      <label className={styles.field}><span>兑换内容</span>
        <input className={styles.input} value={draft.item} maxLength={100} onChange={(e) => set({ item: e.target.value })} aria-invalid={Boolean(fields.item)} data-testid="redeem-item" />
        {error('item')}
      </label>
      <label className={styles.field}><span>扣减积分</span>
        <input className={`${styles.input} ${styles.days}`} value={draft.points} inputMode="numeric" onChange={(e) => set({ points: e.target.value })} aria-invalid={Boolean(fields.points)} data-testid="redeem-points" />
        {error('points')}
      </label>
      <div className={styles.formActions}>
        <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy} data-testid="redeem-submit">{busy ? '提交中…' : '登记兑换'}</button>
      </div>
      {message && <p className={styles.formError} role="alert">{message}</p>}
      {done && <p className={styles.hint} role="status" data-testid="redeem-done">已登记：{done.item}，扣 {done.points} 分，余额 {done.balance} 分</p>}
    </form>
  );
}
