import { AreaRef, KpiCode, KpiPart, PeriodKind } from '@/lib/contracts/kpi';
import { StatsDay } from '@/lib/contracts/stats';

/**
 * What the cockpit shows, kept in the URL (?area=&period=&kpi=…) so a reload or a shared link
 * opens the same figures. Anything the contract would refuse is dropped here, not sent: a stale
 * or hand-edited link falls back to the viewer's default rather than to an error page.
 */
export interface CockpitState {
  /** null: the viewer's own area (their station, or the district). */
  area: AreaRef | null;
  period: PeriodKind;
  from: string | null;
  to: string | null;
  /** The figure whose events are listed (drill-down), or none. */
  kpi: KpiCode | null;
  part: 'numerator' | 'denominator';
  days: 30 | 90;
  /** Shown full-screen as on a wall (a projector in a meeting room): the wall variant of the board. */
  projected: boolean;
}

export const DEFAULT_STATE: CockpitState = { area: null, period: 'today', from: null, to: null, kpi: null, part: 'numerator', days: 30, projected: false };

function pick<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: string | null): T | null {
  if (value === null) return null;
  const r = schema.safeParse(value);
  return r.success ? r.data : null;
}

export function readState(search: string): CockpitState {
  const q = new URLSearchParams(search);
  let period = pick(PeriodKind, q.get('period')) ?? 'today';
  let from = pick(StatsDay, q.get('from'));
  let to = pick(StatsDay, q.get('to'));
  // A custom range needs both ends in order; without them the link means today.
  if (period === 'range' && (from === null || to === null || from > to)) period = 'today';
  if (period !== 'range') from = to = null;
  return {
    area: pick(AreaRef, q.get('area')),
    period,
    from,
    to,
    kpi: pick(KpiCode, q.get('kpi')),
    part: pick(KpiPart, q.get('part')) ?? 'numerator',
    days: q.get('days') === '90' ? 90 : 30,
    projected: q.get('view') === 'wall',
  };
}

/** The query string of a state: defaults left out, so links stay short. */
export function writeState(s: CockpitState): string {
  const q = new URLSearchParams();
  if (s.area) q.set('area', s.area);
  if (s.period !== 'today') q.set('period', s.period);
  if (s.period === 'range' && s.from && s.to) {
    q.set('from', s.from);
    q.set('to', s.to);
  }
  if (s.kpi) q.set('kpi', s.kpi);
  if (s.kpi && s.part !== 'numerator') q.set('part', s.part);
  if (s.days !== 30) q.set('days', String(s.days));
  if (s.projected) q.set('view', 'wall');
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** area, period (and from, to) as the KPI routes take them. */
export function periodQuery(area: AreaRef, s: Pick<CockpitState, 'period' | 'from' | 'to'>): URLSearchParams {
  const q = new URLSearchParams({ area, period: s.period });
  if (s.period === 'range' && s.from && s.to) {
    q.set('from', s.from);
    q.set('to', s.to);
  }
  return q;
}

/** The viewer's own area: a station leader's (or a station wall's) station, else the district. */
export function homeArea(stationId: number | null, stationBound: boolean): AreaRef {
  return stationBound && stationId !== null ? `station:${stationId}` : 'district';
}
