'use client';

import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import type { Card } from '@/lib/contracts/events';
import type { EventPointsV1 } from '@/lib/contracts/points';
import { can, type Role } from '@/lib/roles';
import { assessmentParts, signed } from '@/lib/points/view';
import { formatDateTime } from '@/app/live/time';
import { newKey } from '@/app/field/keys';
import { getJson, postJson } from './api';
import styles from './console.module.css';

type Open = 'none' | 'false' | 'flags';

/**
 * The drawer's 考评 section (issue 15; S13 deductions and accountability, S14 rewards): 查实虚假上报
 * for those who manage points (its report points are taken back at once), 越级信访 / 群体性事件 for
 * the district, and 发起追责 on a red-carded event. What the event already holds (the mark, the
 * flags, its points) is read first, so a form never offers what is done.
 */
export default function AssessmentSection({ eventId, card, role }: { eventId: number; card: Card; role: Role | null }) {
  const parts = role === null ? null : assessmentParts({
    managePoints: can(role, 'managePoints'), flagEvents: can(role, 'flagEvents'), manageAccountability: can(role, 'manageAccountability'), card,
  });
  const shown = parts !== null && (parts.markFalse || parts.flags || parts.accountability);
  const [data, setData] = useState<EventPointsV1 | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [open, setOpen] = useState<Open>('none');

  useEffect(() => {
    if (!shown) return;
    const controller = new AbortController();
    getJson<EventPointsV1>(`/api/v1/points/events/${eventId}`, controller.signal)
      .then((r) => {
        if (!r.ok) return setProblem(r.message);
        setData(r.body);
        setProblem(null);
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [eventId, shown, version]);

  if (!shown || !parts) return null;
  const done = () => {
    setOpen('none');
    setVersion((v) => v + 1);
  };
  return (
    <section className={styles.actions} aria-label="考评" data-testid="assessment-section">
      <h4>考评</h4>
      {problem && <p className={styles.error} role="alert">{problem}</p>}
      {data && <Standing data={data} />}
      <div className={styles.actionButtons}>
        {parts.markFalse && data && !data.falseReport && (
          <button type="button" data-caution="true" aria-pressed={open === 'false'} onClick={() => setOpen(open === 'false' ? 'none' : 'false')} data-testid="mark-false">
            查实虚假上报
          </button>
        )}
        {parts.flags && data && (
          <button type="button" aria-pressed={open === 'flags'} onClick={() => setOpen(open === 'flags' ? 'none' : 'flags')} data-testid="edit-flags">
            越级信访 / 群体性事件
          </button>
        )}
        {parts.accountability && <Link href={`/console/accountability?event=${eventId}`} className={styles.link} data-testid="start-accountability">发起追责</Link>}
      </div>
      {open === 'false' && <FalseForm eventId={eventId} onDone={done} onCancel={() => setOpen('none')} />}
      {open === 'flags' && data && <FlagsForm eventId={eventId} current={data} onDone={done} onCancel={() => setOpen('none')} />}
    </section>
  );
}

function Standing({ data }: { data: EventPointsV1 }) {
  const flags = [data.petitionSkip && '越级信访', data.groupIncident && '群体性事件'].filter(Boolean);
  return (
    <div data-testid="assessment-standing">
      {data.falseReport && (
        <p className={styles.duplicate} data-testid="false-mark">
          已查实为虚假上报：{data.falseReport.reason}（{data.falseReport.markedName ?? '—'}，{formatDateTime(Date.parse(data.falseReport.markedAt))}）
        </p>
      )}
      {flags.length > 0 && <p data-testid="event-flags">考评扣分标记：{flags.join('、')}</p>}
      {data.entries.length > 0 ? (
        <ul className={styles.tasks} data-testid="event-points">
          {data.entries.map((e) => (
            <li key={e.id}>
              <span>{e.holderName} · {e.ruleLabel ?? e.reason}</span>
              <span>{signed(e.points)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className={styles.muted}>本事件暂无积分记录</p>
      )}
    </div>
  );
}

function FalseForm({ eventId, onDone, onCancel }: { eventId: number; onDone: () => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [requestKey] = useState(newKey);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await postJson(`/api/v1/points/false-reports`, { eventId, reason, requestKey });
    setBusy(false);
    if (r.ok) onDone();
    else setError(r.message);
  }

  return (
    <form className={styles.actionForm} onSubmit={submit} data-testid="false-form">
      <label>
        查实为虚假的理由（上报所得积分将扣回）
        <textarea rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={error !== null} data-testid="false-reason" />
      </label>
      {error && <p className={styles.error} role="alert" data-testid="false-error">{error}</p>}
      <div className={styles.formButtons}>
        <button type="submit" disabled={busy} data-testid="false-confirm">{busy ? '提交中…' : '确认查实'}</button>
        <button type="button" onClick={onCancel}>取消</button>
      </div>
    </form>
  );
}

function FlagsForm({ eventId, current, onDone, onCancel }: { eventId: number; current: EventPointsV1; onDone: () => void; onCancel: () => void }) {
  const [petitionSkip, setPetitionSkip] = useState(current.petitionSkip);
  const [groupIncident, setGroupIncident] = useState(current.groupIncident);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [requestKey] = useState(newKey);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await postJson(`/api/v1/events/${eventId}/flags`, { petitionSkip, groupIncident, reason, requestKey });
    setBusy(false);
    if (r.ok) onDone();
    else setError(r.message);
  }

  return (
    <form className={styles.actionForm} onSubmit={submit} data-testid="flags-form">
      <label className={styles.check}>
        <input type="checkbox" checked={petitionSkip} onChange={(e) => setPetitionSkip(e.target.checked)} data-testid="flag-petition" /> 越级信访
      </label>
      <label className={styles.check}>
        <input type="checkbox" checked={groupIncident} onChange={(e) => setGroupIncident(e.target.checked)} data-testid="flag-group" /> 群体性事件
      </label>
      <label>
        理由（记入审计）
        <textarea rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={error !== null} data-testid="flags-reason" />
      </label>
      {error && <p className={styles.error} role="alert" data-testid="flags-error">{error}</p>}
      <div className={styles.formButtons}>
        <button type="submit" disabled={busy} data-testid="flags-confirm">{busy ? '提交中…' : '保存标记'}</button>
        <button type="button" onClick={onCancel}>取消</button>
      </div>
    </form>
  );
}
