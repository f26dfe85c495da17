import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_STATES } from '@/lib/events/machine';
import { pick, seededRandom } from '@/lib/random';
import { withTestServer } from '../test/server';
import { resolveArea } from './areas';
import { kpiFigures, kpiFiguresNaive } from './figures';
import { plantGeo, removeGeo, type KpiGeo } from './fixture';
import { MEASURES } from './percentiles';
import { CLOSED, CLOSED_ON_TIME, COUNTED, MISSED, RATED, REPEAT, SATISFIED } from './predicates';

/*
 * The rollups of migration 017 are kept by statement triggers; the scan counts with the predicates
 * of server/analytics/predicates.ts. After every step of a seeded random sequence of batched
 * inserts, updates (state, deadlines, category, grid, day of report, rating, card, times) and deletes, the
 * two must agree row for row (the duration histogram too) — so the trigger's flags and the predicates are one definition.
 */

const ts = withTestServer(`kpi-rollup:${process.pid}:`);
let g: KpiGeo;
const SEEDS = [13, 1301, 20260605];
const DAY0 = Date.parse('2026-03-01T00:00:00+08:00');
const HOUR = 3600_000;

beforeAll(async () => {
  g = await plantGeo(ts.app.db);
});
afterAll(async () => {
  if (g) await removeGeo(ts.app.db, g);
});

type Rand = () => number;
const maybe = <T>(r: Rand, p: number, v: () => T): T | null => (r() < p ? v() : null);
const when = (r: Rand) => new Date(DAY0 + Math.floor(r() * 10 * 24) * HOUR + Math.floor(r() * 60) * 60_000).toISOString();

function randomFields(r: Rand, ids: number[]) {
  return {
    category: pick(r, ['dispute', 'hazard', 'environment']),
    state: pick(r, EVENT_STATES),
    grid: pick(r, [g.grids[0], g.grids[1], null]),
    reported: when(r),
    accepted: maybe(r, 0.6, () => when(r)),
    accept_due: maybe(r, 0.8, () => when(r)),
    handled: maybe(r, 0.5, () => when(r)),
    handle_due: maybe(r, 0.7, () => when(r)),
    closed: maybe(r, 0.4, () => when(r)),
    card: pick(r, ['none', 'none', 'yellow', 'red']),
    dup: ids.length && r() < 0.3 ? pick(r, ids) : null,
    rating: maybe(r, 0.4, () => 1 + Math.floor(r() * 5)),
  };
}

const FIELDS = `category text, state text, grid text, reported timestamptz, accepted timestamptz, accept_due timestamptz, handled timestamptz,
  handle_due timestamptz, closed timestamptz, card text, dup bigint, rating smallint, id bigint`;

async function step(r: Rand, ids: number[]): Promise<void> {
  const db = ts.app.db;
  const roll = r();
  if (roll < 0.4 || ids.length < 4) {
    const rows = Array.from({ length: 1 + Math.floor(r() * 6) }, () => randomFields(r, ids));
    const { rows: made } = await db.query<{ id: string }>(
      `INSERT INTO events (source, title, category, state, grid_code, village_code, town_code, station_id, reported_at, accepted_at, accept_due_at,
                           handled_at, handle_due_at, closed_at, card, duplicate_of, rating)
       SELECT 'test', '汇总测试', b.category, b.state, b.grid, $2, $3, $4, b.reported, b.accepted, b.accept_due, b.handled, b.handle_due, b.closed, b.card, b.dup, b.rating
         FROM json_to_recordset($1::json) AS b(${FIELDS}) RETURNING id`,
      [JSON.stringify(rows), g.village, g.town, g.station],
    );
    ids.push(...made.map((m) => Number(m.id)));
  } else if (roll < 0.85) {
    // One statement changes several events, each differently; some columns only (a partial change).
    const chosen = [...new Set(Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(r, ids)))];
    const rows = chosen.map((id) => ({ ...randomFields(r, ids.filter((x) => x !== id)), id }));
    const cols = pick(r, [
      'state = b.state, closed_at = b.closed',
      'accept_due_at = b.accept_due, handle_due_at = b.handle_due, card = b.card',
      'category = b.category, grid_code = b.grid',
      'reported_at = b.reported',
      'rating = b.rating, accepted_at = b.accepted, handled_at = b.handled',
      'updated_at = now()',
      'state = b.state, category = b.category, reported_at = b.reported, closed_at = b.closed, handled_at = b.handled, handle_due_at = b.handle_due',
    ]);
    await db.query(`UPDATE events e SET ${cols} FROM json_to_recordset($1::json) AS b(${FIELDS}) WHERE e.id = b.id`, [JSON.stringify(rows)]);
  } else {
    const gone = [...new Set([pick(r, ids), pick(r, ids)])];
    await db.query(`UPDATE events SET duplicate_of = NULL WHERE duplicate_of = ANY($1::bigint[])`, [gone]);
    await db.query(`DELETE FROM events WHERE id = ANY($1::bigint[])`, [gone]);
    for (const id of gone) ids.splice(ids.indexOf(id), 1);
  }
}

/** kpi_day and kpi_grid_day of our station, against the same counts scanned from events (non-zero rows only). */
async function compare(): Promise<void> {
  const db = ts.app.db;
  const day = `(e.reported_at AT TIME ZONE 'Asia/Shanghai')::date`;
  const [rolled, scanned, grids, gridScan, hist, histScan, months] = await Promise.all([
    db.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, town_code, category, reported, counted, closed, closed_on_time, missed, repeats, rated, satisfied
         FROM kpi_day WHERE station_id = $1 AND (reported, counted, closed, closed_on_time, missed, repeats, rated, satisfied) <> (0, 0, 0, 0, 0, 0, 0, 0)
        ORDER BY 1, 2, 3`,
      [g.station],
    ),
    db.query(
      `SELECT to_char(${day}, 'YYYY-MM-DD') AS day, e.town_code, e.category, count(*)::int AS reported,
              count(*) FILTER (WHERE ${COUNTED})::int AS counted, count(*) FILTER (WHERE ${CLOSED})::int AS closed,
              count(*) FILTER (WHERE ${CLOSED_ON_TIME})::int AS closed_on_time, count(*) FILTER (WHERE ${MISSED})::int AS missed,
              count(*) FILTER (WHERE ${REPEAT})::int AS repeats, count(*) FILTER (WHERE ${RATED})::int AS rated,
              count(*) FILTER (WHERE ${RATED} AND ${SATISFIED})::int AS satisfied
         FROM events e WHERE e.station_id = $1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [g.station],
    ),
    db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, grid_code, category, station_id, n FROM kpi_grid_day WHERE grid_code = ANY($1::text[]) AND n <> 0 ORDER BY 1, 2, 3`, [g.grids]),
    db.query(
      `SELECT to_char(${day}, 'YYYY-MM-DD') AS day, e.grid_code, e.category, e.station_id, count(*)::int AS n
         FROM events e WHERE e.grid_code = ANY($1::text[]) AND ${COUNTED} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3`,
      [g.grids],
    ),
    db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, town_code, measure, bucket, n FROM kpi_duration_day WHERE station_id = $1 AND n <> 0 ORDER BY 1, 2, 3, 4`, [g.station]),
    db.query(
      `SELECT to_char(${day}, 'YYYY-MM-DD') AS day, e.town_code, m.measure, m.bucket, count(*)::int AS n
         FROM events e CROSS JOIN LATERAL (VALUES ('a', ${MEASURES.accept.bucket}), ('h', ${MEASURES.handle.bucket})) m(measure, bucket)
        WHERE e.station_id = $1 AND m.bucket IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      [g.station],
    ),
    db.query(
      `SELECT to_char(month, 'YYYY-MM') AS month, town_code, measure, bucket, n FROM kpi_duration_month WHERE station_id = $1 AND n <> 0 ORDER BY 1, 2, 3, 4`,
      [g.station],
    ),
  ]);
  expect(rolled.rows).toEqual(scanned.rows);
  const byMonth = new Map<string, { month: string; town_code: string; measure: string; bucket: number; n: number }>();
  for (const r of histScan.rows as { day: string; town_code: string; measure: string; bucket: number; n: number }[]) {
    const k = `${r.day.slice(0, 7)}|${r.town_code}|${r.measure}|${r.bucket}`;
    const m = byMonth.get(k) ?? { month: r.day.slice(0, 7), town_code: r.town_code, measure: r.measure, bucket: r.bucket, n: 0 };
    m.n += r.n;
    byMonth.set(k, m);
  }
  const order = (rows: { month: string; town_code: string; measure: string; bucket: number }[]) =>
    [...rows].sort((x, y) => `${x.month}|${x.town_code}|${x.measure}`.localeCompare(`${y.month}|${y.town_code}|${y.measure}`) || x.bucket - y.bucket);
  expect(months.rows).toEqual(order([...byMonth.values()]));
  expect(hist.rows).toEqual(histScan.rows);
  expect(grids.rows).toEqual(gridScan.rows);
}

describe('rollup == scan (migration 017 against server/analytics/predicates.ts)', () => {
  it.each(SEEDS)('after a random sequence of batched changes (seed %i)', async (seed) => {
    const r = seededRandom(seed);
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) {
      await step(r, ids);
      await compare();
    }
    // The figures as the routes compute them, rollup and naive, for the station and its town.
    for (const ref of [`station:${g.station}`, `town:${g.town}`] as const) {
      const area = (await resolveArea(ts.app.db, ref))!;
      const range = { from: '2026-03-01', to: '2026-03-10' };
      const [a, b] = await Promise.all([kpiFigures(ts.app.db, area, range, false), kpiFiguresNaive(ts.app.db, area, range, false)]);
      expect(a).toEqual(b);
      expect(a.counters.reported).toBeGreaterThan(0);
    }
    await ts.app.db.query(`UPDATE events SET duplicate_of = NULL WHERE station_id = $1`, [g.station]);
    await ts.app.db.query(`DELETE FROM events WHERE station_id = $1`, [g.station]);
    await compare();
  });

  it('concurrent batches on the same days neither deadlock nor lose a count', async () => {
    const db = ts.app.db;
    const batch = (k: number) =>
      db.query(
        `INSERT INTO events (source, title, category, grid_code, village_code, town_code, station_id, reported_at)
         SELECT 'test', '并发测试', (ARRAY['dispute', 'hazard', 'environment'])[1 + (i + $5) % 3], $1, $2, $3, $4,
                timestamptz '2026-03-01 12:00+08' + make_interval(days => (i * 7 + $5) % 5)
           FROM generate_series(1, 50) AS i`,
        [g.grids[k % 2], g.village, g.town, g.station, k],
      );
    await Promise.all(Array.from({ length: 24 }, (_, k) => batch(k)));
    await compare();
    const { rows } = await db.query<{ n: number }>(`SELECT sum(reported)::int AS n FROM kpi_day WHERE station_id = $1`, [g.station]);
    expect(rows[0].n).toBe(24 * 50);
  });
});
