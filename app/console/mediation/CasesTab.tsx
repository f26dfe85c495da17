'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { CaseSummaryV1, PendingDisputeV1 } from '@/lib/contracts/mediation';
import { DISPUTE_KIND_LABEL, type DisputeKind } from '@/lib/contracts/citizen';
import { api, formErrors, NO_ERRORS, type FormErrors } from '@/app/admin/api';
import { useLoad } from '@/app/admin/useLoad';
import styles from '@/app/admin/admin.module.css';
import { day, newKey, stateLabel } from './format';

const FILTERS = [
  { id: '', label: '全部' },
  { id: 'open', label: '调解中' },
  { id: 'overdue', label: '已超期' },
  { id: 'closed', label: '已结案' },
  { id: 'followup', label: '待回访' },
] as const;

/** The station's cases, open first by their limit; a case opened by hand for a dispute that came in person. */
export default function CasesTab({ canOpen }: { canOpen: boolean }) {
  const [filter, setFilter] = useState('');
  const cases = useLoad<CaseSummaryV1[]>(`/api/v1/mediation/cases${filter ? `?state=${filter}` : ''}`);
  return (
    <>
      <div className={styles.form} role="group" aria-label="筛选">
        <label className={styles.field}>
          <span>状态</span>
          <select className={styles.select} data-testid="case-filter" value={filter} onChange={(e) => setFilter(e.target.value)}>
            {FILTERS.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
          </select>
        </label>
      </div>
      {canOpen && <Pending onOpened={cases.reload} />}
      {canOpen && <OpenByHand onDone={cases.reload} />}
      {cases.error && <p className={styles.formError} role="alert">{cases.error}</p>}
      {!cases.data ? <p className={styles.loading}>加载中…</p> : cases.data.length === 0 ? <p className={styles.empty}>暂无调解案件</p> : (
        <table className={styles.table} data-testid="case-list">
          <thead>
            <tr><th>编号</th><th>纠纷类型</th><th>当事人</th><th>状态</th><th>调解期限</th><th>调解员</th><th>下次调解</th></tr>
          </thead>
          <tbody>
            {cases.data.map((c) => (
              <tr key={c.id} data-testid={`case-${c.id}`} data-retired={c.state === 'closed'}>
                <td><Link href={`/console/mediation/${c.id}`}>{c.number}</Link></td>
                <td>{c.disputeKindLabel}</td>
                <td>{c.partyNames.join(' 与 ')}</td>
                <td>{stateLabel(c)}</td>
                <td>{day(c.dueAt)}</td>
                <td>{c.mediatorName ?? '未指派'}{c.studioName ? `（${c.studioName}）` : ''}</td>
                <td>{c.nextSession ? `${day(c.nextSession.at)} ${c.nextSession.place}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** 待立案: residents' 调解申请 and dispute events with no case yet; one click opens the case (its parties come from the request). */
function Pending({ onOpened }: { onOpened: () => void }) {
  const pending = useLoad<PendingDisputeV1[]>('/api/v1/mediation/pending');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState<number | null>(null);
  const router = useRouter();
  if (!pending.data || pending.data.length === 0) return null;
  async function open(p: PendingDisputeV1) {
    setBusy(p.eventId);
    try {
      const c = await api.post<CaseSummaryV1>('/api/v1/mediation/cases', p.citizenRequestId ? { idempotencyKey: `open-request-${p.citizenRequestId}`, citizenRequestId: p.citizenRequestId } : { idempotencyKey: `open-event-${p.eventId}`, eventId: p.eventId });
      onOpened();
      router.push(`/console/mediation/${c.id}`);
    } catch (err) {
      setError((err as Error).message);
      pending.reload();
    } finally {
      setBusy(null);
    }
  }
  return (
    <div className={styles.form} data-testid="pending">
      <h3>待立案（{pending.data.length}）</h3>
      <table className={styles.table}>
        <tbody>
          {pending.data.map((p) => (
            <tr key={p.eventId} data-testid={`pending-${p.eventId}`}>
              <td>{p.fromCitizen ? '群众调解申请' : '矛盾纠纷事件'} #{p.eventId}</td><td>{p.title}</td><td>{p.disputeKindLabel ?? '—'}</td><td>{day(p.reportedAt)}</td>
              <td><button type="button" className={`${styles.button} ${styles.primary}`} disabled={busy !== null} onClick={() => open(p)}>立案调解</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && <p className={styles.formError} role="alert">{error}</p>}
    </div>
  );
}

/** 手工立案: a dispute brought to the station in person (parties, kind, facts). */
function OpenByHand({ onDone }: { onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<DisputeKind>('neighbour');
  const [a, setA] = useState({ name: '', phone: '' });
  const [b, setB] = useState({ name: '', phone: '' });
  const [summary, setSummary] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newKey);
  if (!open) return <p><button type="button" className={styles.button} onClick={() => setOpen(true)}>手工立案</button></p>;
  const party = (p: { name: string; phone: string }, side: 'applicant' | 'respondent') => ({ name: p.name, side, ...(p.phone.trim() ? { phone: p.phone.trim() } : {}) });
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      await api.post('/api/v1/mediation/cases', { idempotencyKey: key, disputeKind: kind, parties: [party(a, 'applicant'), party(b, 'respondent')], summary });
      setOpen(false);
      setKey(newKey());
      onDone();
    } catch (err) {
      setErrors(formErrors(err, ['summary', 'disputeKind']));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className={styles.form} onSubmit={submit}>
      <h3>手工立案</h3>
      <label className={styles.field}><span>纠纷类型</span>
        <select className={styles.select} value={kind} onChange={(e) => setKind(e.target.value as DisputeKind)}>
          {Object.entries(DISPUTE_KIND_LABEL).map(([k, l]) => <option key={k} value={k}>{l}</option>)}
        </select>
      </label>
      <label className={styles.field}><span>申请人</span><input className={styles.input} value={a.name} onChange={(e) => setA({ ...a, name: e.target.value })} /></label>
      <label className={styles.field}><span>申请人电话</span><input className={styles.input} value={a.phone} onChange={(e) => setA({ ...a, phone: e.target.value })} /></label>
      <label className={styles.field}><span>被申请人</span><input className={styles.input} value={b.name} onChange={(e) => setB({ ...b, name: e.target.value })} /></label>
      <label className={styles.field}><span>被申请人电话</span><input className={styles.input} value={b.phone} onChange={(e) => setB({ ...b, phone: e.target.value })} /></label>
      <label className={styles.field}><span>纠纷主要事实</span>
        <textarea className={styles.input} rows={3} cols={50} value={summary} onChange={(e) => setSummary(e.target.value)} aria-invalid={Boolean(errors.fields.summary)} />
        {errors.fields.summary && <span className={styles.fieldError}>{errors.fields.summary}</span>}
      </label>
      <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={busy}>立案</button>
      <button type="button" className={styles.button} onClick={() => setOpen(false)}>取消</button>
      {errors.message && <p className={styles.formError} role="alert">{errors.message}</p>}
    </form>
  );
}
