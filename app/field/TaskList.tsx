'use client';

import { CARD_LABEL, type Card } from '@/lib/contracts/events';
import { EVENT_STATE_LABEL, type EventState } from '@/lib/events/machine';
import { deadlineStatus, formatDateTime, formatTime } from './format';
import type { TaskSummary } from './schemas';
import type { TaskFeedView } from './taskFeed';
import type { GroupKey, TaskGroup } from './tasks';
import s from './field.module.css';

export function stateLabel(state: string): string {
  return EVENT_STATE_LABEL[state as EventState] ?? state;
}

export function CardBadge({ card }: { card: string }) {
  const label = CARD_LABEL[card as Card];
  if (!label) return null;
  return <span className={`${s.pill} ${card === 'red' ? s.cardRed : s.cardYellow}`}>{label}</span>;
}

export function Deadline({ iso, now }: { iso: string | null; now: number }) {
  const d = deadlineStatus(iso, now);
  if (!d || !iso) return null;
  const tone = d.tone === 'over' ? s.toneOver : d.tone === 'soon' ? s.toneSoon : '';
  return (
    <span className={tone} title={`时限 ${formatDateTime(iso)}`}>
      {d.text}（{formatDateTime(iso)}）
    </span>
  );
}

const SEVERITY_CLASS: Record<string, string> = { high: s.sevHigh, critical: s.sevCritical };

function TaskRow({ task, group, now, queued, onOpen }: { task: TaskSummary; group: GroupKey; now: number; queued: boolean; onOpen: () => void }) {
  const pill = group === 'verify' || group === 'todo' ? s.pillVerify : group === 'done' ? s.pillDone : '';
  return (
    <button type="button" className={`${s.task} ${SEVERITY_CLASS[task.severity] ?? ''}`} data-testid={`task-${task.id}`} onClick={onOpen}>
      <span className={s.taskTop}>
        <span className={s.taskTitle}>{task.title}</span>
        <span className={`${s.pill} ${pill}`}>{stateLabel(task.state)}</span>
      </span>
      <span className={s.meta}>
        <span>#{task.id}</span>
        <span>{task.categoryLabel}</span>
        {task.villageName && <span>{task.villageName}</span>}
        <CardBadge card={task.card} />
        {queued && <span className={s.toneSoon}>待发送</span>}
      </span>
      {group !== 'done' && task.deadlineAt && (
        <span className={s.meta}>
          <Deadline iso={task.deadlineAt} now={now} />
        </span>
      )}
    </button>
  );
}

export default function TaskList({
  groups,
  view,
  now,
  queuedEvents,
  onOpen,
  onRefresh,
}: {
  groups: readonly TaskGroup[];
  view: TaskFeedView;
  now: number;
  queuedEvents: ReadonlySet<number>;
  onOpen: (id: number) => void;
  onRefresh: () => void;
}) {
  return (
    <div className={s.page}>
      <div className={s.listHead}>
        <span>{view.loadedAt ? `更新于 ${formatTime(view.loadedAt)}` : '加载中…'}</span>
        <button type="button" className={s.linkButton} onClick={onRefresh} data-testid="tasks-refresh">
          刷新
        </button>
      </div>
      {view.error && (
        <div className={`${s.banner} ${s.bannerError}`} role="status">
          {view.needsLogin
            ? '登录已过期。待发送的内容保存在本机，重新登录后继续发送。'
            : view.tasks
              ? `网络不佳，显示的是 ${view.loadedAt ? formatTime(view.loadedAt) : '之前'} 的任务（${view.error}）`
              : `任务加载失败：${view.error}`}
          {view.needsLogin && (
            <a className={s.linkButton} href="/login?next=%2Ffield" data-testid="relogin">
              重新登录
            </a>
          )}
        </div>
      )}
      {view.tasks && groups.length === 0 && <p className={s.empty}>暂无任务</p>}
      {groups.map((g) => (
        <section key={g.key} className={s.group} data-testid={`group-${g.key}`}>
          <h2 className={s.groupTitle}>
            {g.label}
            <span className={s.groupCount}>{g.tasks.length}</span>
          </h2>
          {g.tasks.map((t) => (
            <TaskRow key={t.id} task={t} group={g.key} now={now} queued={queuedEvents.has(t.id)} onOpen={() => onOpen(t.id)} />
          ))}
        </section>
      ))}
    </div>
  );
}
