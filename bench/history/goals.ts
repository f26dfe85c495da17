// The read goals, timed through the functions the app calls (server/history/queries.ts,
// server/coverage/visits.ts), on the partitioned positions and on the baseline copy.
import type { Db } from '../../server/db/pool';
import { gridTallies } from '../../server/coverage/figures';
import { computeVisits } from '../../server/coverage/visits';
import { snapshotAt, traces } from '../../server/history/queries';
import { DAY_MS, type HistoryDays } from './generate';
import type { HistoryUnit } from './cluster';

export interface Timing {
  /** Every timed run, in order (the first on a cold cache for its rows). */
  ms: number[];
  /** What the last run returned, to show the query did its work (fixes, units, visits). */
  answer: string;
}

export interface Goal {
  name: string;
  limitMs: number;
  ours: Timing;
  /** Undefined: not run; `capped`: cancelled at the cap. */
  baseline?: Timing & { capped: boolean };
  skipped?: string;
}

export const median = (v: readonly number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? Number.NaN;

/** Local (Asia/Shanghai, UTC+8) hh:mm of the raw day, as epoch ms. */
const local = (day: number, h: number, m = 0) => day + (h - 8) * 3600_000 + m * 60_000;

async function time(fn: () => Promise<string>): Promise<{ ms: number; answer: string }> {
  const t = performance.now();
  const answer = await fn();
  return { ms: performance.now() - t, answer };
}

/**
 * Runs `fn` on the baseline pool; past `capMs` its queries are cancelled (pg_cancel_backend of every
 * backend of the baseline's application name) until it gives up.
 */
export async function capped(admin: Db, app: string, capMs: number, fn: () => Promise<string>): Promise<Timing & { capped: boolean }> {
  const t = performance.now();
  let hit = false;
  const timer = setInterval(() => {
    if (performance.now() - t < capMs) return;
    hit = true;
    void admin.query(`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'`, [app]).catch(() => undefined);
  }, 250);
  try {
    const answer = await fn();
    return { ms: [performance.now() - t], answer, capped: hit };
  } catch (err) {
    if (!hit) throw err;
    return { ms: [capMs], answer: 'cancelled', capped: true };
  } finally {
    clearInterval(timer);
  }
}

export interface GoalInput {
  ours: Db;
  baseline: Db;
  baselineApp: string;
  admin: Db;
  units: readonly HistoryUnit[];
  days: HistoryDays;
  reps: number;
  capMs: number;
  log: (line: string) => void;
}

/** Each station's units (at most 80 of them, as the "a station's 80 units"). */
function stationsOf(units: readonly HistoryUnit[]): number[][] {
  const by = new Map<number, number[]>();
  for (const u of units) by.set(u.stationId, [...(by.get(u.stationId) ?? []), u.id]);
  return [...by.values()].map((ids) => ids.slice(0, 80));
}

export async function runGoals(g: GoalInput): Promise<Goal[]> {
  const stations = stationsOf(g.units);
  const stationIds = [...new Set(g.units.map((u) => u.stationId))];
  const R = g.days.raw;
  const fixes = (m: Map<number, unknown[]>) => `${m.size} units, ${[...m.values()].reduce((a, v) => a + v.length, 0)} fixes`;
  // Each rep on another unit or station, so a run does not find the last one's pages in the cache.
  const unitAt = (i: number) => g.units[Math.floor((i * g.units.length) / g.reps + i * 7) % g.units.length].id;
  const stationAt = (i: number) => stations[i % stations.length];
  const goals: Array<{ name: string; limitMs: number; run: (db: Db, i: number) => Promise<string> }> = [
    {
      name: "one unit's day replay",
      limitMs: 100,
      run: async (db, i) => fixes(await traces(db, [unitAt(i)], new Date(R), new Date(R + DAY_MS))),
    },
    {
      name: "a station's 80 units for one hour",
      limitMs: 300,
      run: async (db, i) => fixes(await traces(db, stationAt(i), new Date(local(R, 9 + (i % 10))), new Date(local(R, 10 + (i % 10))))),
    },
    {
      name: '"where was everyone at 14:05" (a station, last fix within 10 min)',
      limitMs: 300,
      run: async (db, i) => `${(await snapshotAt(db, stationAt(i), new Date(local(R, 14, 5 + (i % 50))), 10 * 60_000)).length} units placed`,
    },
  ];
  const out: Goal[] = [];
  for (const goal of goals) {
    const ours: Timing = { ms: [], answer: '' };
    for (let i = 0; i < g.reps; i++) {
      const r = await time(() => goal.run(g.ours, i));
      ours.ms.push(r.ms);
      ours.answer = r.answer;
    }
    g.log(`${goal.name}: median ${median(ours.ms).toFixed(1)} ms (${ours.answer}); baseline …`);
    const baseline = await capped(g.admin, g.baselineApp, g.capMs, () => goal.run(g.baseline, 0));
    out.push({ name: goal.name, limitMs: goal.limitMs, ours, baseline });
  }

  /*
   * Coverage as the console asks for it: a station's four figures for the month, read from the
   * visits and patrol the coverage job stored as the days went (server/jobs/coverage.ts). Its
   * baseline is what a system without those stored visits would do: find the month's visits in
   * the traces of the unindexed copy. What the job pays, finding them, is printed beside it.
   */
  const month = { from: new Date(g.days.thinned[0] ?? R), to: new Date(R + DAY_MS) };
  const monthKey = new Date(R + 8 * 3600_000).toISOString().slice(0, 7);
  const found: Timing = { ms: [], answer: '' };
  const daily: Timing = { ms: [], answer: '' };
  try {
    // Background work, timed once per preset (two stations): each rep on another station, as a second
    // run on the same one would only find its visits again; and the figures need them found.
    for (let i = 0; i < Math.min(2, stationIds.length); i++) {
      const r = await time(async () => `${(await computeVisits(g.ours, { ...month, stationId: stationIds[i] })).visits} visits`);
      found.ms.push(r.ms);
      found.answer = r.answer;
      const d = await time(async () => `${(await computeVisits(g.ours, { from: new Date(R), to: new Date(R + DAY_MS), stationId: stationIds[i] })).visits} visits`);
      daily.ms.push(d.ms);
      daily.answer = d.answer;
    }
  } catch (err) {
    // Another helper's work in progress must not cost the figures measured so far.
    out.push({ name: "one station's monthly coverage (four figures)", limitMs: 5000, ours: found, skipped: `computeVisits failed: ${(err as Error).message}` });
    return out;
  }
  g.log(`the job's work, a station-month's visits from the traces: median ${median(found.ms).toFixed(0)} ms (${found.answer}); a station-day's: ${median(daily.ms).toFixed(0)} ms`);
  const ours: Timing = { ms: [], answer: '' };
  for (let i = 0; i < g.reps; i++) {
    const r = await time(async () => {
      const grids = await gridTallies(g.ours, { kind: 'district' }, monthKey, stationIds[i % Math.min(2, stationIds.length)]);
      const placesVisited = grids.reduce((n, x) => n + x.tally.placesVisited, 0);
      return `${grids.length} grids, ${placesVisited} places visited`;
    });
    ours.ms.push(r.ms);
    ours.answer = r.answer;
  }
  const baseline = await capped(g.admin, g.baselineApp, g.capMs, async () => `${(await computeVisits(g.baseline, { ...month, stationId: stationIds[0] })).visits} visits (from the traces)`);
  out.push({ name: "one station's monthly coverage (four figures)", limitMs: 5000, ours, baseline });
  out.push({ name: "  the job's work: a station-month's visits found", limitMs: Number.POSITIVE_INFINITY, ours: found });
  out.push({ name: "  the job's work: a station-day's visits found", limitMs: Number.POSITIVE_INFINITY, ours: daily });
  return out;
}
