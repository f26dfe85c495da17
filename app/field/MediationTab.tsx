'use client';

import { useCallback, useEffect, useState } from 'react';
import type { CaseSummaryV1 } from '@/lib/contracts/mediation';
import { http, HttpError } from '@/app/http';
import { newKey } from './keys';
import s from './field.module.css';

const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
const when = (iso: string) => TIME.format(new Date(iso));
const said = (err: unknown) => (err instanceof HttpError ? err.issues[0]?.message ?? err.said ?? `请求失败（${err.status}）` : '网络不可用，请稍后重试');

/**
 * 我的调解 (issue 14; S4, S8): the cases this mediator handles, open first by their limit, with the
 * next session planned, and a form to record a session (a plan or one just held) on the spot.
 */
export default function MediationTab() {
  const [cases, setCases] = useState<CaseSummaryV1[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const load = useCallback(() => {
    http.get<CaseSummaryV1[]>('/api/v1/mediation/mine').then((c) => { setCases(c); setProblem(null); }, (err: unknown) => setProblem(said(err)));
  }, []);
  useEffect(load, [load]);

  const active = (cases ?? []).filter((c) => c.state === 'open');
  return (
    <section className={s.section} data-testid="mediation-mine">
      <h2 className={s.sectionTitle}>我的调解（{active.length} 件进行中）</h2>
      {problem && <p className={s.fieldError} role="alert">{problem}</p>}
      {cases === null ? <p className={s.hint}>加载中…</p> : active.length === 0 ? <p className={s.hint}>暂无进行中的调解案件</p> : active.map((c) => (
        <div key={c.id} className={`${s.task} ${c.overdue ? s.cardRed : ''}`} data-testid={`my-case-${c.id}`}>
          <div className={s.taskTop}>
            <span className={s.taskTitle}>{c.number} · {c.disputeKindLabel}</span>
            {c.overdue && <span className={s.pill}>已超期</span>}
          </div>
          <div className={s.meta}>{c.partyNames.join(' 与 ')} · 期限 {when(c.dueAt)}</div>
          <div className={s.meta}>{c.nextSession ? `下次调解：${when(c.nextSession.at)}，${c.nextSession.place}` : '尚未安排下次调解'}</div>
          {open === c.id ? <SessionSheet caseId={c.id} onDone={() => { setOpen(null); load(); }} onCancel={() => setOpen(null)} />
            : <button type="button" className={s.btn} onClick={() => setOpen(c.id)}>记录调解</button>}
        </div>
      ))}
    </section>
  );
}

function SessionSheet({ caseId, onDone, onCancel }: { caseId: number; onDone: () => void; onCancel: () => void }) {
  const [key] = useState(newKey);
  const [at, setAt] = useState('');
  const [place, setPlace] = useState('');
  const [people, setPeople] = useState('');
  const [notes, setNotes] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      await http.post(`/api/v1/mediation/cases/${caseId}/sessions`, {
        requestKey: key, at: at ? `${at}:00+08:00` : '', place,
        participants: people.split(/[，,、\s]+/).filter(Boolean), ...(notes.trim() ? { notes } : {}),
      });
      onDone();
    } catch (err) {
      setProblem(said(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} className={s.field} data-testid="field-session-form">
      <label className={s.field}><span className={s.label}>时间</span><input className={s.input} type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} /></label>
      <label className={s.field}><span className={s.label}>地点</span><input className={s.input} value={place} onChange={(e) => setPlace(e.target.value)} /></label>
      <label className={s.field}><span className={s.label}>参加人</span><input className={s.input} value={people} onChange={(e) => setPeople(e.target.value)} placeholder="用逗号分隔" /></label>
      <label className={s.field}><span className={s.label}>笔录</span><textarea className={s.textarea} value={notes} onChange={(e) => setNotes(e.target.value)} /></label>
      {problem && <p className={s.fieldError} role="alert">{problem}</p>}
      <div className={s.row}>
        <button type="button" className={s.btn} onClick={onCancel}>取消</button>
        <button type="submit" className={`${s.btn} ${s.btnPrimary}`} disabled={busy}>保存</button>
      </div>
    </form>
  );
}
