import { CATEGORY_LABEL } from '@/lib/categories';
import { EVENT_STATE_LABEL } from '@/lib/events/machine';
import { isOpen, isOverdue, type LiveIncident } from './incidents';
import { shanghaiDayStart } from './time';

export interface Count<K extends string = string> {
  key: K;
  label: string;
  count: number;
}

export interface IncidentStats {
  /** Reported since Shanghai midnight. */
  today: number;
  /** Of today's, those already closed. */
  closedToday: number;
  /** Every open incident held, today's or older. */
  open: number;
  /** Open with the deadline passed. */
  overdue: number;
  /** 群众诉求 (issue 14): residents' requests reported today, from /m or an Open311 client. */
  citizenToday: number;
  /** Of those, the ones already answered or closed (closed, or rated after closing). */
  citizenDoneToday: number;
  /** Today's, by state, in the order of the closed loop. */
  byState: Count[];
  /** Today's, by category, most first. */
  byCategory: Count[];
}

const STATE_ORDER = Object.keys(EVENT_STATE_LABEL);
/** Sources a resident reaches the station through themselves (S9); the wall counts, never names, them. */
const CITIZEN_SOURCES: ReadonlySet<string> = new Set(['citizen', 'open311']);
/** An answer closes a question, complaint or suggestion (lib/events/machine `answer`); a rating follows a close. */
const ANSWERED_STATES: ReadonlySet<string> = new Set(['closed', 'rated']);

export function incidentStats(incidents: readonly LiveIncident[], now: number): IncidentStats {
  const dayStart = shanghaiDayStart(now);
  const states = new Map<string, number>();
  const categories = new Map<string, { label: string; count: number }>();
  let today = 0, closedToday = 0, open = 0, overdue = 0, citizenToday = 0, citizenDoneToday = 0;
  for (const i of incidents) {
    if (isOpen(i)) open += 1;
    if (isOverdue(i, now)) overdue += 1;
    if (i.reportedMs < dayStart) continue;
    today += 1;
    if (i.state === 'closed') closedToday += 1;
    if (CITIZEN_SOURCES.has(i.source)) {
      citizenToday += 1;
      if (ANSWERED_STATES.has(i.state)) citizenDoneToday += 1;
    }
    states.set(i.state, (states.get(i.state) ?? 0) + 1);
    const c = categories.get(i.category);
    if (c) c.count += 1;
    else categories.set(i.category, { label: i.categoryLabel || CATEGORY_LABEL[i.category] || i.category, count: 1 });
  }
  const rank = (s: string) => (STATE_ORDER.includes(s) ? STATE_ORDER.indexOf(s) : STATE_ORDER.length);
  return {
    today,
    closedToday,
    open,
    overdue,
    citizenToday,
    citizenDoneToday,
    byState: [...states]
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([key, count]) => ({ key, label: (EVENT_STATE_LABEL as Record<string, string>)[key] ?? key, count })),
    byCategory: [...categories]
      .map(([key, c]) => ({ key, label: c.label, count: c.count }))
      .sort((a, b) => b.count - a.count),
  };
}
