'use client';

import { useState, type FormEvent } from 'react';
import { INVITE_RESPONSE_LABEL, type ConsultationV1, type DispatchProposalV1 } from '@/lib/contracts/command';
import { elapsed } from '@/app/map/command/eta';
import { newRequestKey } from '../actions';
import { postJson } from '../api';
import type { Reference } from '../useReference';
import styles from './command.module.css';

const HOUR = 3600_000;
/** A datetime-local value in Asia/Shanghai, `hours` from now. */
function localIn(hours: number, now: number): string {
  return new Date(now + hours * HOUR + 8 * HOUR).toISOString().slice(0, 16);
}
const fromLocal = (v: string) => new Date(`${v}:00+08:00`).toISOString();

/**
 * 紧急会商 (S11): one click calls it on this event; once open, the invitees' answers live, and
 * decisions as items with an owner and a due time, each of which may dispatch units or task a department.
 */
export default function ConsultationPanel({ eventId, consultation, proposal, reference, now }: {
  eventId: number;
  consultation: ConsultationV1 | null;
  proposal: DispatchProposalV1 | null;
  reference: Reference;
  now: number;
}) {
  const [onCall, setOnCall] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function post(url: string, body: Record<string, unknown>): Promise<boolean> {
    setBusy(true);
    setProblem(null);
    const r = await postJson(url, { requestKey: newRequestKey(), ...body });
    setBusy(false);
    if (!r.ok) setProblem(r.message);
    return r.ok;
  }

  if (!consultation || consultation.state === 'closed')
    return (
      <section className={styles.box} data-testid="consultation-panel">
        <h4>紧急会商</h4>
        {consultation && <p className={styles.muted}>上次会商已结束 · <a href={`/console/consultations/${consultation.id}`} target="_blank" rel="noreferrer">纪要</a></p>}
        <div className={styles.row}>
          <button type="button" className={styles.danger} disabled={busy} data-testid="call-consultation"
            onClick={() => void post('/api/v1/consultations', { eventIds: [eventId], includeOnCall: onCall })}>
            一键紧急会商
          </button>
          <label className={styles.check}>
            <input type="checkbox" checked={onCall} onChange={(e) => setOnCall(e.target.checked)} data-testid="include-on-call" />
            同时邀请联驻部门
          </label>
        </div>
        <p className={styles.note}>按规则邀请：站长、常务副站长、常驻部门值班人员、事发网格专职网格员。</p>
        {problem && <p className={styles.error} role="alert">{problem}</p>}
      </section>
    );

  const c = consultation;
  const people = c.invitees.filter((i) => i.role !== 'department' && i.role !== 'public');
  const joined = people.filter((i) => i.response === 'accepted' || i.response === 'attended').length;
  return (
    <section className={`${styles.box} ${styles.live}`} data-testid="consultation-panel" data-consultation-id={c.id}>
      <h4>紧急会商进行中 <small>已 {elapsed(c.startedAt ?? new Date(now).toISOString(), now)} · 到会 {joined}/{people.length}</small></h4>
      <ul className={styles.invitees}>
        {c.invitees.map((i) => (
          <li key={i.id} data-response={i.response} data-testid="invitee" title={`${i.reason} · ${INVITE_RESPONSE_LABEL[i.response]}`}>
            {i.name}
          </li>
        ))}
      </ul>
      {c.decisions.length > 0 && (
        <ol className={styles.decisions}>
          {c.decisions.map((d) => (
            <li key={d.id} data-testid="decision">
              {d.text}<small>{d.owner} · {new Date(d.dueAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })} 前{d.dispatchIds.length ? ` · 派遣 ${d.dispatchIds.length} 个单位` : ''}</small>
            </li>
          ))}
        </ol>
      )}
      <DecisionForm key={c.decisions.length} consultation={c} eventId={eventId} proposal={proposal} reference={reference} now={now} busy={busy} post={post} />
      <div className={styles.row}>
        <button type="button" disabled={busy} data-testid="consultation-close"
          onClick={() => void post(`/api/v1/consultations/${c.id}/close`, {})}>
          结束会商
        </button>
        <a href={`/console/consultations/${c.id}`} target="_blank" rel="noreferrer">纪要</a>
      </div>
      {problem && <p className={styles.error} role="alert">{problem}</p>}
    </section>
  );
}

function DecisionForm({ consultation, eventId, proposal, reference, now, busy, post }: {
  consultation: ConsultationV1;
  eventId: number;
  proposal: DispatchProposalV1 | null;
  reference: Reference;
  now: number;
  busy: boolean;
  post: (url: string, body: Record<string, unknown>) => Promise<boolean>;
}) {
  const [text, setText] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState(() => localIn(2, now || Date.now()));
  const [spawn, setSpawn] = useState<'none' | 'dispatch' | 'task'>('none');
  const [units, setUnits] = useState<Set<number>>(new Set());
  // One key for this decision however often it is sent: a retry after a lost answer records it once.
  // The form is made anew (with a new key) once the decision is recorded.
  const [requestKey] = useState(newRequestKey);
  const [department, setDepartment] = useState('');
  const candidates = proposal?.forces.flatMap((f) => f.candidates.map((c) => ({ ...c, force: f.label }))) ?? [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = {
      requestKey, text, owner, dueAt: fromLocal(due),
      spawn: spawn === 'dispatch' ? { kind: 'dispatch', eventId, unitIds: [...units] }
        : spawn === 'task' ? { kind: 'task', eventId, department } : { kind: 'none' },
    };
    await post(`/api/v1/consultations/${consultation.id}/decisions`, body);
  }

  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} data-testid="decision-form">
      <label>决定事项<textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} required data-testid="decision-text" /></label>
      <div className={styles.row}>
        <label>责任人
          <input value={owner} onChange={(e) => setOwner(e.target.value)} required list={`owners-${consultation.id}`} data-testid="decision-owner" />
          <datalist id={`owners-${consultation.id}`}>
            {consultation.invitees.map((i) => <option key={i.id} value={i.name}>{i.reason}</option>)}
          </datalist>
        </label>
        <label>完成时限<input type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} required /></label>
      </div>
      <label>随即
        <select value={spawn} onChange={(e) => setSpawn(e.target.value as typeof spawn)} data-testid="decision-spawn">
          <option value="none">仅记录</option>
          <option value="dispatch">派遣单位</option>
          <option value="task">交部门办理</option>
        </select>
      </label>
      {spawn === 'dispatch' && (
        <fieldset className={styles.force}>
          <legend>派遣（最近可派单位）</legend>
          {candidates.map((c) => (
            <label key={c.unitId} data-testid={`decision-unit-${c.unitId}`}>
              <input type="checkbox" checked={units.has(c.unitId)} onChange={() => setUnits((s) => {
                const n = new Set(s);
                if (!n.delete(c.unitId)) n.add(c.unitId);
                return n;
              })} />
              <span>{c.name}<small>{c.force}</small></span>
            </label>
          ))}
        </fieldset>
      )}
      {spawn === 'task' && (
        <label>部门
          <select value={department} onChange={(e) => setDepartment(e.target.value)} required>
            <option value="">请选择</option>
            {reference.departments.map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
          </select>
        </label>
      )}
      <button type="submit" className={styles.primary} disabled={busy || (spawn === 'dispatch' && units.size === 0)} data-testid="decision-submit">记录决定</button>
    </form>
  );
}
