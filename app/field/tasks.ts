import { DONE_STATES, RULES, type EventState } from '@/lib/events/machine';
import type { Role } from '@/lib/roles';
import type { TaskSummary } from './schemas';

/*
 * The task list in the order a person in the field works it: what waits on *them* first — a
 * full-time gridder's on-site checks (S12 closes the loop with them), a department's routed
 * problems — then what they reported that is still moving, then what ended lately.
 */

export type GroupKey = 'verify' | 'todo' | 'doing' | 'open' | 'fedback' | 'done';

export const GROUP_LABEL: Record<GroupKey, string> = {
  verify: '待核查',
  todo: '待处置',
  doing: '处置中',
  open: '进行中',
  fedback: '已反馈 · 待核查',
  done: '近期办结',
};

const ORDER: readonly GroupKey[] = ['verify', 'todo', 'doing', 'open', 'fedback', 'done'];

export interface TaskGroup {
  key: GroupKey;
  label: string;
  tasks: TaskSummary[];
}

const may = (action: keyof typeof RULES, role: Role) => (RULES[action].by as readonly string[]).includes(role);

export function groupOf(task: Pick<TaskSummary, 'state'>, role: Role): GroupKey {
  const state = task.state as EventState;
  if (DONE_STATES.includes(state)) return 'done';
  if (state === 'handled') return may('verify_pass', role) ? 'verify' : 'fedback';
  if (may('start', role)) {
    if (RULES.start.from.includes(state)) return 'todo';
    if (RULES.handle.from.includes(state)) return 'doing';
  }
  return 'open';
}

const CARD_RANK: Record<string, number> = { red: 0, yellow: 1 };
const time = (iso: string | null) => (iso ? Date.parse(iso) : Number.POSITIVE_INFINITY);

/** Carded first (red, then yellow), then the nearest deadline, then the newest. */
export function compareOpen(a: TaskSummary, b: TaskSummary): number {
  return (
    (CARD_RANK[a.card] ?? 2) - (CARD_RANK[b.card] ?? 2) ||
    time(a.deadlineAt) - time(b.deadlineAt) ||
    Date.parse(b.reportedAt) - Date.parse(a.reportedAt) ||
    b.id - a.id
  );
}

const newestFirst = (a: TaskSummary, b: TaskSummary) => Date.parse(b.reportedAt) - Date.parse(a.reportedAt) || b.id - a.id;

/** Non-empty groups in working order, each sorted. */
export function groupTasks(tasks: readonly TaskSummary[], role: Role): TaskGroup[] {
  const byKey = new Map<GroupKey, TaskSummary[]>();
  for (const t of tasks) {
    const key = groupOf(t, role);
    byKey.set(key, [...(byKey.get(key) ?? []), t]);
  }
  return ORDER.filter((k) => byKey.has(k)).map((key) => ({
    key,
    label: GROUP_LABEL[key],
    tasks: [...byKey.get(key)!].sort(key === 'done' ? newestFirst : compareOpen),
  }));
}

/** How many wait on the viewer: the badge on the tasks tab. */
export function actionableCount(groups: readonly TaskGroup[]): number {
  return groups.filter((g) => g.key === 'verify' || g.key === 'todo' || g.key === 'doing').reduce((n, g) => n + g.tasks.length, 0);
}
