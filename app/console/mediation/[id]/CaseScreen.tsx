'use client';

import Link from 'next/link';
import { useState } from 'react';
import { OUTCOME_LABEL, SIDE_LABEL, type CaseDetailV1, type MediatorV1, type Outcome, type StudioV1 } from '@/lib/contracts/mediation';
import { api, formErrors, NO_ERRORS, type FormErrors } from '@/app/admin/api';
import { useLoad } from '@/app/admin/useLoad';
import styles from '@/app/admin/admin.module.css';
import { at, day, newKey, shanghaiIso, stateLabel } from '../format';

/** The case as its mediator and the station's leaders work it; what the viewer may do comes from the server (`can`). */
export default function CaseScreen({ id }: { id: string }) {
  const c = useLoad<CaseDetailV1>(`/api/v1/mediation/cases/${encodeURIComponent(id)}`);
  if (c.error) return <p className={styles.formError} role="alert">{c.error}</p>;
  if (!c.data) return <p className={styles.loading}>加载中…</p>;
  const d = c.data;
  return (
    <div data-testid="case-page" data-state={d.state}>
      <h2 data-testid="case-number">{d.number} · {d.disputeKindLabel}</h2>
      <p data-testid="case-state">
        {stateLabel(d)} · 立案 {at(d.openedAt)} · 期限 {day(d.dueAt)}{d.closedAt ? ` · 结案 ${at(d.closedAt)}` : ''}
        {d.eventId !== null && <> · 来自事件 #{d.eventId}</>}
      </p>
      <p>纠纷主要事实：{d.summary}{d.partiesInClear ? '' : '（当事人信息已打码）'}</p>

      <h3>当事人{d.partiesInClear ? '' : '（已打码）'}</h3>
      <table className={styles.table} data-testid="parties">
        <thead><tr><th>身份</th><th>姓名</th><th>电话</th><th>地址</th></tr></thead>
        <tbody>
          {d.parties.map((p, i) => <tr key={i}><td>{SIDE_LABEL[p.side]}</td><td>{p.name}</td><td>{p.phone ?? '—'}</td><td>{p.address ?? '—'}</td></tr>)}
        </tbody>
      </table>

      <h3>调解员</h3>
      <p>{d.mediatorName ?? '未指派'}{d.studioName ? ` · ${d.studioName}` : ''}</p>
      {d.can.assign && <AssignForm c={d} onDone={c.reload} />}

      <h3>调解记录</h3>
      {d.sessions.length === 0 ? <p className={styles.empty}>尚无调解记录</p> : (
        <table className={styles.table} data-testid="sessions">
          <thead><tr><th>时间</th><th>地点</th><th>参加人</th><th>笔录</th><th>记录人</th></tr></thead>
          <tbody>
            {d.sessions.map((s) => <tr key={s.id}><td>{at(s.at)}</td><td>{s.place}</td><td>{s.participants.join('、') || '—'}</td><td>{s.notes ?? '—'}</td><td>{s.recordedBy ?? '—'}</td></tr>)}
          </tbody>
        </table>
      )}
      {d.can.session && <SessionForm caseId={d.id} onDone={c.reload} />}

      <h3>调解结果</h3>
      {d.state === 'closed' ? (
        <div data-testid="outcome">
          <p>{d.outcome ? OUTCOME_LABEL[d.outcome] : '—'}{d.referredTo ? `：${d.referredTo}` : ''}</p>
          {d.agreement ? <p>协议内容：{d.agreement.terms}</p>
            : d.outcome === 'success' && !d.partiesInClear && <p className={styles.empty} data-testid="agreement-withheld">协议内容仅本案调解员与本站站长、副站长可见</p>}
          {d.outcome === 'success' && d.partiesInClear && <p><Link href={`/console/mediation/${d.id}/agreement`} data-testid="print-agreement">打印调解协议书</Link></p>}
        </div>
      ) : d.can.close ? <CloseForm caseId={d.id} onDone={c.reload} /> : <p className={styles.empty}>调解中</p>}

      {d.state === 'closed' && (
        <>
          <h3>回访</h3>
          {d.followupAt ? <p data-testid="followup">{at(d.followupAt)}：{d.followupNote ?? '已回访（回访情况仅本案调解员与本站站长、副站长可见）'}</p> : <p>应于 {day(d.followupDueAt)} 前回访</p>}
          {d.can.followup && <FollowupForm caseId={d.id} onDone={c.reload} />}
        </>
      )}
    </div>
  );
}

/** One click's request key, renewed after a success so the next click is a new step. */
function useStep(path: string, shown: readonly string[], onDone: () => void) {
  const [key, setKey] = useState(newKey);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  async function send(body: Record<string, unknown>): Promise<boolean> {
    setBusy(true);
    try {
      await api.post(path, { ...body, requestKey: key });
      setKey(newKey());
      setErrors(NO_ERRORS);
      onDone();
      return true;
    } catch (err) {
      setErrors(formErrors(err, shown));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { send, errors, busy };
}

function AssignForm({ c, onDone }: { c: CaseDetailV1; onDone: () => void }) {
  const mediators = useLoad<MediatorV1[]>('/api/v1/mediation/mediators');
  const studios = useLoad<StudioV1[]>('/api/v1/mediation/studios');
  const [mediatorId, setMediatorId] = useState(c.mediatorId ? String(c.mediatorId) : '');
  const [studioId, setStudioId] = useState(c.studioId ? String(c.studioId) : '');
  const step = useStep(`/api/v1/mediation/cases/${c.id}/assign`, ['mediatorId', 'studioId'], onDone);
  return (
    <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void step.send({ mediatorId: mediatorId ? Number(mediatorId) : null, studioId: studioId ? Number(studioId) : null }); }}>
      <label className={styles.field}><span>调解员</span>
        <select className={styles.select} data-testid="assign-mediator" value={mediatorId} onChange={(e) => setMediatorId(e.target.value)}>
          <option value="">未指派</option>
          {(mediators.data ?? []).filter((m) => m.active && m.stationId === c.stationId).map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
        </select></label>
      <label className={styles.field}><span>调解工作室</span>
        <select className={styles.select} data-testid="assign-studio" value={studioId} onChange={(e) => setStudioId(e.target.value)}>
          <option value="">无</option>
          {(studios.data ?? []).filter((s) => s.active && s.stationId === c.stationId).map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select></label>
      <button type="submit" className={styles.button} disabled={step.busy}>指派</button>
      {step.errors.message && <p className={styles.formError} role="alert">{step.errors.message}</p>}
    </form>
  );
}

export function SessionForm({ caseId, onDone }: { caseId: number; onDone: () => void }) {
  const [when, setWhen] = useState('');
  const [place, setPlace] = useState('');
  const [participants, setParticipants] = useState('');
  const [notes, setNotes] = useState('');
  const step = useStep(`/api/v1/mediation/cases/${caseId}/sessions`, ['at', 'place'], onDone);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const ok = await step.send({
      at: shanghaiIso(when), place,
      participants: participants.split(/[，,、\s]+/).map((s) => s.trim()).filter(Boolean),
      ...(notes.trim() ? { notes } : {}),
    });
    if (ok) { setWhen(''); setPlace(''); setParticipants(''); setNotes(''); }
  }
  return (
    <form className={styles.form} onSubmit={submit} data-testid="session-form">
      <h3>记录一次调解</h3>
      <label className={styles.field}><span>时间</span><input className={styles.input} type="datetime-local" name="at" value={when} onChange={(e) => setWhen(e.target.value)} aria-invalid={Boolean(step.errors.fields.at)} />
        {step.errors.fields.at && <span className={styles.fieldError}>{step.errors.fields.at}</span>}</label>
      <label className={styles.field}><span>地点</span><input className={styles.input} name="place" value={place} onChange={(e) => setPlace(e.target.value)} aria-invalid={Boolean(step.errors.fields.place)} />
        {step.errors.fields.place && <span className={styles.fieldError}>{step.errors.fields.place}</span>}</label>
      <label className={styles.field}><span>参加人（逗号分隔）</span><input className={styles.input} name="participants" value={participants} onChange={(e) => setParticipants(e.target.value)} /></label>
      <label className={styles.field}><span>笔录</span><textarea className={styles.input} name="notes" rows={3} cols={40} value={notes} onChange={(e) => setNotes(e.target.value)} /></label>
      <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={step.busy}>保存调解记录</button>
      {step.errors.message && <p className={styles.formError} role="alert">{step.errors.message}</p>}
    </form>
  );
}

function CloseForm({ caseId, onDone }: { caseId: number; onDone: () => void }) {
  const [outcome, setOutcome] = useState<Outcome>('success');
  const [terms, setTerms] = useState('');
  const [obligations, setObligations] = useState('');
  const [performance, setPerformance] = useState('');
  const [referredTo, setReferredTo] = useState('');
  const step = useStep(`/api/v1/mediation/cases/${caseId}/close`, ['agreement.terms', 'referredTo', 'outcome'], onDone);
  const text = (s: string) => (s.trim() ? s.trim() : undefined);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const agreement = outcome === 'success' ? { terms: text(terms), obligations: text(obligations), performance: text(performance) } : undefined;
    await step.send({ outcome, ...(agreement ? { agreement } : {}), ...(outcome === 'referred' && text(referredTo) ? { referredTo: text(referredTo) } : {}) });
  }
  return (
    <form className={styles.form} onSubmit={submit} data-testid="close-form">
      <h3>调解结案</h3>
      <label className={styles.field}><span>结果</span>
        <select className={styles.select} name="outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome)}>
          {Object.entries(OUTCOME_LABEL).map(([k, l]) => <option key={k} value={k}>{l}</option>)}
        </select></label>
      {outcome === 'success' && (
        <>
          <label className={styles.field}><span>协议内容</span><textarea className={styles.input} name="terms" rows={4} cols={50} value={terms} onChange={(e) => setTerms(e.target.value)} aria-invalid={Boolean(step.errors.fields['agreement.terms'])} />
            {step.errors.fields['agreement.terms'] && <span className={styles.fieldError}>{step.errors.fields['agreement.terms']}</span>}</label>
          <label className={styles.field}><span>各方义务</span><textarea className={styles.input} name="obligations" rows={2} cols={40} value={obligations} onChange={(e) => setObligations(e.target.value)} /></label>
          <label className={styles.field}><span>履行方式、时限</span><input className={styles.input} name="performance" value={performance} onChange={(e) => setPerformance(e.target.value)} /></label>
        </>
      )}
      {outcome === 'referred' && (
        <label className={styles.field}><span>转往</span><input className={styles.input} name="referredTo" value={referredTo} onChange={(e) => setReferredTo(e.target.value)} aria-invalid={Boolean(step.errors.fields.referredTo)} />
          {step.errors.fields.referredTo && <span className={styles.fieldError}>{step.errors.fields.referredTo}</span>}</label>
      )}
      <button type="submit" className={`${styles.button} ${styles.primary}`} disabled={step.busy}>结案</button>
      {step.errors.message && <p className={styles.formError} role="alert">{step.errors.message}</p>}
    </form>
  );
}

function FollowupForm({ caseId, onDone }: { caseId: number; onDone: () => void }) {
  const [note, setNote] = useState('');
  const step = useStep(`/api/v1/mediation/cases/${caseId}/followup`, ['note'], onDone);
  return (
    <form className={styles.form} onSubmit={(e) => { e.preventDefault(); void step.send({ note }); }}>
      <label className={styles.field}><span>回访情况</span><textarea className={styles.input} rows={2} cols={50} value={note} onChange={(e) => setNote(e.target.value)} aria-invalid={Boolean(step.errors.fields.note)} />
        {step.errors.fields.note && <span className={styles.fieldError}>{step.errors.fields.note}</span>}</label>
      <button type="submit" className={styles.button} disabled={step.busy}>记录回访</button>
      {step.errors.message && <p className={styles.formError} role="alert">{step.errors.message}</p>}
    </form>
  );
}
