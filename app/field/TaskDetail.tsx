'use client';

import { useEffect, useState } from 'react';
import { EVENT_ACTION_LABEL, PLACEMENT_LABEL, type EventDetail, type EventLogStep } from '@/lib/contracts/events';
import { EVENT_STATE_LABEL, type EventAction } from '@/lib/events/machine';
import { ROLE_LABEL, type Role } from '@/lib/roles';
import ActionSheet, { FIELD_ACTIONS, type FieldAction, type SheetResult } from './ActionSheet';
import { call } from './api';
import { formatDateTime } from './format';
import type { OutboxItem } from './outbox';
import type { Outbox } from './outboxRunner';
import { photoUrl } from './photos';
import type { TaskSummary } from './schemas';
import { CardBadge, Deadline, stateLabel } from './TaskList';
import s from './field.module.css';

const STEP_LABEL: Record<string, string> = { report: '上报', supervise: '督办', task_done: '部门办结' };

function stepLabel(step: EventLogStep): string {
  if (step.action) return EVENT_ACTION_LABEL[step.action as EventAction] ?? STEP_LABEL[step.action] ?? step.action;
  return EVENT_STATE_LABEL[step.to] ?? step.to;
}

function actorOf(step: EventLogStep): string {
  const role = step.actorRole === 'system' ? '系统' : step.actorRole ? (ROLE_LABEL[step.actorRole as Role] ?? '') : '';
  return [step.actorName, role].filter(Boolean).join(' · ');
}

function stepPhotos(step: EventLogStep): string[] {
  const photos = step.data?.photos;
  return Array.isArray(photos) ? photos.filter((p): p is string => typeof p === 'string') : [];
}

function Photos({ ids }: { ids: readonly string[] }) {
  if (ids.length === 0) return null;
  return (
    <div className={s.photos}>
      {ids.map((id) => (
        <a key={id} className={s.photo} href={photoUrl(id)} target="_blank" rel="noreferrer">
          {/* Served by our own API from the station's disk; there is no optimiser in an air-gapped deployment. */}
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src={photoUrl(id)} alt="事件照片" loading="lazy" />
        </a>
      ))}
    </div>
  );
}

function Timeline({ log }: { log: readonly EventLogStep[] }) {
  return (
    <ol className={s.timeline}>
      {log.map((step, i) => (
        <li key={`${step.at}-${i}`} className={s.step} data-testid="timeline-step">
          <div className={s.stepHead}>
            <span>{stepLabel(step)}</span>
            <span className={s.stepTime}>{formatDateTime(step.at)}</span>
          </div>
          {actorOf(step) && <div className={s.stepWho}>{actorOf(step)}</div>}
          {step.note && <p className={s.stepNote}>{step.note}</p>}
          <Photos ids={stepPhotos(step)} />
        </li>
      ))}
    </ol>
  );
}

function place(d: EventDetail): string {
  return [d.townName, d.villageName, d.gridName].filter(Boolean).join(' · ') || '—';
}

/**
 * One task, opened from the list or a notice: its facts, photos and timeline, and the steps the
 * server says this viewer may take now (`actions`), as big buttons at the bottom.
 */
export default function TaskDetail({
  id,
  summary,
  nudge,
  meName,
  outbox,
  queued,
  now,
  onBack,
  onChanged,
  onToast,
}: {
  id: number;
  summary: TaskSummary | null;
  /** Bumped when the event changed elsewhere (socket): reload. */
  nudge: number;
  meName: string;
  outbox: Outbox;
  queued: readonly OutboxItem[];
  now: number;
  onBack: () => void;
  onChanged: () => void;
  onToast: (text: string) => void;
}) {
  const [detail, setDetail] = useState<EventDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const [sheet, setSheet] = useState<FieldAction | null>(null);

  useEffect(() => {
    let live = true;
    void call('GET', `/api/v1/events/${id}`).then((out) => {
      if (!live) return;
      if (out.kind === 'ok') {
        setDetail(out.body as EventDetail);
        setError(null);
      } else setError(out.message);
    });
    return () => {
      live = false;
    };
  }, [id, nudge, reloads]);

  const shown = detail?.id === id ? detail : null;
  const actions = (shown?.actions ?? []).filter((a): a is FieldAction => (FIELD_ACTIONS as readonly string[]).includes(a));
  const elsewhere = (shown?.actions ?? []).some((a) => !(FIELD_ACTIONS as readonly string[]).includes(a));
  const lockedByOther = shown?.lock && shown.lock.name !== meName ? shown.lock : null;

  function onResult(r: SheetResult) {
    const label = sheet ? EVENT_ACTION_LABEL[sheet] : '';
    setSheet(null);
    if (r.kind === 'queued') onToast(`网络不佳：${label}已保存，恢复后自动提交`);
    else {
      onToast(`${label}已提交`);
      if (r.detail) setDetail(r.detail);
      else setReloads((n) => n + 1);
    }
    onChanged();
  }

  const title = shown?.title ?? summary?.title ?? `事件 #${id}`;
  const state = shown?.state ?? summary?.state;

  return (
    <div className={s.detail} data-testid="task-detail">
      <header className={s.detailHead}>
        <button type="button" className={s.back} onClick={onBack} data-testid="back">
          ‹ 返回
        </button>
        <span className={s.detailTitle}>#{id}</span>
        {state && <span className={s.pill} data-testid="detail-state">{stateLabel(state)}</span>}
      </header>
      <div className={s.main}>
        <div className={s.page}>
          {error && (
            <div className={`${s.banner} ${s.bannerError}`} role="status">
              {shown ? `网络不佳，显示的可能不是最新（${error}）` : `加载失败：${error}`}
              <button type="button" className={s.linkButton} onClick={() => setReloads((n) => n + 1)}>
                重试
              </button>
            </div>
          )}
          {queued.map((q) => (
            <div key={q.id} className={s.banner} data-testid="detail-queued">
              {q.failed ? `未能提交：${q.payload.summary}（${q.failed.message}）` : `待发送：${q.payload.summary.split(' · ')[0]}，网络恢复后自动提交`}
            </div>
          ))}
          {lockedByOther && (
            <div className={`${s.banner} ${s.bannerInfo}`} data-testid="detail-lock">
              {lockedByOther.name} 正在处理此事件（{formatDateTime(lockedByOther.at)} 起）
            </div>
          )}
          <section className={s.section}>
            <h1 className={s.bigTitle}>{title}</h1>
            <div className={s.meta}>
              <span>{shown?.categoryLabel ?? summary?.categoryLabel}</span>
              {shown?.subcategoryLabel && <span>{shown.subcategoryLabel}</span>}
              {shown && <CardBadge card={shown.card} />}
            </div>
            {shown && (
              <dl className={s.facts}>
                <dt>位置</dt>
                <dd>
                  {place(shown)}
                  {shown.address && <div>{shown.address}</div>}
                  <div className={s.hint}>
                    {PLACEMENT_LABEL[shown.placement]}
                    {/* A village-placed event's point is only the village's centre: no coordinates to mislead. */}
                    {shown.placement === 'point' && shown.lat !== null && shown.lon !== null && ` · ${shown.lat.toFixed(5)}, ${shown.lon.toFixed(5)}`}
                  </div>
                </dd>
                <dt>来源</dt>
                <dd>
                  {shown.sourceLabel}
                  {shown.reporterName && ` · ${shown.reporterName}`}
                </dd>
                <dt>上报时间</dt>
                <dd>{formatDateTime(shown.reportedAt)}</dd>
                {shown.departmentName && (
                  <>
                    <dt>承办部门</dt>
                    <dd>{shown.departmentName}</dd>
                  </>
                )}
                {shown.tasks.length > 0 && (
                  <>
                    <dt>联合处置</dt>
                    <dd>{shown.tasks.map((t) => `${t.departmentName}${t.state === 'done' ? '（已完成）' : ''}`).join('、')}</dd>
                  </>
                )}
                {shown.deadlineAt && (
                  <>
                    <dt>时限</dt>
                    <dd>
                      <Deadline iso={shown.deadlineAt} now={now} />
                    </dd>
                  </>
                )}
                {shown.duplicateOf && (
                  <>
                    <dt>疑似重复</dt>
                    <dd>与 #{shown.duplicateOf} 相近</dd>
                  </>
                )}
              </dl>
            )}
            {shown?.description && <p className={s.desc}>{shown.description}</p>}
            {shown && <Photos ids={shown.photos} />}
          </section>
          {shown && (
            <section className={s.section}>
              <h2 className={s.sectionTitle}>办理过程</h2>
              <Timeline log={shown.log} />
            </section>
          )}
          {elsewhere && actions.length === 0 && <p className={s.hint}>受理、交办等操作请在指挥台办理。</p>}
        </div>
      </div>
      {actions.length > 0 && queued.every((q) => q.failed) && (
        <div className={s.actionBar}>
          {actions.map((a) => (
            <button
              key={a}
              type="button"
              className={`${s.btn} ${a === 'verify_fail' ? s.btnDanger : s.btnPrimary}`}
              onClick={() => setSheet(a)}
              data-testid={`action-${a}`}
            >
              {EVENT_ACTION_LABEL[a]}
            </button>
          ))}
        </div>
      )}
      {sheet && shown && (
        <ActionSheet
          event={shown}
          action={sheet}
          outbox={outbox}
          onClose={() => setSheet(null)}
          onResult={onResult}
          onConflict={() => {
            setReloads((n) => n + 1);
            onChanged();
          }}
        />
      )}
    </div>
  );
}
