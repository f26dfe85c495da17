import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEventsV1, InspectionRouteV1, SnapshotV1, TracesV1 } from '@/lib/contracts/history';
import { shanghaiDay } from '@/lib/time/workdays';
import { hashPassword } from '../auth/password';
import { DEMO_PASSWORD } from '../config';
import { login, withTestServer } from '../test/server';
import { snapshotAt, traces } from './queries';

/*
 * History playback (issue 12, part 5) on planted positions: units made for this run only, so
 * nothing else (the simulator, other tests) writes their traces. Times are yesterday (UTC), a
 * day whose partition the migration and the retention job always keep.
 */
const ts = withTestServer(`history:${process.pid}:`);
const RUN = randomUUID().slice(0, 8);
const MIN = 60_000;

let station = 0;
let otherStation = 0;
let unitA = 0;
let unitB = 0;
let unitOther = 0;
let base = 0;
let deputy = '';
let otherChief = '';
let volunteer = '';
let deputyId = 0;
const personName = `轨迹测试${RUN}`;

/** Fixes of unit A: t minutes after base → [lon, lat]; planted out of order on purpose. */
const A_FIXES: [number, number, number][] = [
  [20, 120.3, 30.82],
  [0, 120.1, 30.8],
  [5, 120.105, 30.805],
  [10, 120.11, 30.81],
  [-30, 120.0, 30.7],
];

const iso = (ms: number) => new Date(ms).toISOString();
const get = (path: string, cookie: string) => fetch(`${ts.url}${path}`, { headers: { cookie } });

async function plant(unitId: number, fixes: [number, number, number][]): Promise<void> {
  await ts.app.db.query(
    `INSERT INTO positions (unit_id, at, geom)
     SELECT $1, to_timestamp(t / 1000.0), ST_SetSRID(ST_MakePoint(lon, lat), 4326) FROM unnest($2::float8[], $3::float8[], $4::float8[]) AS f(t, lon, lat)`,
    [unitId, fixes.map((f) => base + f[0] * MIN), fixes.map((f) => f[1]), fixes.map((f) => f[2])],
  );
}

async function unit(stationId: number, code: string, personId: number | null): Promise<number> {
  const { rows } = await ts.app.db.query<{ id: number }>(
    `INSERT INTO units (code, name, kind, station_id, person_id, status) VALUES ($1, $1, 'gridder', $2, $3, 'off_duty') RETURNING id`,
    [code, stationId, personId],
  );
  return rows[0].id;
}

beforeAll(async () => {
  const db = ts.app.db;
  ({ id: station, account: deputyId } = (await db.query<{ id: number; account: number }>(`SELECT station_id AS id, id AS account FROM accounts WHERE username = 'deputy'`)).rows[0]);
  otherStation = (await db.query<{ id: number }>(`SELECT id FROM stations WHERE id <> $1 ORDER BY id LIMIT 1`, [station])).rows[0].id;
  await db.query(
    `INSERT INTO accounts (username, password_hash, role, display_name, station_id) VALUES ('h-other-chief', $1, 'station_chief', '他站站长', $2)
     ON CONFLICT (username) DO UPDATE SET station_id = EXCLUDED.station_id, disabled = false, password_hash = EXCLUDED.password_hash`,
    [await hashPassword(DEMO_PASSWORD), otherStation],
  );
  const person = (await db.query<{ id: number }>(`INSERT INTO people (name) VALUES ($1) RETURNING id`, [personName])).rows[0].id;
  unitA = await unit(station, `hist-a-${RUN}`, person);
  unitB = await unit(station, `hist-b-${RUN}`, null);
  unitOther = await unit(otherStation, `hist-o-${RUN}`, null);
  // Yesterday 10:00 UTC (18:00 in Shanghai), whole milliseconds.
  const { rows } = await db.query<{ ms: number }>(`SELECT extract(epoch FROM date_trunc('day', now(), 'UTC') - interval '14 hours')::float8 * 1000 AS ms`);
  base = rows[0].ms;
  await plant(unitA, A_FIXES);
  await plant(unitB, [[1, 121, 31], [2, 121.001, 31.001]]);
  await plant(unitOther, [[1, 122, 32]]);
  [deputy, otherChief, volunteer] = await Promise.all([login(ts.url, 'deputy'), login(ts.url, 'h-other-chief'), login(ts.url, 'volunteer')]);
});

describe('server/history/queries', () => {
  it('traces: each unit oldest first within [from, to], as [t, lon, lat]', async () => {
    const m = await traces(ts.app.db, [unitA, unitB, unitA], new Date(base - MIN), new Date(base + 10 * MIN));
    expect(m.get(unitA)).toEqual([
      [base, 120.1, 30.8],
      [base + 5 * MIN, 120.105, 30.805],
      [base + 10 * MIN, 120.11, 30.81],
    ]);
    expect(m.get(unitB)).toEqual([[base + MIN, 121, 31], [base + 2 * MIN, 121.001, 31.001]]);
    expect(m.size).toBe(2);
    expect((await traces(ts.app.db, [], new Date(base), new Date(base + MIN))).size).toBe(0);
  });

  it('snapshotAt: the last fix at or before `at`, none older than withinMs', async () => {
    // 6 min: the 5-minute fix; exactly at 10: that fix itself.
    expect(await snapshotAt(ts.app.db, [unitA], new Date(base + 6 * MIN))).toEqual([{ unitId: unitA, t: base + 5 * MIN, lon: 120.105, lat: 30.805 }]);
    expect((await snapshotAt(ts.app.db, [unitA], new Date(base + 10 * MIN)))[0].t).toBe(base + 10 * MIN);
    // 19 min: the last fix is 9 min old (kept by the default 10), but not within 5.
    expect((await snapshotAt(ts.app.db, [unitA], new Date(base + 19 * MIN)))[0].t).toBe(base + 10 * MIN);
    expect(await snapshotAt(ts.app.db, [unitA], new Date(base + 19 * MIN), 5 * MIN)).toEqual([]);
    // 25 min before base the only earlier fix (−30) is 5 min old; a unit with nothing near is left out.
    expect(await snapshotAt(ts.app.db, [unitA, unitB], new Date(base - 25 * MIN))).toEqual([{ unitId: unitA, t: base - 30 * MIN, lon: 120, lat: 30.7 }]);
  });
});

describe('GET /api/v1/history/traces', () => {
  it('answers each unit with its fixes in order, and audits the read with what was asked', async () => {
    const from = iso(base - MIN);
    const to = iso(base + 15 * MIN);
    const res = await get(`/api/v1/history/traces?units=${unitA},${unitB}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, deputy);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as TracesV1;
    expect(body.from).toBe(from);
    expect(body.units.map((u) => u.id)).toEqual([unitA, unitB]);
    expect(body.units[0]).toMatchObject({ code: `hist-a-${RUN}`, stationId: station, isTeam: false });
    expect(body.units[0].points).toEqual([[base, 120.1, 30.8], [base + 5 * MIN, 120.105, 30.805], [base + 10 * MIN, 120.11, 30.81]]);
    expect(body.units[1].points).toHaveLength(2);

    const { rows } = await ts.app.db.query<{ account_id: number; target: string; detail: Record<string, unknown> }>(
      `SELECT account_id, target, detail FROM audit_log WHERE action = 'history.read' AND detail->'units' @> $1::jsonb ORDER BY id DESC LIMIT 1`,
      [JSON.stringify([unitA])],
    );
    expect(rows[0]).toMatchObject({ account_id: deputyId, target: 'units', detail: { kind: 'traces', units: [unitA, unitB], from, to, fixes: 5 } });
  });

  it('a station’s units, each listed even without fixes in the range', async () => {
    const res = await get(`/api/v1/history/traces?station=${station}&from=${iso(base)}&to=${iso(base + 2 * MIN)}`, deputy);
    expect(res.status).toBe(200);
    const body = (await res.json()) as TracesV1;
    expect(body.units.every((u) => u.stationId === station)).toBe(true);
    expect(body.units.find((u) => u.id === unitA)?.points).toEqual([[base, 120.1, 30.8]]);
    expect(body.units.find((u) => u.id === unitOther)).toBeUndefined();
  });

  it('refuses another station’s chief, those who see only their own reports, and a unit of another station', async () => {
    const q = `from=${iso(base)}&to=${iso(base + MIN)}`;
    expect((await get(`/api/v1/history/traces?units=${unitA}&${q}`, otherChief)).status).toBe(403);
    expect((await get(`/api/v1/history/traces?station=${station}&${q}`, otherChief)).status).toBe(403);
    expect((await get(`/api/v1/history/traces?units=${unitA}&${q}`, volunteer)).status).toBe(403);
    // One unit out of reach refuses the whole request, not just that unit.
    expect((await get(`/api/v1/history/traces?units=${unitA},${unitOther}&${q}`, deputy)).status).toBe(403);
    expect((await get(`/api/v1/history/traces?units=${unitOther}&${q}`, otherChief)).status).toBe(200);
  });

  it('names the field at fault: a range over 24 h, neither units nor station, a unit that does not exist', async () => {
    const long = await get(`/api/v1/history/traces?units=${unitA}&from=${iso(base)}&to=${iso(base + 25 * 60 * MIN)}`, deputy);
    expect(long.status).toBe(400);
    expect(JSON.stringify(await long.json())).toContain('query.to');
    const none = await get(`/api/v1/history/traces?from=${iso(base)}&to=${iso(base + MIN)}`, deputy);
    expect(none.status).toBe(400);
    expect(JSON.stringify(await none.json())).toContain('query.units');
    expect((await get(`/api/v1/history/traces?units=2147483000&from=${iso(base)}&to=${iso(base + MIN)}`, deputy)).status).toBe(404);
  });
});

describe('GET /api/v1/history/snapshot', () => {
  it('each unit’s last fix before `at` within withinMin, audited', async () => {
    const at = iso(base + 19 * MIN);
    const res = await get(`/api/v1/history/snapshot?units=${unitA},${unitB}&at=${at}`, deputy);
    expect(res.status).toBe(200);
    const body = (await res.json()) as SnapshotV1;
    // A's 10-minute fix is 9 min old; B's last (2 min) is 17 min old and so says nothing.
    expect(body.units).toEqual([expect.objectContaining({ id: unitA, t: base + 10 * MIN, lon: 120.11, lat: 30.81 })]);
    const wider = (await (await get(`/api/v1/history/snapshot?units=${unitA},${unitB}&at=${at}&withinMin=20`, deputy)).json()) as SnapshotV1;
    expect(wider.units.map((u) => u.id)).toEqual([unitA, unitB]);
    const { rows } = await ts.app.db.query(`SELECT 1 FROM audit_log WHERE action = 'history.read' AND detail->>'kind' = 'snapshot' AND detail->>'at' = $1`, [at]);
    expect(rows.length).toBeGreaterThan(0);
    expect((await get(`/api/v1/history/snapshot?station=${station}&at=${at}`, otherChief)).status).toBe(403);
  });
});

describe('GET /api/v1/history/events', () => {
  it('incidents at their reported time and dispatches with their line and steps, in the viewer’s scope', async () => {
    const db = ts.app.db;
    const ev = (await db.query<{ id: number }>(
      `INSERT INTO events (source, category, title, state, location, station_id, reported_at)
       VALUES ('test', 'environment', $1, 'closed', ST_SetSRID(ST_MakePoint(120.2, 30.9), 4326), $2, to_timestamp($3 / 1000.0)) RETURNING id`,
      [`回放测试${RUN}`, station, base + 3 * MIN],
    )).rows[0].id;
    const d = (await db.query<{ id: number }>(
      `INSERT INTO dispatches (event_id, unit_id, state, origin, created_at, ended_at)
       VALUES ($1, $2, 'cleared', ST_SetSRID(ST_MakePoint(120.105, 30.805), 4326), to_timestamp($3 / 1000.0), to_timestamp($4 / 1000.0)) RETURNING id`,
      [ev, unitA, base + 4 * MIN, base + 30 * MIN],
    )).rows[0].id;
    await db.query(
      `INSERT INTO dispatch_log (dispatch_id, at, to_state, step) VALUES ($1, to_timestamp($2 / 1000.0), 'on_scene', 'on_scene'), ($1, to_timestamp($3 / 1000.0), 'cleared', 'clear')`,
      [d, base + 9 * MIN, base + 30 * MIN],
    );
    const q = `from=${iso(base)}&to=${iso(base + 10 * MIN)}`;
    const body = (await (await get(`/api/v1/history/events?${q}&station=${station}`, deputy)).json()) as HistoryEventsV1;
    expect(body.incidents.find((i) => i.id === ev)).toMatchObject({ reportedAt: iso(base + 3 * MIN), lon: 120.2, lat: 30.9 });
    expect(body.dispatches.find((x) => x.id === d)).toMatchObject({
      eventId: ev, unitId: unitA, createdAt: iso(base + 4 * MIN), endedAt: iso(base + 30 * MIN),
      origin: { lon: 120.105, lat: 30.805 }, target: { lon: 120.2, lat: 30.9 },
      steps: [{ at: iso(base + 9 * MIN), step: 'on_scene', toState: 'on_scene' }, { at: iso(base + 30 * MIN), step: 'clear', toState: 'cleared' }],
    });
    // Another station's chief sees neither; a range before the dispatch does not list it.
    const other = (await (await get(`/api/v1/history/events?${q}`, otherChief)).json()) as HistoryEventsV1;
    expect(other.incidents.some((i) => i.id === ev) || other.dispatches.some((x) => x.id === d)).toBe(false);
    const before = (await (await get(`/api/v1/history/events?from=${iso(base - 10 * MIN)}&to=${iso(base)}`, deputy)).json()) as HistoryEventsV1;
    expect(before.dispatches.some((x) => x.id === d) || before.incidents.some((i) => i.id === ev)).toBe(false);
  });
});

describe('GET /api/v1/inspections/:id/route', () => {
  it('the participants’ traces over the inspection’s Shanghai day; names without a unit listed', async () => {
    const day = shanghaiDay(new Date(base));
    const id = (await ts.app.db.query<{ id: number }>(
      `INSERT INTO inspections (station_id, kind, day, area, participants) VALUES ($1, 'station_monthly', $2, '回放测试', $3) RETURNING id`,
      [station, day, [personName, `无名氏${RUN}`]],
    )).rows[0].id;
    const res = await get(`/api/v1/inspections/${id}/route`, deputy);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as InspectionRouteV1;
    expect(body.from).toBe(new Date(`${day}T00:00:00+08:00`).toISOString());
    expect(body.unmatched).toEqual([`无名氏${RUN}`]);
    expect(body.units.map((u) => [u.id, u.person])).toEqual([[unitA, personName]]);
    // Every planted fix of A falls on that Shanghai day (18:00 ± 30 min).
    expect(body.units[0].points.map((p) => p[0])).toEqual([...A_FIXES].map((f) => base + f[0] * MIN).sort((a, b) => a - b));
    expect((await get(`/api/v1/inspections/${id}/route`, otherChief)).status).toBe(403);
    expect((await get(`/api/v1/inspections/2147483000/route`, deputy)).status).toBe(404);
    const { rows } = await ts.app.db.query(`SELECT 1 FROM audit_log WHERE action = 'history.read' AND target = $1`, [`inspection:${id}`]);
    expect(rows).toHaveLength(1);
  });
});
