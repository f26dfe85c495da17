'use client';

import { useEffect, useState } from 'react';
import Link from 'next/link';
import { CONSULTATION_KIND_LABEL, INVITE_RESPONSE_LABEL, type ConsultationV1 } from '@/lib/contracts/command';
import { getJson } from '../api';
import { meetingTime } from './format';
import { roleLabel, STATE_LABEL } from './labels';

/** A scheduled meeting a day past its time was not held (or not recorded). */
const DAY = 86_400_000;
import { useSend } from './useSend';
import styles from './meetings.module.css';

interface Loaded {
  month: string;
  meetings?: ConsultationV1[];
  /** When the list came: a scheduled meeting a day before that was not held. */
  at?: number;
  error?: string;
}

/** S11: the month's weekly and monthly joint-duty meetings (the server schedules this month and the next). */
export default function MeetingsTab({ month }: { month: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    getJson<ConsultationV1[]>(`/api/v1/meetings?month=${month}`, ctl.signal).then(
      (r) => setLoaded(r.ok ? { month, meetings: r.body, at: Date.now() } : { month, error: r.message }),
      () => {}, // aborted: a newer month was asked for
    );
    return () => ctl.abort();
  }, [month, version]);

  const current = loaded?.month === month ? loaded : null;
  const replace = (c: ConsultationV1) =>
    setLoaded((l) => (l?.meetings ? { ...l, meetings: l.meetings.map((m) => (m.id === c.id ? c : m)) } : l));

  return (
    <>
      <p className={styles.hint}>
        每周、每月的联勤会商由系统按工作日自动排期，议题取自站内统筹、超时亮牌及反复发生的事件。会后在此登记出席情况，结束会商即生成可打印的纪要。
      </p>
      {!current ? (
        <p className={styles.loading}>加载中…</p>
      ) : current.error ? (
        <div className={styles.actions}>
          <p className={styles.formError} role="alert">加载失败：{current.error}</p>
          <button type="button" className={styles.button} onClick={() => setVersion((v) => v + 1)}>重试</button>
        </div>
      ) : current.meetings && current.meetings.length === 0 ? (
        <p className={styles.empty}>本月没有排期的联勤会商（系统提前排定本月和下月的例会）。</p>
      ) : (
        <ol className={styles.meetings} data-testid="meeting-list">
          {current.meetings?.map((m) => <MeetingCard key={m.id} meeting={m} missed={missed(m, current.at)} onChange={replace} />)}
        </ol>
      )}
    </>
  );
}

const missed = (m: ConsultationV1, at = 0) => m.state === 'scheduled' && !!m.scheduledAt && Date.parse(m.scheduledAt) < at - DAY;

function MeetingCard({ meeting: m, missed, onChange }: { meeting: ConsultationV1; missed: boolean; onChange: (c: ConsultationV1) => void }) {
  const [open, setOpen] = useState(false);
  const attended = m.invitees.filter((i) => i.response === 'attended').length;
  return (
    <li className={styles.meeting} data-testid={`meeting-${m.id}`} data-state={m.state}>
      <div className={styles.meetingHead}>
        <time className={styles.when} dateTime={m.scheduledAt ?? undefined}>{meetingTime(m.scheduledAt)}</time>
        <span className={styles.badge} data-kind={m.kind}>{CONSULTATION_KIND_LABEL[m.kind]}</span>
        <span className={styles.meetingTitle}>{m.title}</span>
        <span className={styles.badge} data-state={m.state} data-testid="meeting-state">
          {missed ? '未召开' : STATE_LABEL[m.state]}
        </span>
        <span className={styles.note}>
          邀请 {m.invitees.length} 人{attended > 0 && `，出席 ${attended} 人`}
        </span>
        <span className={styles.spacer} />
        <Link className={styles.link} href={`/console/consultations/${m.id}`} data-testid="meeting-record">纪要</Link>
        <button type="button" className={styles.button} aria-expanded={open} data-testid="meeting-toggle" onClick={() => setOpen((o) => !o)}>
          {open ? '收起' : '展开'}
        </button>
      </div>
      {m.agenda.length > 0 ? (
        <ul className={styles.agenda} aria-label="议题">
          {m.agenda.map((a, i) => (
            <li key={i} data-kind={a.kind}>
              {a.eventId !== null ? <Link className={styles.link} href={`/console?event=${a.eventId}`}>{a.label}</Link> : a.label}
            </li>
          ))}
        </ul>
      ) : (
        <p className={styles.agendaEmpty}>暂无议题</p>
      )}
      {/* Remounted on each new version, so the boxes show what the server now holds. */}
      {open && <MeetingDetail key={m.version} meeting={m} onChange={onChange} />}
    </li>
  );
}

function MeetingDetail({ meeting: m, onChange }: { meeting: ConsultationV1; onChange: (c: ConsultationV1) => void }) {
  const [present, setPresent] = useState<Set<number>>(() => new Set(m.invitees.filter((i) => i.response === 'attended').map((i) => i.id)));
  const [summary, setSummary] = useState(m.summary ?? '');
  const { send, busy, error } = useSend();

  function toggle(id: number, on: boolean) {
    setPresent((p) => {
      const next = new Set(p);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  async function post(action: 'attendance' | 'open' | 'close', body: Record<string, unknown>) {
    const c = await send<ConsultationV1>(`/api/v1/consultations/${m.id}/${action}`, body);
    if (c) onChange(c);
  }

  const ids = m.invitees.map((i) => i.id).filter((id) => present.has(id));
  return (
    <div className={styles.detail}>
      {m.invitees.length === 0 ? (
        <p className={styles.empty}>此会商没有邀请人员。</p>
      ) : (
        <table className={styles.table} data-testid="invitees">
          <thead>
            <tr>
              <th>出席</th>
              <th>姓名</th>
              <th>职务</th>
              <th>邀请事由</th>
              <th>回复</th>
            </tr>
          </thead>
          <tbody>
            {m.invitees.map((i) => (
              <tr key={i.id} data-testid={`invitee-${i.id}`}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${i.name}出席`}
                    data-testid={`attend-${i.id}`}
                    checked={present.has(i.id)}
                    disabled={busy}
                    onChange={(e) => toggle(i.id, e.target.checked)}
                  />
                </td>
                <td>{i.name}</td>
                <td className={styles.muted}>{roleLabel(i.role)}</td>
                <td>{i.reason}</td>
                <td><span className={styles.badge} data-response={i.response}>{INVITE_RESPONSE_LABEL[i.response]}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className={styles.actions}>
        {m.invitees.length > 0 && (
          <button type="button" className={styles.button} disabled={busy} data-testid="attendance-save" onClick={() => void post('attendance', { present: ids })}>
            保存出席（{ids.length}/{m.invitees.length}）
          </button>
        )}
        {m.invitees.length > 0 && (
          <>
            <button type="button" className={styles.button} disabled={busy} onClick={() => setPresent(new Set(m.invitees.map((i) => i.id)))}>全选</button>
            <button type="button" className={styles.button} disabled={busy} onClick={() => setPresent(new Set())}>清空</button>
          </>
        )}
        {m.state === 'scheduled' && (
          <button type="button" className={`${styles.button} ${styles.primary}`} disabled={busy} data-testid="meeting-open" onClick={() => void post('open', {})}>
            开始会商
          </button>
        )}
      </div>
      {m.state !== 'closed' ? (
        <div className={styles.closeForm}>
          <label className={styles.field}>
            <span>会议纪要摘要（可选）</span>
            <textarea
              className={`${styles.input} ${styles.textarea}`}
              rows={3}
              maxLength={5000}
              value={summary}
              data-testid="meeting-summary"
              onChange={(e) => setSummary(e.target.value)}
            />
          </label>
          <button
            type="button"
            className={`${styles.button} ${styles.primary}`}
            disabled={busy}
            data-testid="meeting-close"
            onClick={() => void post('close', summary.trim() ? { summary: summary.trim() } : {})}
          >
            结束并生成纪要
          </button>
        </div>
      ) : (
        m.summary && <p className={styles.summary}>{m.summary}</p>
      )}
      {error && <p className={styles.formError} role="alert" data-testid="meeting-error">{error}</p>}
    </div>
  );
}
