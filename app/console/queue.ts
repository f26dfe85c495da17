import { cardOf, isOpen, type LiveIncident } from '@/app/live/incidents';
import type { Card } from '@/lib/contracts/events';
import type { EventState } from '@/lib/events/machine';

/*
 * The deputy chief's queue (issue 4 §8) as plain functions over the live store's incidents, so the
 * rules — what is overdue, what comes first, how a countdown reads — are tested without a browser.
 */

export type StateFilter = 'open' | 'all' | EventState;
export type QueueSort = 'deadline' | 'reported';

export interface QueueFilter {
  state: StateFilter;
  /** A top-level category code, or null for every category. */
  category: string | null;
  /** A station id, or null for the whole district. */
  stationId: number | null;
  overdueOnly: boolean;
  /** 群众诉求: only what residents sent (issue 14). */
  citizenOnly: boolean;
  text: string;
  sort: QueueSort;
}

export const DEFAULT_FILTER: QueueFilter = { state: 'open', category: null, stationId: null, overdueOnly: false, citizenOnly: false, text: '', sort: 'deadline' };

/**
 * The supervision card (S13) as of `now`, shared with the wall (app/live/incidents): the card the
 * server raised, or the one the deadlines already call for — the row turns the moment a limit
 * passes, not on the server's next round. Nothing is overdue once nothing more is owed.
 */
export const overdueLevel: (i: LiveIncident, now: number) => Card = cardOf;

export function isOverdue(i: LiveIncident, now: number): boolean {
  return cardOf(i, now) !== 'none';
}

/** Sources through which residents reach the station themselves (S9): /m and Open311 clients. */
const CITIZEN_SOURCES: ReadonlySet<string> = new Set(['citizen', 'open311']);

export function isCitizen(i: Pick<LiveIncident, 'source'>): boolean {
  return CITIZEN_SOURCES.has(i.source);
}

/** The short badge of an event that is not a problem to handle on site; a problem has none. */
export const KIND_BADGE: Readonly<Record<string, string>> = { question: '咨询', complaint: '投诉', suggestion: '建议', mediation: '调解' };

const MINUTE = 60_000;

/** "3天4小时", "2小时5分", "12分": the two largest units, minutes at the finest. */
export function formatSpan(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / MINUTE);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? `${d}天${h}小时` : `${d}天`;
  if (h > 0) return m > 0 ? `${h}小时${m}分` : `${h}小时`;
  return `${m}分`;
}

export interface Countdown {
  text: string;
  overdue: boolean;
}

/** Time left until the deadline, or how long it has passed, to the minute; null without a deadline. */
export function countdown(deadlineMs: number | null, now: number): Countdown | null {
  if (deadlineMs === null) return null;
  const left = deadlineMs - now;
  if (left >= MINUTE) return { text: `剩${formatSpan(left)}`, overdue: false };
  if (left > 0) return { text: '剩不到1分', overdue: false };
  if (-left < MINUTE) return { text: '刚超时', overdue: true };
  return { text: `超时${formatSpan(left)}`, overdue: true };
}

/** Names the rows show and the search reads, by code. */
export interface PlaceNames {
  village: ReadonlyMap<string, string>;
  grid: ReadonlyMap<string, string>;
}

export function placeOf(i: Pick<LiveIncident, 'villageCode' | 'gridCode'>, names: PlaceNames): string {
  const village = i.villageCode ? names.village.get(i.villageCode) : undefined;
  const grid = i.gridCode ? names.grid.get(i.gridCode) : undefined;
  if (village && grid) return grid.startsWith(village) ? grid : `${village} · ${grid}`;
  return village ?? grid ?? '未定位到网格';
}

function matchesText(i: LiveIncident, needle: string, names: PlaceNames): boolean {
  if (!needle) return true;
  const id = needle.startsWith('#') ? needle.slice(1) : needle;
  if (/^\d+$/.test(id) && String(i.id) === id) return true;
  const hay = `${i.title} ${i.categoryLabel} ${placeOf(i, names)} ${i.lockedBy ?? ''}`.toLowerCase();
  return hay.includes(needle);
}

function matchesState(i: LiveIncident, filter: StateFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'open') return isOpen(i);
  return i.state === filter;
}

const LEVEL_RANK: Record<Card, number> = { red: 0, yellow: 1, none: 2 };

type Keyed = { i: LiveIncident; rank: number };

/**
 * Deadline order: red, then yellow, then by deadline soonest first; events without a deadline
 * (waiting for verification, done) last, newest first. Ties by id keep rows from jumping. The card
 * is worked out once per row, not once per comparison: 5,000 rows take ~60,000 comparisons.
 */
function byDeadline(a: Keyed, b: Keyed): number {
  return a.rank - b.rank ||
    (a.i.deadlineMs ?? Infinity) - (b.i.deadlineMs ?? Infinity) ||
    b.i.reportedMs - a.i.reportedMs ||
    a.i.id - b.i.id;
}

const byReported = (a: LiveIncident, b: LiveIncident): number => b.reportedMs - a.reportedMs || b.id - a.id;

/**
 * The rows of the queue. An event placed in no station belongs to every station's leaders
 * (lib/events/scope), so a station filter keeps those too: someone has to pick them up.
 */
export function queueOf(incidents: readonly LiveIncident[], filter: QueueFilter, now: number, names: PlaceNames): LiveIncident[] {
  const needle = filter.text.trim().toLowerCase();
  const rows = incidents.filter(
    (i) =>
      matchesState(i, filter.state) &&
      (filter.category === null || i.category === filter.category) &&
      (filter.stationId === null || i.stationId === null || i.stationId === filter.stationId) &&
      (!filter.overdueOnly || isOverdue(i, now)) &&
      (!filter.citizenOnly || isCitizen(i)) &&
      matchesText(i, needle, names),
  );
  if (filter.sort === 'reported') return rows.sort(byReported);
  return rows
    .map((i) => ({ i, rank: LEVEL_RANK[cardOf(i, now)] }))
    .sort(byDeadline)
    .map((k) => k.i);
}

export interface QueueCounts {
  total: number;
  red: number;
  yellow: number;
}

export function countsOf(rows: readonly LiveIncident[], now: number): QueueCounts {
  let red = 0;
  let yellow = 0;
  for (const i of rows) {
    const level = overdueLevel(i, now);
    if (level === 'red') red += 1;
    else if (level === 'yellow') yellow += 1;
  }
  return { total: rows.length, red, yellow };
}

/** Which rows of a fixed-height list are on screen, with `overscan` more either side. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = 6): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return [first, Math.max(first, last)];
}
