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
  'accept', 'return', 'merge', 'assign', 'coordinate', 'reroute', 'start', 'handle', 'verify_pass', 'verify_fail', 'answer', 'rate',
] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

/**
 * What an event is (issue 14, migration 019): a problem handled on site through the closed loop
 * (S12), a dispute to mediate (S8), or something answered in words (S9, S14).
 */
export const EVENT_KINDS = ['problem', 'mediation', 'question', 'complaint', 'suggestion'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
/** Kinds closed by a written answer to the resident rather than by an on-site check. */
export const ANSWERED_KINDS: readonly EventKind[] = ['question', 'complaint', 'suggestion'];

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
  /** Only for events of these kinds. */
  kinds?: readonly EventKind[];
  /** Narrower `by` for some kinds (a subset of `by`). */
  byKind?: Partial<Record<EventKind, readonly Actor[]>>;
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
  // 答复 (S9, S14): a question, complaint or suggestion is closed by the answer given to the resident; there is nothing to verify on site.
  // A complaint is about the station's own handling, often about a handler: only its leaders answer it (S14 supervision).
  // A resident's mediation request is closed the same way when its case closes (S8, server/mediation).
  answer: {
    from: ['reported', 'accepted', ...OPEN_ROUTED], to: 'closed', by: HANDLERS, needsNote: true,
    kinds: [...ANSWERED_KINDS, 'mediation'], byKind: { complaint: LEADERS },
  },
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
  /** Absent: a problem, as every event was before issue 14. */
  kind?: EventKind;
}

const kindAllows = (rule: Rule, event: EventFacts): boolean => !rule.kinds || rule.kinds.includes(event.kind ?? 'problem');
/** Whether `actor` is among those who may take `rule` on this event (its kind may narrow the rule's `by`). */
const actorAllowed = (rule: Rule, event: EventFacts, actor: Actor): boolean =>
  rule.by.includes(actor) && (rule.byKind?.[event.kind ?? 'problem'] ?? rule.by).includes(actor);

export type Decision = { ok: true; to: EventState } | { ok: false; reason: string };

export function decide(event: EventFacts, action: EventAction, actor: Actor, note?: string): Decision {
  const rule = RULES[action];
  if (!rule.from.includes(event.state)) return { ok: false, reason: `cannot ${action} an event that is ${event.state}` };
  if (!actorAllowed(rule, event, actor)) return { ok: false, reason: `${actor} may not ${action}${rule.byKind?.[event.kind ?? 'problem'] ? ` a ${event.kind}` : ''}` };
  if (rule.citizenOnly && !event.reportedByCitizen) return { ok: false, reason: 'only events a citizen reported are rated' };
  if (!kindAllows(rule, event)) return { ok: false, reason: `only ${rule.kinds!.join(', ')} events are ${action}ed` };
  if (rule.needsNote && !note?.trim()) return { ok: false, reason: `${action} needs a reason` };
  return { ok: true, to: rule.to };
}

/** What `actor` may do to an event now: the buttons a page shows. */
export function allowedActions(event: EventFacts, actor: Actor): EventAction[] {
  return EVENT_ACTIONS.filter((a) => {
    const r = RULES[a];
    return r.from.includes(event.state) && actorAllowed(r, event, actor) && (!r.citizenOnly || event.reportedByCitizen) && kindAllows(r, event);
  });
}
