import { describe, expect, it } from 'vitest';
import type { TaskSummary } from './schemas';
import { actionableCount, compareOpen, groupOf, groupTasks } from './tasks';

let next = 1;
function task(p: Partial<TaskSummary>): TaskSummary {
  return {
    id: next++, title: 't', category: 'hazard', categoryLabel: '安全隐患', state: 'reported', severity: 'normal', card: 'none',
    reportedAt: '2026-11-27T02:00:00.000Z', deadlineAt: null, villageName: '镇北社区', department: null, lon: null, lat: null,
    ...p,
  };
}
const ids = (groups: ReturnType<typeof groupTasks>) => groups.map((g) => [g.key, g.tasks.map((t) => t.id)]);

describe('groupOf', () => {
  it('puts a handled event under 待核查 only for a full-time gridder (S12)', () => {
    expect(groupOf({ state: 'handled' }, 'gridder_full')).toBe('verify');
    expect(groupOf({ state: 'handled' }, 'gridder_part')).toBe('fedback');
    expect(groupOf({ state: 'handled' }, 'dept_staff')).toBe('fedback');
  });

  it('puts routed work under 待处置 / 处置中 for those who handle it', () => {
    expect(groupOf({ state: 'assigned' }, 'dept_staff')).toBe('todo');
    expect(groupOf({ state: 'coordinated' }, 'mediator')).toBe('todo');
    expect(groupOf({ state: 'in_progress' }, 'dept_staff')).toBe('doing');
    expect(groupOf({ state: 'assigned' }, 'volunteer')).toBe('open');
  });

  it('files ended events and unknown states sensibly', () => {
    for (const s of ['closed', 'returned', 'merged', 'rated']) expect(groupOf({ state: s }, 'gridder_full')).toBe('done');
    expect(groupOf({ state: 'reported' }, 'gridder_full')).toBe('open');
    expect(groupOf({ state: 'someday_new' }, 'dept_staff')).toBe('open');
  });
});

describe('groupTasks', () => {
  it('shows a gridder the checks to make first, then own reports, then what ended', () => {
    const mine = task({ state: 'assigned' });
    const check = task({ state: 'handled' });
    const done = task({ state: 'closed' });
    expect(ids(groupTasks([done, mine, check], 'gridder_full'))).toEqual([['verify', [check.id]], ['open', [mine.id]], ['done', [done.id]]]);
  });

  it('shows department staff what waits to be handled first', () => {
    const doing = task({ state: 'in_progress' });
    const todo = task({ state: 'assigned' });
    const fed = task({ state: 'handled' });
    const groups = groupTasks([fed, doing, todo], 'dept_staff');
    expect(ids(groups)).toEqual([['todo', [todo.id]], ['doing', [doing.id]], ['fedback', [fed.id]]]);
    expect(groups[0].label).toBe('待处置');
    expect(actionableCount(groups)).toBe(2);
  });

  it('sorts red cards, then yellow, then the nearest deadline, then the newest', () => {
    const late = task({ state: 'assigned', deadlineAt: '2026-11-30T00:00:00.000Z' });
    const soon = task({ state: 'assigned', deadlineAt: '2026-11-28T00:00:00.000Z' });
    const none = task({ state: 'assigned', deadlineAt: null });
    const yellow = task({ state: 'assigned', card: 'yellow', deadlineAt: '2026-12-30T00:00:00.000Z' });
    const red = task({ state: 'assigned', card: 'red', deadlineAt: '2026-12-31T00:00:00.000Z' });
    const [todo] = groupTasks([none, late, yellow, soon, red], 'dept_staff');
    expect(todo.tasks.map((t) => t.id)).toEqual([red.id, yellow.id, soon.id, late.id, none.id]);
  });

  it('lists ended events newest first', () => {
    const old = task({ state: 'closed', reportedAt: '2026-11-20T00:00:00.000Z' });
    const recent = task({ state: 'closed', reportedAt: '2026-11-26T00:00:00.000Z' });
    expect(ids(groupTasks([old, recent], 'gridder_full'))).toEqual([['done', [recent.id, old.id]]]);
  });

  it('breaks ties on equal times by id, so the list does not jump between loads', () => {
    const a = task({ state: 'assigned' });
    const b = task({ state: 'assigned' });
    expect(compareOpen(a, b)).toBeGreaterThan(0);
    expect(groupTasks([], 'gridder_full')).toEqual([]);
  });
});
