'use client';

import { useEffect, useState } from 'react';
import { CARD_LABEL, type Card, type EventDetail } from '@/lib/contracts/events';
import { isDone } from '@/lib/events/machine';
import { can, type Role } from '@/lib/roles';
import { cardOf, type LiveIncident } from '@/app/live/incidents';
import { formatDateTime } from '@/app/live/time';
import { SEVERITY_LABEL } from '@/app/wall/palette';
import type { CommandView } from '@/app/live/command';
import ActionPanel, { useSendAction } from './ActionPanel';
import AssessmentSection from './AssessmentSection';
import CitizenSection from './CitizenSection';
import CommandSection from './command/CommandSection';
import { EMPTY_FORM } from './actions';
import { LockIcon } from './icons';
import { postJson } from './api';
import { countdown } from './queue';
import Timeline from './Timeline';
import { stateLabel } from './timeline';
import { useEventDetail } from './useEventDetail';
import type { Reference } from './useReference';
import { useSoftLock, type LockState } from './useSoftLock';
import styles from './console.module.css';


/** S7: the deputy chief runs the day, so may take over what someone left open; the chief too. */
const MAY_TAKE_OVER: ReadonlySet<Role> = new Set(['deputy_chief', 'station_chief']);

type Props = {
  id: number;
  /**
   * The event as the live store has it (null once pruned from it): a new seq means it changed
   * and is fetched again; its lock holder and card are live.
   */
  incident: LiveIncident | null;
  now: number;
  reference: Reference;
  onClose: () => void;
  onSelect: (id: number) => void;
  /** Dispatches and consultations, live (issue 5). */
  command: CommandView;
};

/** One event in full, its lock, and the steps the viewer may take (issue 4 §8). */
export default function EventDrawer({ id, incident, now, reference, onClose, onSelect, command }: Props) {
  const { detail, error, accept } = useEventDetail(id, incident?.seq);
  const role = reference.me?.role ?? null;
  const card: Card = incident ? cardOf(incident, now) : detail?.card ?? 'none';
  /*
   * The lock is taken only when there is something for this viewer to do: a lock on an event they
   * can only read (a handled one waiting for the gridder's check) would stop the one who can act.
   */
  const wanted = role !== null && can(role, 'actOnEvents') && !!detail && detail.actions.length > 0;
  const { state: lock, takeover } = useSoftLock(id, wanted, incident?.lockedBy ?? null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !(e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLInputElement)) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className={styles.drawer} aria-label="事件详情" data-testid="event-drawer" data-event-id={id}>
      <header className={styles.drawerHead}>
        <div>
          <span className={styles.eventId}>#{id}</span>
          {detail && <span className={styles.stateChip}>{stateLabel(detail.state)}</span>}
          {card !== 'none' && <span className={styles.card} data-card={card}>{CARD_LABEL[card]}</span>}
        </div>
        <button type="button" onClick={onClose} aria-label="关闭" data-testid="drawer-close">×</button>
      </header>
      {!detail ? (
        <p className={error ? styles.error : styles.muted}>{error ?? '正在载入…'}</p>
      ) : (
        <div className={styles.drawerBody}>
          <h3 className={styles.eventTitle}>{detail.title}</h3>
          {error && <p className={styles.error}>{error}</p>}
          <LockBanner lock={lock} detail={detail} myName={reference.me?.name ?? null} mayTakeOver={role !== null && MAY_TAKE_OVER.has(role)} onTakeover={takeover} />
          <Facts detail={detail} card={card} now={now} departmentName={reference.departmentName} />
          {detail.description && <p className={styles.description}>{detail.description}</p>}
          <CitizenSection detail={detail} role={role} onSelect={onSelect} />
          <Duplicate detail={detail} blocked={lock.kind === 'taken'} onDone={accept} onSelect={onSelect} />
          <Photos ids={detail.photos} />
          <ActionPanel key={detail.id} detail={detail} reference={reference} blocked={lock.kind === 'taken'} onDone={accept} />
          {role !== null && can(role, 'command') && (
            <CommandSection eventId={detail.id} open={!isDone(detail.state)} command={command} reference={reference} />
          )}
          <Tasks detail={detail} role={role} onDone={accept} />
          <AssessmentSection key={`assessment-${detail.id}`} eventId={detail.id} card={card} role={role} />
          <section>
            <h4>办理过程</h4>
            <Timeline log={detail.log} departmentName={reference.departmentName} />
          </section>
        </div>
      )}
    </aside>
  );
}

type LockBannerProps = { lock: LockState; detail: EventDetail; myName: string | null; mayTakeOver: boolean; onTakeover: () => void };

function LockBanner({ lock, detail, myName, mayTakeOver, onTakeover }: LockBannerProps) {
  if (lock.kind === 'taken')
    return (
      <div className={styles.lockBanner} data-kind="taken" data-testid="lock-banner" role="status">
        <span><LockIcon />{lock.holder} 正在处理</span>
        {mayTakeOver && <button type="button" onClick={onTakeover} data-testid="lock-takeover">接管</button>}
      </div>
    );
  if (lock.kind === 'error')
    return <div className={styles.lockBanner} data-kind="error" data-testid="lock-banner" role="status"><span>{lock.message}</span></div>;
  if (lock.kind === 'held')
    return <div className={styles.lockBanner} data-kind="held" data-testid="lock-banner"><span>您正在处理此事件，其他人可见</span></div>;
  // Not ours to lock (nothing for us to do here), but others may be on it; our own lock is on its way out.
  if (lock.kind === 'none' && detail.lock && detail.lock.name !== myName)
    return (
      <div className={styles.lockBanner} data-kind="other" data-testid="lock-banner">
        <span><LockIcon />{detail.lock.name} 正在处理</span>
      </div>
    );
  return null;
}

type FactsProps = { detail: EventDetail; card: Card; now: number; departmentName: (code: string) => string };

function Facts({ detail: d, card, now, departmentName }: FactsProps) {
  const deadlineMs = d.deadlineAt ? Date.parse(d.deadlineAt) : null;
  const left = countdown(deadlineMs, now);
  const place = [d.townName, d.villageName, d.gridName].filter(Boolean).join(' · ');
  return (
    <dl className={styles.facts} data-testid="event-facts">
      <dt>类别</dt>
      <dd>{d.categoryLabel}{d.subcategoryLabel ? ` / ${d.subcategoryLabel}` : ''}（{SEVERITY_LABEL[d.severity]}）</dd>
      <dt>来源</dt>
      <dd>{d.sourceLabel}</dd>
      <dt>地点</dt>
      <dd>
        {place || '未定位'}
        {d.address && <div className={styles.muted}>{d.address}</div>}
      </dd>
      <dt>工作站</dt>
      <dd>{d.stationName ?? '—'}</dd>
      <dt>责任部门</dt>
      <dd>{d.department ? d.departmentName ?? departmentName(d.department) : '—'}</dd>
      <dt>上报人</dt>
      <dd data-testid="event-reporter">{d.reporterName ?? d.reporterLabel ?? (d.reportedByCitizen ? '群众' : '—')}</dd>
      <dt>上报时间</dt>
      <dd>{formatDateTime(Date.parse(d.reportedAt))}</dd>
      <dt>办理时限</dt>
      <dd data-card={card}>
        {deadlineMs === null ? '—' : formatDateTime(deadlineMs)}
        {left && <span className={styles.countdown} data-overdue={left.overdue}> {left.text}</span>}
      </dd>
      {d.redAt && (
        <>
          <dt>红牌时限</dt>
          <dd>{formatDateTime(Date.parse(d.redAt))}</dd>
        </>
      )}
      {card !== 'none' && (
        <>
          <dt>督办</dt>
          <dd><span className={styles.card} data-card={card}>{CARD_LABEL[card]}</span></dd>
        </>
      )}
    </dl>
  );
}

function Duplicate({ detail, blocked, onDone, onSelect }: { detail: EventDetail; blocked: boolean; onDone: (d: EventDetail) => void; onSelect: (id: number) => void }) {
  const { send, busy, error } = useSendAction(detail, onDone);
  if (detail.mergedInto !== null)
    return (
      <div className={styles.duplicate} data-testid="merged-into">
        已合并到 <button type="button" className={styles.link} onClick={() => onSelect(detail.mergedInto!)}>#{detail.mergedInto}</button>
      </div>
    );
  if (detail.duplicateOf === null) return null;
  const into = detail.duplicateOf;
  return (
    <div className={styles.duplicate} data-testid="duplicate-hint">
      <span>
        疑似与 <button type="button" className={styles.link} onClick={() => onSelect(into)}>#{into}</button> 重复（同类、100 米内、24 小时内）
      </span>
      {detail.actions.includes('merge') && (
        <button type="button" disabled={busy || blocked} onClick={() => void send('merge', { ...EMPTY_FORM, into: String(into) })} data-testid="merge-duplicate">
          合并到 #{into}
        </button>
      )}
      {error && <p className={styles.error} role="alert">{error}</p>}
    </div>
  );
}

/** Roles that may close a joint-remediation sub-task: the station's leaders any, department staff their own. */
const TASK_CLOSERS: ReadonlySet<Role> = new Set(['deputy_chief', 'station_chief', 'dept_staff']);
const TASKS_OPEN_IN: ReadonlySet<string> = new Set(['coordinated', 'in_progress']);

/** S12 joint remediation: one sub-task per department, each closed by its own department. */
function Tasks({ detail, role, onDone }: { detail: EventDetail; role: Role | null; onDone: (d: EventDetail) => void }) {
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (detail.tasks.length === 0) return null;
  const mayClose = role !== null && TASK_CLOSERS.has(role) && TASKS_OPEN_IN.has(detail.state);

  async function done(task: number) {
    setBusy(task);
    setError(null);
    const r = await postJson<EventDetail>(`/api/v1/events/${detail.id}/tasks/${task}/done`, {});
    setBusy(null);
    if (r.ok) onDone(r.body);
    else setError(r.message);
  }

  return (
    <section>
      <h4>联合处置子任务（{detail.tasks.filter((t) => t.state === 'done').length}/{detail.tasks.length}）</h4>
      <ul className={styles.tasks} data-testid="tasks">
        {detail.tasks.map((t) => (
          <li key={t.id} data-state={t.state} data-testid={`task-${t.department}`}>
            <span>{t.departmentName}</span>
            {t.state === 'done' ? (
              <span>已完成{t.doneAt ? ` ${formatDateTime(Date.parse(t.doneAt))}` : ''}</span>
            ) : mayClose ? (
              <button type="button" disabled={busy !== null} onClick={() => void done(t.id)} data-testid={`task-done-${t.id}`}>
                {busy === t.id ? '提交中…' : '标记完成'}
              </button>
            ) : (
              <span>处置中</span>
            )}
          </li>
        ))}
      </ul>
      {error && <p className={styles.error} role="alert">{error}</p>}
    </section>
  );
}

function Photos({ ids }: { ids: readonly string[] }) {
  const [broken, setBroken] = useState<ReadonlySet<string>>(new Set());
  if (ids.length === 0) return null;
  return (
    <section>
      <h4>照片（{ids.length}）</h4>
      <div className={styles.photos} data-testid="photos">
        {ids.map((p) =>
          broken.has(p) ? (
            <span key={p} className={styles.photoMissing}>照片无法显示</span>
          ) : (
            <a key={p} href={`/api/v1/photos/${p}`} target="_blank" rel="noreferrer">
              {/* Our own API serves the image behind the session; next/image would proxy it for nothing. */}
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={`/api/v1/photos/${p}`} alt="事件照片" loading="lazy" onError={() => setBroken((b) => new Set(b).add(p))} />
            </a>
          ),
        )}
      </div>
    </section>
  );
}
