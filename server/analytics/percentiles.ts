import type { DayRange } from '@/lib/contracts/kpi';
import { answer, planOf, readsOf, type Bin, type Plan } from '@/lib/analytics/percentile';
import { splitMonths } from '@/lib/analytics/period';
import type { Db, Tx } from '../db/pool';
import { args } from '../db/scope';
import { cohortSql, type Area } from './areas';
import { ACCEPT_HOURS, HANDLE_HOURS } from './predicates';

/*
 * Exact percentiles in two phases (issue 13 Speed: each KPI ≤ 200 ms for any period, values exact).
 * Phase 1 sums the histogram over the period and area (kpi_duration_month for whole months,
 * kpi_duration_day for the days at the ends; migration 017, kept in the same commit as events),
 * which says in which log-spaced bucket each rank percentile_cont reads falls, and its rank within
 * that bucket; phase 2 reads only those buckets' events of the period (index-only,
 * events_kpi_{accept,handle}_bucket) at those offsets (OFFSET/LIMIT: a bounded top-N sort). A
 * district year sorts a few tens of thousands of times instead of a million.
 * lib/analytics/percentile.ts holds the arithmetic; percentiles.test.ts holds this equal to
 * percentile_cont.
 */

/** The fractions of the figures: median and 90th percentile. */
export const FRACTIONS = [0.5, 0.9] as const;

export interface Measure {
  /** kpi_duration_day.measure, kpi_duration_month.measure */
  code: 'a' | 'h';
  hours: string;
  /** The bucket of an event's time: the expression of its partial index, word for word. */
  bucket: string;
  /** The partial index's predicate, so the planner may use it. */
  measured: string;
}

export const MEASURES = {
  accept: {
    code: 'a', hours: ACCEPT_HOURS,
    bucket: `kpi_bucket(date_part('epoch', e.accepted_at - e.reported_at))`,
    measured: `e.accepted_at IS NOT NULL`,
  },
  handle: {
    code: 'h', hours: HANDLE_HOURS,
    bucket: `kpi_bucket(date_part('epoch', e.handled_at - e.accepted_at))`,
    measured: `e.accepted_at IS NOT NULL AND e.handled_at IS NOT NULL`,
  },
} as const satisfies Record<string, Measure>;

/** How many values and the percentiles (FRACTIONS order), per key; '' is the area as a whole. */
export type Percentiles = Map<string, { n: number; p: (number | null)[] }>;
const NONE = FRACTIONS.map(() => null);

/**
 * The histogram's rows of an area (alias k): the district its own rows (station -1), a station or
 * town its stations' rows. null: a grid, which it does not key.
 */
function histogramInArea(area: Area, arg: (v: unknown) => string): string | null {
  switch (area.kind) {
    case 'district':
      return 'k.station_id = -1';
    case 'town':
      return `k.town_code = ${arg(area.key)}`;
    case 'station':
      return `k.station_id = ${arg(Number(area.key))}`;
    case 'grid':
      return null;
  }
}

/** Phase 1: bins per `measure:key`, ascending by bucket. `byStation`: per station (a ranking), else the area whole. */
export async function histograms(db: Db | Tx, area: Area, range: DayRange, byStation: boolean): Promise<Map<string, Bin[]> | null> {
  const q = args();
  let where = histogramInArea(area, q.arg);
  if (where === null) return null;
  // Every station's rows, not the district's: as a list (0: none), each station its own index range.
  if (byStation && area.kind === 'district') where = 'k.station_id = ANY(ARRAY(SELECT id FROM stations) || 0)';
  const key = byStation ? `coalesce(nullif(k.station_id, 0)::text, '')` : `''`;
  const cols = `${key} AS key, k.measure, k.bucket, k.n`;
  // Whole months from the month rows, the days at the ends from the day rows.
  const { months, days } = splitMonths(range);
  const parts = days.map((d) => `SELECT ${cols} FROM kpi_duration_day k WHERE k.day BETWEEN ${q.arg(d.from)}::date AND ${q.arg(d.to)}::date AND ${where}`);
  if (months) parts.push(`SELECT ${cols} FROM kpi_duration_month k WHERE k.month BETWEEN ${q.arg(months.from)}::date AND ${q.arg(months.to)}::date AND ${where}`);
  const { rows } = await db.query<{ key: string; measure: string; bucket: number; n: number }>(
    `SELECT h.key, h.measure, h.bucket, sum(h.n)::int AS n FROM (${parts.join(' UNION ALL ')}) h
      GROUP BY 1, 2, 3 HAVING sum(h.n) > 0 ORDER BY 1, 2, 3`,
    q.args,
  );
  const out = new Map<string, Bin[]>();
  for (const r of rows) {
    const k = `${r.measure}:${r.key}`;
    const bins = out.get(k) ?? [];
    bins.push({ bucket: r.bucket, n: r.n });
    out.set(k, bins);
  }
  return out;
}

/** Phase 2 for the area whole: each bucket's needed values, one ARRAY per bucket, one statement. */
async function readWhole(db: Db | Tx, m: Measure, area: Area, range: DayRange, plan: Plan): Promise<number[] | null> {
  const reads = readsOf(plan);
  const q = args();
  const cohort = cohortSql(area, range, q.arg);
  const parts = [...reads].map(([bucket, r]) =>
    `SELECT ${q.arg(bucket)}::int AS bucket, ARRAY(SELECT ${m.hours} FROM events e WHERE ${m.bucket} = ${q.arg(bucket)}::smallint AND ${m.measured} AND ${cohort}
       ORDER BY 1 OFFSET ${q.arg(r.offset)} LIMIT ${q.arg(r.count)})::float8[] AS hs`,
  );
  const { rows } = await db.query<{ bucket: number; hs: number[] }>(parts.join(' UNION ALL '), q.args);
  const got = new Map(rows.map((r) => [r.bucket, r.hs]));
  return answer(plan, reads, (b) => got.get(b));
}

/**
 * Phase 2 per station (a ranking): the same reads per station and bucket, each a range of the
 * partial index (bucket, station, reported_at) — a station's bucket of the period, not the
 * district's — all in one statement.
 */
async function readByStation(db: Db | Tx, m: Measure, area: Area, range: DayRange, plans: Map<string, Plan>): Promise<Map<string, number[] | null>> {
  const reads = new Map([...plans].map(([key, plan]) => [key, readsOf(plan)]));
  const q = args();
  const cohort = cohortSql(area, range, q.arg);
  const parts: string[] = [];
  for (const [key, r] of reads) {
    const station = key === '' ? 'e.station_id IS NULL' : `e.station_id = ${q.arg(Number(key))}`;
    for (const [bucket, { offset, count }] of r) {
      parts.push(
        `SELECT ${q.arg(key)}::text AS key, ${q.arg(bucket)}::int AS bucket, ARRAY(SELECT ${m.hours} FROM events e
           WHERE ${m.bucket} = ${q.arg(bucket)}::smallint AND ${station} AND ${m.measured} AND ${cohort}
           ORDER BY 1 OFFSET ${q.arg(offset)} LIMIT ${q.arg(count)})::float8[] AS hs`,
      );
    }
  }
  const out = new Map<string, number[] | null>();
  if (parts.length === 0) return out;
  const { rows } = await db.query<{ key: string; bucket: number; hs: number[] }>(parts.join(' UNION ALL '), q.args);
  const got = new Map(rows.map((r) => [`${r.key}:${r.bucket}`, r.hs]));
  for (const [key, plan] of plans) out.set(key, answer(plan, reads.get(key) ?? new Map(), (b) => got.get(`${key}:${b}`)));
  return out;
}

/**
 * One time's count and exact percentiles per key, in two phases, from the bins phase 1 found.
 * null when a read came back short (histogram and events disagree, which the rollup test rules
 * out): the caller then scans events with percentile_cont, exact either way.
 */
export async function twoPhase(db: Db | Tx, m: Measure, area: Area, range: DayRange, byStation: boolean, bins: Map<string, Bin[]>): Promise<Percentiles | null> {
  const out: Percentiles = new Map();
  const plans = new Map<string, Plan>();
  for (const [k, b] of bins) {
    if (!k.startsWith(`${m.code}:`)) continue;
    const key = k.slice(2);
    const plan = planOf(b, FRACTIONS);
    if (plan) plans.set(key, plan);
    else out.set(key, { n: 0, p: NONE });
  }
  if (!byStation) {
    const plan = plans.get('');
    if (!plan) return out;
    const p = await readWhole(db, m, area, range, plan);
    if (!p) return null;
    out.set('', { n: plan.total, p });
    return out;
  }
  for (const [key, p] of await readByStation(db, m, area, range, plans)) {
    if (!p) return null;
    out.set(key, { n: plans.get(key)?.total ?? 0, p });
  }
  return out;
}

/**
 * Both times' percentiles from one snapshot (REPEATABLE READ): phase 2 must read the very events
 * phase 1 counted, or a report accepted in between would shift a rank. null: the histogram cannot
 * answer (a grid, a station's grids) or disagreed with the events — the caller scans instead.
 */
export async function exactPercentiles(db: Db, area: Area, range: DayRange, byStation: boolean): Promise<{ accept: Percentiles; handle: Percentiles } | null> {
  if (area.kind === 'grid' || (byStation && area.kind === 'station')) return null;
  const c = await db.connect();
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const bins = await histograms(c, area, range, byStation);
    const accept = bins && (await twoPhase(c, MEASURES.accept, area, range, byStation, bins));
    const handle = bins && accept && (await twoPhase(c, MEASURES.handle, area, range, byStation, bins));
    await c.query('COMMIT');
    return accept && handle ? { accept, handle } : null;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
