import type { DayRange } from '@/lib/contracts/kpi';
import { ZERO_COUNTERS, NO_DURATIONS, type Counters, type Durations, type Figures, type Median, type Part } from '@/lib/analytics/figures';
import { instantsOf } from '@/lib/analytics/period';
import type { Db } from '../db/pool';
import { args } from '../db/scope';
import { gridTallies } from '../coverage/figures';
import { cohortSql, rollupInArea, unitsInArea, type Area } from './areas';
import { exactPercentiles, FRACTIONS, MEASURES, type Percentiles } from './percentiles';
import { CLOSED, CLOSED_ON_TIME, COUNTED, MISSED, RATED, REPEAT, SATISFIED } from './predicates';

/*
 * The figures of an area and a range of days (issue 13). Counts come from the day rollup kpi_day
 * (migration 017) — tens of thousands of rows for a district year instead of a million events;
 * exact percentiles from the duration histogram and one bucket's events (percentiles.ts); units online and coverage from their
 * own sources. `kpiFiguresNaive` counts by scanning events: the bench's baseline, and the tests'
 * proof that the rollup says the same.
 */

/** What figures may be grouped by: the children of a ranking. null: the area as a whole. */
export type GroupBy = 'station' | 'grid' | null;
const WHOLE = '';
/** Per sort of a percentile query (two at most at once): a district year of times sorts in memory. */
const SORT_MEMORY = '64MB';

const COUNTER_SQL = {
  fromRollup: `sum(k.reported)::int AS reported, sum(k.counted)::int AS counted, sum(k.closed)::int AS closed,
    sum(k.closed_on_time)::int AS "closedOnTime", sum(k.missed)::int AS missed, sum(k.repeats)::int AS repeats,
    sum(k.rated)::int AS rated, sum(k.satisfied)::int AS satisfied`,
  fromEvents: `count(*)::int AS reported, count(*) FILTER (WHERE ${COUNTED})::int AS counted, count(*) FILTER (WHERE ${CLOSED})::int AS closed,
    count(*) FILTER (WHERE ${CLOSED_ON_TIME})::int AS "closedOnTime", count(*) FILTER (WHERE ${MISSED})::int AS missed,
    count(*) FILTER (WHERE ${REPEAT})::int AS repeats, count(*) FILTER (WHERE ${RATED})::int AS rated,
    count(*) FILTER (WHERE ${RATED} AND ${SATISFIED})::int AS satisfied`,
};

export { cohortSql };

const toCounters = (r: Counters): Counters => ({
  reported: r.reported ?? 0, counted: r.counted ?? 0, closed: r.closed ?? 0, closedOnTime: r.closedOnTime ?? 0,
  missed: r.missed ?? 0, repeats: r.repeats ?? 0, rated: r.rated ?? 0, satisfied: r.satisfied ?? 0,
});

/** Counters by scanning events (a grid, the naive baseline). */
export async function countersScan(db: Db, area: Area, range: DayRange, group: GroupBy = null): Promise<Map<string, Counters>> {
  const q = args();
  const key = group === 'station' ? 'e.station_id::text' : group === 'grid' ? 'e.grid_code' : `''`;
  const { rows } = await db.query<Counters & { key: string | null }>(
    `SELECT ${key} AS key, ${COUNTER_SQL.fromEvents} FROM events e WHERE ${cohortSql(area, range, q.arg)} GROUP BY 1`,
    q.args,
  );
  return new Map(rows.map((r) => [r.key ?? WHOLE, toCounters(r)]));
}

/** Counters from the day rollup; a grid (not keyed there) falls back to a scan of its events. */
export async function countersRollup(db: Db, area: Area, range: DayRange, group: GroupBy = null): Promise<Map<string, Counters>> {
  const q = args([range.from, range.to]);
  const where = rollupInArea(area, q.arg);
  if (where === null || group === 'grid') return countersScan(db, area, range, group);
  const key = group === 'station' ? 'k.station_id::text' : `''`;
  const { rows } = await db.query<Counters & { key: string }>(
    `SELECT ${key} AS key, ${COUNTER_SQL.fromRollup} FROM kpi_day k WHERE k.day BETWEEN $1::date AND $2::date AND ${where} GROUP BY 1`,
    q.args,
  );
  return new Map(rows.map((r) => [r.key, toCounters(r)]));
}

/** One time's count and percentiles per key by percentile_cont over the period's events, sorted in memory. */
async function scanPercentiles(db: Db, hours: string, area: Area, range: DayRange, key: string): Promise<Percentiles> {
  const q = args();
  const sql = `SELECT ${key} AS key, count(${hours})::int AS n, percentile_cont(ARRAY[${FRACTIONS.join(', ')}]) WITHIN GROUP (ORDER BY ${hours}) AS p
                 FROM events e WHERE ${cohortSql(area, range, q.arg)} GROUP BY 1`;
  const c = await db.connect();
  try {
    await c.query('BEGIN READ ONLY');
    await c.query(`SET LOCAL work_mem = '${SORT_MEMORY}'`);
    const { rows } = await c.query<{ key: string | null; n: number; p: (number | null)[] | null }>(sql, q.args);
    await c.query('COMMIT');
    return new Map(rows.map((r) => [r.key ?? WHOLE, { n: r.n, p: r.p ?? FRACTIONS.map(() => null) }]));
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

function durationsOf(a: Percentiles, h: Percentiles): Map<string, Durations> {
  const out = new Map<string, Durations>();
  for (const k of new Set([...a.keys(), ...h.keys()])) {
    const x = a.get(k);
    const y = h.get(k);
    out.set(k, {
      accepted: x?.n ?? 0, acceptP50: x?.p[0] ?? null, acceptP90: x?.p[1] ?? null,
      handled: y?.n ?? 0, handleP50: y?.p[0] ?? null, handleP90: y?.p[1] ?? null,
    });
  }
  return out;
}

/**
 * Exact percentiles of the times to accept and to handle, in hours, by percentile_cont over the
 * period's events: the naive baseline, and the answer where the histogram has none (a grid). One
 * ordered-set aggregate per time with both fractions (one sort each), the two times on two
 * connections at once, and room to sort in memory: a district year is ~10⁶ values per time.
 */
export async function durationsScan(db: Db, area: Area, range: DayRange, group: GroupBy = null): Promise<Map<string, Durations>> {
  const key = group === 'station' ? 'e.station_id::text' : group === 'grid' ? 'e.grid_code' : `''`;
  const [a, h] = await Promise.all([
    scanPercentiles(db, MEASURES.accept.hours, area, range, key),
    scanPercentiles(db, MEASURES.handle.hours, area, range, key),
  ]);
  return durationsOf(a, h);
}

/**
 * The same percentiles, exact, in two phases (server/analytics/percentiles.ts): the duration
 * histogram finds the buckets that hold the ranks, and only those buckets' events are sorted.
 * A grid, or a station's grids, are not in the histogram: those scan (a grid's events are few).
 */
export async function durations(db: Db, area: Area, range: DayRange, group: GroupBy = null): Promise<Map<string, Durations>> {
  const exact = group === 'grid' ? null : await exactPercentiles(db, area, range, group === 'station');
  return exact ? durationsOf(exact.accept, exact.handle) : durationsScan(db, area, range, group);
}

/** Units online now: a position in the last 5 minutes, of the units not off duty (a now-figure). */
export async function online(db: Db, area: Area, group: GroupBy = null): Promise<Map<string, Part>> {
  const q = args();
  const key = group === 'station' ? 'u.station_id::text' : group === 'grid' ? 'u.grid_code' : `''`;
  const { rows } = await db.query<{ key: string | null; num: number; den: number }>(
    `SELECT ${key} AS key, count(*)::int AS den,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM positions p WHERE p.unit_id = u.id AND p.at > now() - interval '5 minutes'))::int AS num
       FROM units u WHERE u.status <> 'off_duty' AND ${unitsInArea(area, q.arg)} GROUP BY 1`,
    q.args,
  );
  return new Map(rows.map((r) => [r.key ?? WHOLE, { num: r.num, den: r.den }]));
}

/**
 * 巡查覆盖率: places visited ÷ places owed in the month of the range's last day, from the coverage
 * module (issue 12, S10 场所清), summed over the area's grids.
 */
export async function coverage(db: Db, area: Area, range: DayRange, group: GroupBy = null): Promise<Map<string, Part>> {
  const month = range.to.slice(0, 7);
  const station = area.kind === 'station' || area.kind === 'grid' ? area.stationId ?? -1 : undefined;
  let grids = await gridTallies(db, { kind: 'district' }, month, station);
  if (area.kind === 'grid') grids = grids.filter((g) => g.code === area.key);
  if (area.kind === 'town') {
    const { rows } = await db.query<{ id: number }>(`SELECT id FROM stations WHERE town_code = $1`, [area.key]);
    const ids = new Set(rows.map((r) => r.id));
    grids = grids.filter((g) => ids.has(g.stationId));
  }
  const out = new Map<string, Part>();
  for (const g of grids) {
    const key = group === 'station' ? String(g.stationId) : group === 'grid' ? g.code : WHOLE;
    const p = out.get(key) ?? { num: 0, den: 0 };
    out.set(key, { num: p.num + g.tally.placesVisited, den: p.den + g.tally.placesOwed });
  }
  return out;
}

/** Where a mediation figure's cases are: the area's stations (cases carry a station, not a grid). */
function mediationWhere(area: Area, arg: (v: unknown) => string): string {
  return area.kind === 'district' ? 'true'
    : area.kind === 'town' ? `m.station_id IN (SELECT id FROM stations WHERE town_code = ${arg(area.key)})`
    : `m.station_id = ${arg(Number(area.key))}`;
}

/**
 * 调解成功率 (issue 14; S4, S8): cases closed in the range (by Shanghai day) with outcome
 * 'success' ÷ cases closed in the range, from mediation_cases (migration 020). Not split by grid.
 */
export async function mediation(db: Db, area: Area, range: DayRange, group: GroupBy = null): Promise<Map<string, Part> | null> {
  if (area.kind === 'grid' || group === 'grid') return null;
  const { from, to } = instantsOf(range);
  const q = args([from, to]);
  const key = group === 'station' ? 'm.station_id::text' : `''`;
  const { rows } = await db.query<Part & { key: string }>(
    `SELECT ${key} AS key, count(*) FILTER (WHERE m.outcome = 'success')::int AS num, count(*)::int AS den
       FROM mediation_cases m WHERE m.closed_at >= $1 AND m.closed_at < $2 AND ${mediationWhere(area, q.arg)} GROUP BY 1`,
    q.args,
  );
  return new Map(rows.map((r) => [r.key, { num: r.num, den: r.den }]));
}

/**
 * 调解用时: the median of days from opening to closing of the cases closed with an agreement in the
 * range (percentile_cont, exact; the cases of a district year are few enough to sort).
 */
export async function mediationDays(db: Db, area: Area, range: DayRange, group: GroupBy = null): Promise<Map<string, Median> | null> {
  if (area.kind === 'grid' || group === 'grid') return null;
  const { from, to } = instantsOf(range);
  const q = args([from, to]);
  const key = group === 'station' ? 'm.station_id::text' : `''`;
  const { rows } = await db.query<Median & { key: string }>(
    `SELECT ${key} AS key, count(*)::int AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM m.closed_at - m.opened_at) / 86400) AS median
       FROM mediation_cases m
      WHERE m.outcome = 'success' AND m.closed_at >= $1 AND m.closed_at < $2 AND ${mediationWhere(area, q.arg)} GROUP BY 1`,
    q.args,
  );
  return new Map(rows.map((r) => [r.key, { n: r.n, median: r.median === null ? null : Number(r.median) }]));
}

async function figures(db: Db, area: Area, range: DayRange, counters: typeof countersRollup, times: typeof durations, withNow: boolean): Promise<Figures> {
  const [c, d, m, md, o, cov] = await Promise.all([
    counters(db, area, range),
    times(db, area, range),
    mediation(db, area, range),
    mediationDays(db, area, range),
    withNow ? online(db, area) : Promise.resolve(null),
    coverage(db, area, range),
  ]);
  return {
    counters: c.get(WHOLE) ?? ZERO_COUNTERS,
    durations: d.get(WHOLE) ?? NO_DURATIONS,
    mediation: m ? m.get(WHOLE) ?? { num: 0, den: 0 } : null,
    mediationDays: md ? md.get(WHOLE) ?? { n: 0, median: null } : null,
    online: o ? o.get(WHOLE) ?? { num: 0, den: 0 } : null,
    coverage: cov.get(WHOLE) ?? { num: 0, den: 0 },
  };
}

/** Every figure of an area over a range; `withNow` adds units online (only the current period has it). */
export const kpiFigures = (db: Db, area: Area, range: DayRange, withNow = true): Promise<Figures> =>
  figures(db, area, range, countersRollup, durations, withNow);

/** The same figures counted by scanning events, without the rollups: percentile_cont over every event of the period (the bench's baseline; the tests' reference). */
export const kpiFiguresNaive = (db: Db, area: Area, range: DayRange, withNow = true): Promise<Figures> =>
  figures(db, area, range, countersScan, durationsScan, withNow);

