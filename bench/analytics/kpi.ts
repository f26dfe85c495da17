// Goal 1: every KPI of an area and period as the KPI answer needs them — the period's figures and
// the previous period's beside them — through the functions the route calls (server/analytics),
// against the same figures counted by a scan of events (kpiFiguresNaive, the issue's "naive full
// scan per request"), for the district and for a station, today, this week, this month, a year.
import type { DayRange, PeriodKind } from '../../lib/contracts/kpi';
import type { Figures } from '../../lib/analytics/figures';
import { periodRange, previousRange, addDays } from '../../lib/analytics/period';
import { resolveArea, type Area } from '../../server/analytics/areas';
import { countersRollup, coverage, durations, kpiFigures, kpiFiguresNaive, mediation, online } from '../../server/analytics/figures';
import type { Db } from '../../server/db/pool';
import { capped, median, repeat, skipped, time, type Goal } from './timing';

export const KPI_LIMIT_MS = 200;

type FiguresFn = (db: Db, area: Area, range: DayRange, withNow?: boolean) => Promise<Figures>;

interface Period {
  label: string;
  kind: PeriodKind;
  range: DayRange;
}

function periods(now: Date): Period[] {
  const today = periodRange('today', now);
  return [
    { label: 'today', kind: 'today', range: today },
    { label: 'this week', kind: 'week', range: periodRange('week', now) },
    { label: 'this month', kind: 'month', range: periodRange('month', now) },
    { label: 'a year (range)', kind: 'range', range: { from: addDays(today.from, -364), to: today.to } },
  ];
}

/** The figures of the answer: the period (with units online) and the previous one, as the route asks for them. */
async function answer(fn: FiguresFn, db: Db, area: Area, p: Period): Promise<string> {
  const [cur] = await Promise.all([fn(db, area, p.range, true), fn(db, area, previousRange(p.kind, p.range), false)]);
  const c = cur.counters;
  const d = cur.durations;
  return `${c.reported} reported, ${c.closed} closed, ${c.missed} overdue, accept p50 ${d.acceptP50?.toFixed(2) ?? '—'} h, handle p90 ${d.handleP90?.toFixed(1) ?? '—'} h`;
}

/**
 * Where an answer's time goes: each part of the period's figures alone (the answer runs them side
 * by side, with the previous period's), and the raw-event part once more with JIT off.
 */
async function breakdown(db: Db, nojit: Db, area: Area, p: Period): Promise<string> {
  const parts: [string, (d: Db) => Promise<unknown>][] = [
    ['counters (kpi_day)', (d) => countersRollup(d, area, p.range)],
    ['percentiles (events)', (d) => durations(d, area, p.range)],
    ['online', (d) => online(d, area)],
    ['coverage', (d) => coverage(d, area, p.range)],
    ['mediation', (d) => mediation(d, area, p.range)],
  ];
  const out: string[] = [];
  for (const [label, fn] of parts) out.push(`${label} ${(await time(async () => (await fn(db), ''))).ms.toFixed(0)} ms`);
  out.push(`percentiles with JIT off ${(await time(async () => (await durations(nojit, area, p.range), ''))).ms.toFixed(0)} ms`);
  return `parts alone: ${out.join(', ')}`;
}

export interface KpiInput {
  nojit: Db;
  ours: Db;
  baseline: Db;
  baselineApp: string;
  admin: Db;
  reps: number;
  capMs: number;
  log: (line: string) => void;
}

export async function kpiGoals(g: KpiInput): Promise<Goal[]> {
  const now = new Date();
  const { rows } = await g.ours.query<{ id: number }>(`SELECT id FROM stations ORDER BY id`);
  const district = await resolveArea(g.ours, 'district');
  const stations = (await Promise.all(rows.map((r) => resolveArea(g.ours, `station:${r.id}`)))).filter((a): a is Area => a !== null);
  if (!district || stations.length === 0) throw new Error('no district or stations to measure');
  const out: Goal[] = [];
  for (const p of periods(now)) {
    for (const kind of ['district', 'station'] as const) {
      const name = `KPI answer, ${kind === 'district' ? 'the district' : 'a station'}, ${p.label}`;
      // Each rep on another station, so a run does not only find the last one's pages in the cache.
      const areaAt = (i: number) => (kind === 'district' ? district : stations[(i * 7 + 3) % stations.length]);
      try {
        const ours = await repeat(g.reps, (i) => answer(kpiFigures, g.ours, areaAt(i), p));
        g.log(`${name}: median ${median(ours.ms).toFixed(1)} ms (${ours.answer}); baseline …`);
        // On the last rep's area, so the two answers can be compared figure for figure.
        const baseline = await capped(g.admin, g.baselineApp, g.capMs, () => answer(kpiFiguresNaive, g.baseline, areaAt(g.reps - 1), p));
        const note = kind === 'district' ? await breakdown(g.ours, g.nojit, district, p) : undefined;
        out.push({ name, limitMs: KPI_LIMIT_MS, ours, baseline, note });
      } catch (err) {
        out.push(skipped(name, KPI_LIMIT_MS, err));
      }
    }
  }
  return out;
}
