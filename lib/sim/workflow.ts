import type { EventActionV1 } from '../contracts/events';
import type { EventState } from '../events/machine';
import type { Role } from '../roles';
import { pick } from '../random';
import type { Rand } from './draw';

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * How long a simulated event stays in each state before its next step, [shortest, longest].
 * Most close within a day or two; a tail of one in twelve lingers four times as long, so the
 * wall and console show some yellow and red cards (S13) as a real station would.
 */
export const DWELL_MS: Partial<Record<EventState, [number, number]>> = {
  reported: [5 * MIN, 90 * MIN],
  accepted: [3 * MIN, 30 * MIN],
  assigned: [20 * MIN, 4 * HOUR],
  coordinated: [30 * MIN, 6 * HOUR],
  in_progress: [2 * HOUR, 30 * HOUR],
  handled: [30 * MIN, 8 * HOUR],
};

/** A stable fraction in [0, 1) for an event in a state: its dwell is drawn once, not on every look. */
export function fraction(id: number, state: string): number {
  let h = 2166136261 ^ id;
  for (let i = 0; i < state.length; i += 1) h = Math.imul(h ^ state.charCodeAt(i), 16777619);
  h = Math.imul(h ^ (h >>> 15), 2246822507);
  return ((h ^ (h >>> 13)) >>> 0) / 4294967296;
}

export function dwellMs(id: number, state: EventState): number | null {
  const range = DWELL_MS[state];
  if (!range) return null;
  const u = fraction(id, state);
  const slow = u > 11 / 12 ? 4 : 1;
  return (range[0] + (range[1] - range[0]) * u) * slow;
}

/**
 * How long a simulated unit takes over each step of a dispatch (S12), or null for a unit that does
 * not answer: one in twelve never acknowledges, so the demo shows the escalation of a silent unit.
 * On the way it takes its estimated time of arrival.
 */
export function dispatchDwellMs(id: number, state: string, etaS: number | null): number | null {
  const u = fraction(id, state);
  switch (state) {
    case 'dispatched':
      return u > 11 / 12 ? null : 15_000 + 45_000 * u;
    case 'acknowledged':
      return 10_000 + 30_000 * u;
    case 'en_route':
      return Math.max(30_000, (etaS ?? 300) * 1000 * (0.8 + 0.4 * u));
    case 'on_scene':
      return 5 * MIN + 15 * MIN * u;
    default:
      return null;
  }
}

export interface SimEvent {
  id: number;
  state: EventState;
  department: string | null;
  /** The category's default department (sub-category first), null: the station coordinates. */
  defaultDepartment: string | null;
  duplicateOf: number | null;
}

export interface SimStep {
  role: Role;
  action: EventActionV1;
}

const FEEDBACK = ['已到现场处置完毕，当事人签字确认', '已督促整改，复查合格', '已调解达成一致，签订协议', '已清理完毕，现场恢复', '已联系责任单位落实处理'];

/** The next step a station would take on a simulated event (S12 closed loop), or null. */
export function nextStep(e: SimEvent, departments: readonly string[], rand: Rand): SimStep | null {
  const deputy = (action: EventActionV1): SimStep => ({ role: 'deputy_chief', action });
  const handler: Role = e.department ? 'dept_staff' : 'deputy_chief';
  switch (e.state) {
    case 'reported':
      if (e.duplicateOf !== null && rand() < 0.8) return deputy({ action: 'merge', into: e.duplicateOf });
      if (rand() < 0.03) return deputy({ action: 'return', note: '信息不全，请补充具体位置后重新上报' });
      return deputy({ action: 'accept' });
    case 'accepted':
      if (e.defaultDepartment && rand() < 0.85) return deputy({ action: 'assign', department: e.defaultDepartment });
      return deputy({ action: 'coordinate', departments: [...new Set([e.defaultDepartment ?? pick(rand, departments), pick(rand, departments)])] });
    case 'assigned':
    case 'coordinated':
      return { role: handler, action: { action: 'start' } };
    case 'in_progress':
      return { role: handler, action: { action: 'handle', note: pick(rand, FEEDBACK), photos: [] } };
    case 'handled':
      return rand() < 0.92
        ? { role: 'gridder_full', action: { action: 'verify_pass', note: '现场核查属实，已办结', photos: [] } }
        : { role: 'gridder_full', action: { action: 'verify_fail', note: '现场仍有问题，退回继续处置', photos: [] } };
    default:
      return null;
  }
}
