import type { Role } from '../roles';

/**
 * The closed loop of an event (基层治理四平台; S1, S9, S12) as a pure state machine.
 * State is what the last log step says; each step names the action that made it.
 */
export const EVENT_STATES = [
  'reported', // 上报
  'accepted', // 受理
  'returned', // 退回 (with a reason) — final
  'merged', // 合并 into another event — final
  'assigned', // 交办: general, single-department → stationed department and village, with a deadline (S12)
  'coordinated', // 站内统筹: difficult or cross-cutting → the station coordinates (S12)
  'in_progress', // 处置中
  'handled', // 已处置: feedback given
  'closed', // 办结: verified on site by a full-time gridder (S12)
  'rated', // 评价: the citizen who reported it rated the outcome — final
] as const;
export type EventState = (typeof EVENT_STATES)[number];

export const EVENT_STATE_LABEL: Record<EventState, string> = {
  reported: '上报',
  accepted: '受理',
  returned: '退回',
  merged: '合并',
  assigned: '交办',
  coordinated: '站内统筹',
  in_progress: '处置中',
  handled: '已处置',
  closed: '办结',
  rated: '已评价',
};

export const EVENT_ACTIONS = [
  'accept', 'return', 'merge', 'assign', 'coordinate', 'reroute', 'start', 'handle', 'verify_pass', 'verify_fail', 'rate',
] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

/** Who acts on an event; `citizen` is not a staff role but reports and rates. */
export type Actor = Role | 'citizen';

const LEADERS: readonly Actor[] = ['station_chief', 'deputy_chief'];
const HANDLERS: readonly Actor[] = ['dept_staff', 'grid_leader', 'mediator', ...LEADERS];

interface Rule {
  from: readonly EventState[];
  to: EventState;
  by: readonly Actor[];
  /** The note is the reason and may not be empty. */
  needsNote?: boolean;
  /** Only for events a citizen reported. */
  citizenOnly?: boolean;
}

const OPEN_ROUTED: readonly EventState[] = ['assigned', 'coordinated', 'in_progress'];

export const RULES: Record<EventAction, Rule> = {
  accept: { from: ['reported'], to: 'accepted', by: LEADERS },
  return: { from: ['reported', 'accepted'], to: 'returned', by: LEADERS, needsNote: true },
  merge: { from: ['reported', 'accepted'], to: 'merged', by: LEADERS },
  assign: { from: ['accepted'], to: 'assigned', by: LEADERS },
  coordinate: { from: ['accepted', 'assigned'], to: 'coordinated', by: LEADERS },
  // Re-routing to another department, with a reason, at any open routed state.
  reroute: { from: OPEN_ROUTED, to: 'assigned', by: LEADERS, needsNote: true },
  start: { from: ['assigned', 'coordinated'], to: 'in_progress', by: HANDLERS },
  handle: { from: ['in_progress'], to: 'handled', by: HANDLERS, needsNote: true },
  // S12: a full-time gridder verifies the fix on site, closing the loop.
  verify_pass: { from: ['handled'], to: 'closed', by: ['gridder_full'] },
  verify_fail: { from: ['handled'], to: 'in_progress', by: ['gridder_full'], needsNote: true },
  rate: { from: ['closed'], to: 'rated', by: ['citizen'], citizenOnly: true },
};

/** Nothing can happen to these any more. */
export const FINAL_STATES: readonly EventState[] = ['returned', 'merged', 'rated'];
/**
 * Ended: nothing more is owed on these, though a closed one may still be rated. The one list of
 * "done" for every screen, query and count (issue 11: eight places kept their own copies).
 */
export const DONE_STATES: readonly EventState[] = ['returned', 'merged', 'closed', 'rated'];
/** Handled by the department (S12) or ended: no handling deadline runs, so no card is raised; the wall draws them as 已处置. */
export const HANDLED_STATES: readonly EventState[] = ['handled', ...DONE_STATES];

export const isDone = (state: string): boolean => (DONE_STATES as readonly string[]).includes(state);

export interface EventFacts {
  state: EventState;
  reportedByCitizen: boolean;
}

export type Decision = { ok: true; to: EventState } | { ok: false; reason: string };

export function decide(event: EventFacts, action: EventAction, actor: Actor, note?: string): Decision {
  const rule = RULES[action];
  if (!rule.from.includes(event.state)) return { ok: false, reason: `cannot ${action} an event that is ${event.state}` };
  if (!rule.by.includes(actor)) return { ok: false, reason: `${actor} may not ${action}` };
  if (rule.citizenOnly && !event.reportedByCitizen) return { ok: false, reason: 'only events a citizen reported are rated' };
  if (rule.needsNote && !note?.trim()) return { ok: false, reason: `${action} needs a reason` };
  return { ok: true, to: rule.to };
}

/** What `actor` may do to an event now: the buttons a page shows. */
export function allowedActions(event: EventFacts, actor: Actor): EventAction[] {
  return EVENT_ACTIONS.filter((a) => {
    const r = RULES[a];
    return r.from.includes(event.state) && r.by.includes(actor) && (!r.citizenOnly || event.reportedByCitizen);
  });
}
