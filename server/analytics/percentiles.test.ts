import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DayRange } from '@/lib/contracts/kpi';
import type { Durations } from '@/lib/analytics/figures';
import { pick, seededRandom } from '@/lib/random';
import { withTestServer } from '../test/server';
import { resolveArea, type Area } from './areas';
import { durations, durationsScan } from './figures';
import { plantGeo, removeGeo, type KpiGeo } from './fixture';
import { exactPercentiles, histograms, MEASURES, twoPhase } from './percentiles';

/*
 * The two-phase percentile (histogram kpi_duration_day, then one bucket's events) is
 * percentile_cont, float for float: on seeded random times with ties, values right at bucket
 * edges (2^(j/8) s, where ln rounds either way), under a second and negative, sets of 0, 1 and 2
 * values, for the district, a town, a station and a town's stations side by side. The planted
 * days are in 2031, where no other test reports, so the district's figures are ours alone.
 */

const ts = withTestServer(`kpi-percentiles:${process.pid}:`);
let g: KpiGeo;
const DAY0 = Date.parse('2031-03-01T00:00:00+08:00');
const DAY_MS = 24 * 3600_000;
const DAYS = 4;
const SEEDS = [7, 1307, 20310301, 99];

beforeAll(async () => {
  g = await plantGeo(ts.app.db);
});
afterAll(async () => {
  if (g) await removeGeo(ts.app.db, g);
});

type Rand = () => number;

/** Seconds: few distinct values (ties), bucket edges ± a microsecond, tiny and negative ones, and a spread. */
function seconds(r: Rand): number {
  const edge = 2 ** (Math.floor(r() * 160) / 8);
  return pick(r, [
    () => pick(r, [0, 0.5, 1, 2, 4, 1024, 3600]),
    () => Math.round(edge * 1e6) / 1e6,
    () => Math.round(edge * 1e6 + pick(r, [-1, 1])) / 1e6,
    () => -Math.round(r() * 600),
    () => Math.round(1800 * Math.exp(2 * (r() - 0.5) * 3) * 1e6) / 1e6,
  ])();
}

async function plant(r: Rand, n: number): Promise<void> {
  const rows = Array.from({ length: n }, () => {
    const reported = DAY0 + Math.floor(r() * DAYS) * DAY_MS + Math.floor(r() * 86_400) * 1000;
    const accepted = r() < 0.85 ? reported + seconds(r) * 1000 : null;
    const handled = accepted !== null && r() < 0.8 ? accepted + seconds(r) * 1000 : null;
    // Timestamps carry microseconds; Date only milliseconds, so the offsets go as intervals.
    return { reported: new Date(reported).toISOString(), acc: accepted === null ? null : (accepted - reported) / 1000, hdl: handled === null ? null : (handled - (accepted ?? 0)) / 1000 };
  });
  await ts.app.db.query(
    `INSERT INTO events (source, title, category, state, grid_code, village_code, town_code, station_id, reported_at, accepted_at, handled_at)
     SELECT 'test', '分位测试', 'dispute', 'in_progress', $2, $3, $4, $5, b.reported,
            b.reported + make_interval(secs => b.acc), b.reported + make_interval(secs => b.acc) + make_interval(secs => b.hdl)
       FROM json_to_recordset($1::json) AS b(reported timestamptz, acc float8, hdl float8)`,
    [JSON.stringify(rows), g.grids[0], g.village, g.town, g.station],
  );
}

/** Two-phase must answer (no silent fallback to the scan) and equal percentile_cont. */
async function same(area: Area, range: DayRange, byStation: boolean): Promise<void> {
  const db = ts.app.db;
  const bins = await histograms(db, area, range, byStation);
  expect(bins).not.toBeNull();
  expect(await exactPercentiles(db, area, range, byStation)).not.toBeNull();
  const group = byStation ? 'station' : null;
  const scan = await durationsScan(db, area, range, group);
  for (const [name, m] of Object.entries(MEASURES)) {
    const two = await twoPhase(db, m, area, range, byStation, bins!);
    expect(two).not.toBeNull();
    const n = name === 'accept' ? 'accepted' : 'handled';
    const p50 = name === 'accept' ? 'acceptP50' : 'handleP50';
    const p90 = name === 'accept' ? 'acceptP90' : 'handleP90';
    const want = new Map([...scan].filter(([, d]) => d[n] > 0).map(([k, d]) => [k, { n: d[n], p: [d[p50], d[p90]] }]));
    const got = new Map([...two!].filter(([, v]) => v.n > 0));
    expect(got).toEqual(want);
  }
  // An area with events but no measured time: the scan has a row of zeros where the histogram has none; callers read both as NO_DURATIONS.
  const measured = (m: Map<string, Durations>) => new Map([...m].filter(([, d]) => d.accepted + d.handled > 0));
  expect(measured(await durations(db, area, range, group))).toEqual(measured(scan));
}

describe('two-phase percentile == percentile_cont', () => {
  it.each(SEEDS)('on random times (seed %i)', async (seed) => {
    const r = seededRandom(seed);
    const db = ts.app.db;
    await db.query(`DELETE FROM events WHERE station_id = $1`, [g.station]);
    const areas = await Promise.all(['district', `town:${g.town}`, `station:${g.station}`].map(async (ref) => (await resolveArea(db, ref as never))!));
    const day = (i: number) => new Date(DAY0 + i * DAY_MS + 8 * 3600_000).toISOString().slice(0, 10);
    const ranges: DayRange[] = [
      { from: day(0), to: day(DAYS - 1) },
      { from: day(1), to: day(1) },
      { from: day(DAYS + 2), to: day(DAYS + 5) }, // no events: NULL percentiles, count 0
      { from: '2031-03-01', to: '2031-03-31' }, // a whole month: the month rows alone
      { from: '2031-02-20', to: '2031-04-02' }, // days, a month, days
    ];
    // Empty, then 1, 2, 3 values (every rank pair a corner), then a few hundred.
    for (const n of [0, 1, 1, 1, 40, 400]) {
      await plant(r, n);
      for (const area of areas) for (const range of ranges) await same(area, range, false);
      await same(areas[1], ranges[0], true);
      await same(areas[0], ranges[0], true);
    }
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE station_id = $1 AND accepted_at IS NOT NULL`, [g.station]);
    expect(rows[0].n).toBeGreaterThan(300);
  });

  it('keeps up with changed times and deleted events (the triggers)', async () => {
    const db = ts.app.db;
    const area = (await resolveArea(db, `station:${g.station}`))!;
    const range = { from: '2031-03-01', to: '2031-03-10' };
    await db.query(`UPDATE events SET accepted_at = accepted_at + interval '37 minutes' WHERE station_id = $1 AND id % 3 = 0`, [g.station]);
    await db.query(`UPDATE events SET handled_at = NULL WHERE station_id = $1 AND id % 5 = 0`, [g.station]);
    await db.query(`DELETE FROM events WHERE station_id = $1 AND id % 7 = 0`, [g.station]);
    await same(area, range, false);
  });
});
