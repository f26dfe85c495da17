import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoverageAnswer, MineAnswer, OwedAnswer } from '@/lib/coverage/contracts';
import { distanceM } from '@/lib/geo/distance';
import { hashPassword } from '../auth/password';
import { runCoverage } from '../jobs/coverage';
import { login, withTestServer } from '../test/server';
import { addPatrol, computePatrol } from './patrol';
import { computeVisits } from './visits';

/*
 * Issue 12's acceptance for coverage (S3: every place and key person visited every month; S10:
 * 人口清、场所清、隐患清、动态清). A grid of our own is planted in the demo's first station, with its
 * gridder, three key places, two key persons, the gridder's trace of November 2026 and hazards, so
 * every figure below can be counted by hand.
 */

const ts = withTestServer(`coverage:${process.pid}:`);
const PASSWORD = 'coverage-test-pw';
const tag = randomUUID().slice(0, 8);
const GRID = `H4${tag}`;
const USER = `h4-${tag}`;
const at = (local: string) => new Date(`${local}+08:00`);

interface Pt { lon: number; lat: number }
let station = 0;
let unit = 0;
let account = 0;
let lon0 = 0;
let lat0 = 0;
const ids = { A: 0, B: 0, C: 0, K1: 0, K2: 0 };
const pts: Record<keyof typeof ids, Pt> = {} as Record<keyof typeof ids, Pt>;
const cookie: Record<string, string> = {};
let expectedMetres = 0;

async function api(who: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${ts.url}${path}`, { ...init, headers: { cookie: cookie[who], 'content-type': 'application/json', ...(init.headers ?? {}) } });
}

/** Fixes every `stepS` seconds from `start`, at the points given. */
function fixes(start: string, stepS: number, points: Pt[]): { t: Date; p: Pt }[] {
  const t0 = at(start).getTime();
  return points.map((p, i) => ({ t: new Date(t0 + i * stepS * 1000), p }));
}

const metresOf = (list: { p: Pt }[]) => list.slice(1).reduce((m, f, i) => m + distanceM(list[i].p.lon, list[i].p.lat, f.p.lon, f.p.lat), 0);

beforeAll(async () => {
  const db = ts.app.db;
  station = (await db.query<{ id: number }>(`SELECT station_id AS id FROM accounts WHERE username = 'deputy'`)).rows[0].id;
  const v = (await db.query<{ code: string; lon: number; lat: number }>(
    `SELECT v.code, ST_X(ST_PointOnSurface(v.geom)) AS lon, ST_Y(ST_PointOnSurface(v.geom)) AS lat
       FROM station_villages sv JOIN regions v ON v.code = sv.village_code WHERE sv.station_id = $1 ORDER BY v.code LIMIT 1`,
    [station],
  )).rows[0];
  lon0 = v.lon;
  lat0 = v.lat;
  // A square of ±0.01° around the village's point: our grid.
  await db.query(
    `INSERT INTO regions (code, name, level, parent_code, geom)
     VALUES ($1, '覆盖测试网格', 'grid', $2, ST_Multi(ST_MakeEnvelope($3 - 0.01, $4 - 0.01, $3 + 0.01, $4 + 0.01, 4326)))`,
    [GRID, v.code, lon0, lat0],
  );
  const person = (await db.query<{ id: number }>(`INSERT INTO people (name, station_id) VALUES ('覆盖测试员', $1) RETURNING id`, [station])).rows[0].id;
  await db.query(`INSERT INTO person_roles (person_id, role, station_id, grid_code) VALUES ($1, 'gridder_full', $2, $3)`, [person, station, GRID]);
  unit = (await db.query<{ id: number }>(
    `INSERT INTO units (code, name, kind, station_id, person_id, grid_code) VALUES ($1, '覆盖测试员', 'gridder', $2, $3, $4) RETURNING id`,
    [`h4-${tag}`, station, person, GRID],
  )).rows[0].id;
  account = (await db.query<{ id: number }>(
    `INSERT INTO accounts (username, password_hash, role, display_name, station_id, person_id) VALUES ($1, $2, 'gridder_full', '覆盖测试员', $3, $4) RETURNING id`,
    [USER, await hashPassword(PASSWORD), station, person],
  )).rows[0].id;

  pts.A = { lon: lon0 + 0.002, lat: lat0 + 0.002 };
  pts.B = { lon: lon0 - 0.004, lat: lat0 + 0.002 };
  pts.C = { lon: lon0 + 0.004, lat: lat0 - 0.004 };
  pts.K1 = { lon: lon0 - 0.004, lat: lat0 - 0.004 };
  pts.K2 = { lon: lon0, lat: lat0 - 0.006 };
  const place = async (name: string, p: Pt, outline: boolean) =>
    (await db.query<{ id: number }>(
      `INSERT INTO places (name, category, risk_level, grid_code, location, outline, created_at)
       VALUES ($1, 'market', 'medium', $2, ST_SetSRID(ST_MakePoint($3, $4), 4326),
               CASE WHEN $5 THEN ST_Multi(ST_MakeEnvelope($3 - 0.0003, $4 - 0.0003, $3 + 0.0003, $4 + 0.0003, 4326)) END, '2026-10-01')
       RETURNING id`,
      [name, GRID, p.lon, p.lat, outline],
    )).rows[0].id;
  ids.A = await place('测试农贸市场', pts.A, false);
  ids.B = await place('测试加油站', pts.B, false);
  ids.C = await place('测试工地', pts.C, true);
  const keyPerson = async (name: string, p: Pt, perMonth: number) =>
    (await db.query<{ id: number }>(
      `INSERT INTO key_persons (name, category, visits_per_month, address, location, grid_code, created_at)
       VALUES ($1, '测试类别', $2, '测试地址', ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, '2026-10-01') RETURNING id`,
      [name, perMonth, p.lon, p.lat, GRID],
    )).rows[0].id;
  ids.K1 = await keyPerson('测试甲', pts.K1, 2);
  ids.K2 = await keyPerson('测试乙', pts.K2, 1);

  // The trace, 10 November (on duty 09:00–10:45):
  const walk = fixes('2026-11-10T09:00:00', 30, Array.from({ length: 61 }, (_, i) => ({ lon: lon0 - 0.008 + i * 0.0001, lat: lat0 + 0.008 })));
  // 10:00–10:10 at A, swaying 0.0002° (≈19 m) east and back: 21 fixes, a stay of exactly 10 minutes.
  const stayA = fixes('2026-11-10T10:00:00', 30, Array.from({ length: 21 }, (_, i) => ({ lon: pts.A.lon + (i % 2) * 0.0002, lat: pts.A.lat })));
  // Passing B in 30 s, never more than ≈29 m from it.
  const passB = fixes('2026-11-10T10:30:00', 5, Array.from({ length: 7 }, (_, i) => ({ lon: pts.B.lon - 0.0003 + i * 0.0001, lat: pts.B.lat })));
  // Inside C's outline for 12 minutes, but the trace is lost 11:04–11:08: two stays of 4 minutes, no visit.
  const insideC = Array.from({ length: 9 }, () => pts.C);
  const gapC = [...fixes('2026-11-10T11:00:00', 30, insideC), ...fixes('2026-11-10T11:08:00', 30, insideC)];
  // 11 November, off duty: 12 minutes ≈33 m from K1's address, and 11 minutes at A again.
  const stayK1 = fixes('2026-11-11T14:00:00', 60, Array.from({ length: 13 }, () => ({ lon: pts.K1.lon, lat: pts.K1.lat + 0.0003 })));
  const stayA2 = fixes('2026-11-11T15:00:00', 60, Array.from({ length: 12 }, () => pts.A));
  const all = [...walk, ...stayA, ...passB, ...gapC, ...stayK1, ...stayA2];
  await db.query(
    `INSERT INTO positions (unit_id, at, geom) SELECT $1, t, ST_SetSRID(ST_MakePoint(x, y), 4326) FROM unnest($2::timestamptz[], $3::float8[], $4::float8[]) AS f(t, x, y)`,
    [unit, all.map((f) => f.t), all.map((f) => f.p.lon), all.map((f) => f.p.lat)],
  );
  expectedMetres = metresOf(walk) + metresOf(stayA) + metresOf(passB);
  await db.query(`INSERT INTO duty_shifts (unit_id, started_at, ended_at, source) VALUES ($1, $2, $3, 'field')`, [unit, at('2026-11-10T09:00:00'), at('2026-11-10T10:45:00')]);
  // K2 was checked in by hand on 12 November.
  await db.query(
    `INSERT INTO visits (person_id, unit_id, started_at, ended_at, source, location, created_by)
     VALUES ($1, $2, $3, $3, 'manual', ST_SetSRID(ST_MakePoint($4, $5), 4326), $6)`,
    [ids.K2, unit, at('2026-11-12T10:00:00'), pts.K2.lon, pts.K2.lat, account],
  );
  // Hazards: two by our gridder in November (one closed), and three that do not count.
  const deputy = (await db.query<{ id: number }>(`SELECT id FROM accounts WHERE username = 'deputy'`)).rows[0].id;
  const event = (category: string, state: string, by: number, when: string) =>
    db.query(
      `INSERT INTO events (source, category, title, state, location, grid_code, village_code, station_id, reported_by, reported_at)
       VALUES ('staff', $1, '覆盖测试', $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, $6, $7, $8, $9)`,
      [category, state, lon0, lat0, GRID, v.code, station, by, at(when)],
    );
  await event('hazard', 'closed', account, '2026-11-03T09:00:00');
  await event('hazard', 'reported', account, '2026-11-20T09:00:00');
  await event('environment', 'closed', account, '2026-11-04T09:00:00');
  await event('hazard', 'reported', deputy, '2026-11-05T09:00:00');
  await event('hazard', 'closed', account, '2026-10-30T09:00:00');

  cookie.mine = await login(ts.url, USER, PASSWORD);
  for (const u of ['deputy', 'gridder', 'police']) cookie[u] = await login(ts.url, u);
  const other = (await db.query<{ id: number; person: number }>(
    `SELECT station_id AS id, person_id AS person FROM person_roles WHERE role = 'station_chief' AND station_id <> $1 ORDER BY station_id LIMIT 1`, [station],
  )).rows[0];
  await db.query(
    `INSERT INTO accounts (username, password_hash, role, display_name, station_id, person_id) VALUES ($1, $2, 'station_chief', $1, $3, $4)`,
    [`${USER}-chief`, await hashPassword(PASSWORD), other.id, other.person],
  );
  cookie.otherChief = await login(ts.url, `${USER}-chief`, PASSWORD);
});

// The planted grid overlaps the demo's (it would break the geography's invariants and other files'
// lists of the station's grids) and its gridder would join the station's invitees: taken out again.
afterAll(async () => {
  const db = ts.app.db;
  await db.query(`DELETE FROM visits WHERE unit_id = $1 OR place_id IN (SELECT id FROM places WHERE grid_code = $2) OR person_id IN (SELECT id FROM key_persons WHERE grid_code = $2)`, [unit, GRID]);
  await db.query(`DELETE FROM places WHERE grid_code = $1`, [GRID]);
  await db.query(`DELETE FROM key_persons WHERE grid_code = $1`, [GRID]);
  await db.query(`DELETE FROM patrol_days WHERE grid_code = $1 OR unit_id = $2`, [GRID, unit]);
  await db.query(`UPDATE events SET grid_code = NULL WHERE grid_code = $1`, [GRID]);
  await db.query(`DELETE FROM person_roles WHERE grid_code = $1`, [GRID]);
  await db.query(`UPDATE units SET grid_code = NULL, station_id = NULL WHERE id = $1`, [unit]);
  await db.query(`UPDATE accounts SET disabled = true WHERE username LIKE $1`, [`${USER}%`]);
  await db.query(`DELETE FROM regions WHERE code = $1`, [GRID]);
  await db.query(`UPDATE stations SET patrol_hours_month = 40 WHERE id = $1`, [station]);
});

const tracedVisits = async () =>
  (await ts.app.db.query<{ place: number | null; person: number | null; started: Date; ended: Date }>(
    `SELECT place_id AS place, person_id AS person, started_at AS started, ended_at AS ended FROM visits WHERE unit_id = $1 AND source = 'trace' ORDER BY started_at`,
    [unit],
  )).rows;

describe('visits from the traces (S3)', () => {
  it('a stay counts once it has lasted visit_minutes, not before; passing by in 30 s and a trace that disappears do not', async () => {
    const from = at('2026-11-10T00:00:00');
    // The last fix before 10:10:00 is 10:09:30: 9.5 minutes at A, not yet a visit.
    await computeVisits(ts.app.db, { from, to: at('2026-11-10T10:10:00'), stationId: station });
    expect(await tracedVisits()).toEqual([]);
    await computeVisits(ts.app.db, { from, to: at('2026-11-10T10:10:01'), stationId: station });
    expect(await tracedVisits()).toEqual([{ place: ids.A, person: null, started: at('2026-11-10T10:00:00'), ended: at('2026-11-10T10:10:00') }]);
    // The whole day: still only A (B was passed by, C's stay was broken by the gap).
    const r = await computeVisits(ts.app.db, { from, to: at('2026-11-11T00:00:00'), stationId: station });
    // (Grids planted by earlier runs of this file, in the same station, may add theirs to the count.)
    expect(r.visits).toBeGreaterThanOrEqual(1);
    expect(await tracedVisits()).toHaveLength(1);
  });

  it('another station’s run does not see our gridder; a rerun stores nothing twice', async () => {
    const otherStation = (await ts.app.db.query<{ id: number }>(`SELECT id FROM stations WHERE id <> $1 ORDER BY id LIMIT 1`, [station])).rows[0].id;
    const r = await computeVisits(ts.app.db, { from: at('2026-11-11T00:00:00'), to: at('2026-11-12T00:00:00'), stationId: otherStation });
    expect(r.visits).toBe(0);
    for (let i = 0; i < 2; i++) await computeVisits(ts.app.db, { from: at('2026-11-01T00:00:00'), to: at('2026-12-01T00:00:00'), stationId: station });
    expect((await tracedVisits()).map((v) => [v.place, v.person])).toEqual([[ids.A, null], [null, ids.K1], [ids.A, null]]);
  });
});

describe('patrol (S10 动态清)', () => {
  it('counts on-duty fix pairs no more than 5 minutes apart, inside the grid', async () => {
    await computePatrol(ts.app.db, { day: '2026-11-10', stationId: station });
    await computePatrol(ts.app.db, { day: '2026-11-10', stationId: station });
    const { rows } = await ts.app.db.query<{ grid: string; seconds: number; metres: number }>(
      `SELECT grid_code AS grid, seconds, metres FROM patrol_days WHERE unit_id = $1 AND day = '2026-11-10'`, [unit]);
    // 60 × 30 s walking, 20 × 30 s at A, 6 × 5 s past B; the 30- and 20-minute gaps and the stay at C (off duty) not.
    expect(rows).toHaveLength(1);
    expect(rows[0].grid).toBe(GRID);
    expect(rows[0].seconds).toBe(1800 + 600 + 30);
    // Metres by the haversine here, on the spheroid in PostGIS: the same to within 0.5 %.
    expect(Math.abs(rows[0].metres - expectedMetres) / expectedMetres).toBeLessThan(0.005);
  });

  it('the job’s runs on an open day add up to the whole day, and a stay cut by a run’s start is not a second visit', async () => {
    await ts.app.db.query(`DELETE FROM coverage_marks WHERE day = '2026-11-10'`);
    await ts.app.db.query(`DELETE FROM patrol_days WHERE unit_id = $1`, [unit]);
    // Three runs: before the shift, in the middle of the stay at A, after the day.
    for (const upto of ['2026-11-10T08:00:00', '2026-11-10T10:05:00', '2026-11-11T00:00:00']) await addPatrol(ts.app.db, '2026-11-10', at(upto));
    const { rows } = await ts.app.db.query<{ seconds: number; metres: number }>(`SELECT seconds, metres FROM patrol_days WHERE unit_id = $1`, [unit]);
    expect(rows.map((x) => x.seconds)).toEqual([2430]);
    expect(Math.abs(rows[0].metres - expectedMetres) / expectedMetres).toBeLessThan(0.005);
    // Run again: the mark is past the day, nothing more is added.
    await addPatrol(ts.app.db, '2026-11-10', at('2026-11-11T01:00:00'));
    expect((await ts.app.db.query(`SELECT seconds FROM patrol_days WHERE unit_id = $1`, [unit])).rows).toEqual([{ seconds: 2430 }]);

    // 11 November 15:00–15:11 at A (stored already): a run looking back only from 15:00:30 sees a
    // stay of 10 minutes from 15:01 — the same visit, cut by the run's start, not a second one.
    const before = await tracedVisits();
    expect(before.length).toBeGreaterThan(0);
    await computeVisits(ts.app.db, { from: at('2026-11-11T15:00:30'), to: at('2026-11-11T18:00:00') });
    expect(await tracedVisits()).toEqual(before);
  });

  it('the job computes the open days and closes those ended more than an hour before (the retention job thins only those)', async () => {
    await ts.app.db.query(`DELETE FROM coverage_days WHERE day >= '2026-11-01'`);
    await ts.app.db.query(`DELETE FROM patrol_days WHERE unit_id = $1`, [unit]);
    const r = await runCoverage(ts.app.db, at('2026-11-12T00:30:00'));
    expect(r.ran).toBe(true);
    // 11 November ended only 30 minutes ago: computed, not closed.
    expect(r.days).toContain('2026-11-11');
    expect(r.closed).toContain('2026-11-10');
    expect(r.closed).not.toContain('2026-11-11');
    const { rows } = await ts.app.db.query<{ day: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM coverage_days WHERE day BETWEEN '2026-11-09' AND '2026-11-12' ORDER BY day`);
    expect(rows.map((x) => x.day)).toEqual(['2026-11-09', '2026-11-10']);
    const p = await ts.app.db.query<{ seconds: number }>(`SELECT seconds FROM patrol_days WHERE unit_id = $1`, [unit]);
    expect(p.rows.map((x) => x.seconds)).toEqual([2430]);
    expect(await tracedVisits()).toHaveLength(3);
  });
});

describe('coverage figures (S10: 场所清、人口清、动态清、隐患清)', () => {
  it('the station minimum is set by the station’s leaders only', async () => {
    const res = await api('deputy', `/api/v1/stations/${station}/patrol-minimum`, { method: 'PUT', body: JSON.stringify({ patrolHoursMonth: 10 }) });
    expect(res.status).toBe(200);
    const other = await api('otherChief', `/api/v1/stations/${station}/patrol-minimum`, { method: 'PUT', body: JSON.stringify({ patrolHoursMonth: 1 }) });
    expect(other.status).toBe(404);
  });

  it('equal the hand-computed ones for November 2026', async () => {
    const res = await api('deputy', '/api/v1/coverage?level=grid&month=2026-11');
    expect(res.status).toBe(200);
    const body = (await res.json()) as CoverageAnswer;
    const row = body.rows.find((r) => r.code === GRID)!;
    /*
     * 场所清: A visited (twice), B passed by, C's stay broken: 1 of 3.
     * 人口清: K1 owes 2 and had 1 (11 Nov); K2 owes 1 and had 1 (manual, 12 Nov): 2 of 3; 1 of 2 persons done.
     * 动态清: 2430 s against 10 h × 1 gridder = 36000 s.
     * 隐患清: our gridder's hazards of November: 2, 1 closed (the deputy's, the October one and the environment one do not count).
     */
    expect({ ...row.tally, patrolMetres: 0 }).toEqual({
      placesOwed: 3, placesVisited: 1, personVisitsOwed: 3, personVisitsMade: 2, persons: 2, personsDone: 1,
      patrolSeconds: 2430, patrolRequiredSeconds: 36000, patrolMetres: 0, hazards: 2, hazardsDone: 1,
    });
    expect(row.ratios).toEqual({ places: 1 / 3, persons: 2 / 3, patrol: 2430 / 36000, hazards: 0.5 });
    expect(row.lowest).toBe(2430 / 36000);
    const district = (await (await api('deputy', '/api/v1/coverage?level=district&month=2026-11')).json()) as CoverageAnswer;
    expect(district.rows).toHaveLength(1);
    expect(district.rows[0].tally.placesOwed).toBeGreaterThanOrEqual(3);
    // Another station's chief does not see our grid.
    const other = (await (await api('otherChief', '/api/v1/coverage?level=grid&month=2026-11')).json()) as CoverageAnswer;
    expect(other.rows.some((r) => r.code === GRID)).toBe(false);
  });

  it('lists what is still owed, the person masked for grid staff of other grids and the read of the clear name audited', async () => {
    const mine = (await (await api('mine', `/api/v1/coverage/owed?grid=${GRID}&month=2026-11`)).json()) as OwedAnswer;
    expect(mine.items.map((i) => [i.kind, i.id, i.made, i.owed])).toEqual([
      ['place', ids.B, 0, 1], ['place', ids.C, 0, 1], ['person', ids.K1, 1, 2],
    ]);
    expect(mine.items.find((i) => i.kind === 'person')).toMatchObject({ name: '测试甲', masked: false });
    const audited = await ts.app.db.query(`SELECT 1 FROM audit_log WHERE account_id = $1 AND action = 'key_person.read'`, [account]);
    expect(audited.rowCount).toBeGreaterThan(0);
    const theirs = (await (await api('gridder', `/api/v1/coverage/owed?grid=${GRID}&month=2026-11`)).json()) as OwedAnswer;
    expect(theirs.items.find((i) => i.kind === 'person')).toMatchObject({ name: '测*', masked: true });
    // A masked read is on record too.
    const { rows: theirAudit } = await ts.app.db.query(
      `SELECT l.detail FROM audit_log l JOIN accounts a ON a.id = l.account_id WHERE a.username = 'gridder' AND l.action = 'key_person.read' ORDER BY l.id DESC LIMIT 1`);
    expect(theirAudit[0].detail).toMatchObject({ ids: [ids.K1], clear: [] });
    // Department staff may not read the register: the places only, no person (category and home would say who).
    const police = (await (await api('police', `/api/v1/coverage/owed?grid=${GRID}&month=2026-11`)).json()) as OwedAnswer;
    expect(police.items.map((i) => i.kind)).toEqual(['place', 'place']);
    expect((await api('otherChief', `/api/v1/coverage/owed?grid=${GRID}`)).status).toBe(404);
  });
});

describe('manual check-in (手动签到)', () => {
  let photo = '';
  beforeAll(async () => {
    const chunk = (type: string, data: Buffer) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
    };
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])), chunk('raNd', Buffer.from(randomUUID())), chunk('IEND', Buffer.alloc(0))]);
    const res = await fetch(`${ts.url}/api/v1/photos`, { method: 'POST', headers: { cookie: cookie.mine, 'content-type': 'image/png' }, body: png });
    expect(res.status).toBe(201);
    photo = ((await res.json()) as { id: string }).id;
  });

  it('counts, is marked manual, leaves the phone’s list, and is refused far away or for someone else’s grid', async () => {
    const before = (await (await api('mine', `/api/v1/coverage/mine?lon=${pts.K2.lon}&lat=${pts.K2.lat + 0.001}`)).json()) as MineAnswer;
    expect(before.grids).toEqual([GRID]);
    // Nearest first from ≈111 m north of K2: K2 itself, then the others by distance.
    expect(before.items[0]).toMatchObject({ kind: 'person', id: ids.K2 });
    const d = before.items.map((i) => i.distanceM!);
    expect([...d].sort((a, b) => a - b)).toEqual(d);

    const body = (extra: object) => JSON.stringify({ personId: ids.K2, lon: pts.K2.lon, lat: pts.K2.lat + 0.001, photoId: photo, requestKey: `h4-${randomUUID()}`, ...extra });
    const far = await api('mine', '/api/v1/visits', { method: 'POST', body: body({ lat: pts.K2.lat + 0.003 }) });
    expect(far.status).toBe(422);
    expect(((await far.json()) as { issues: { path: string }[] }).issues[0].path).toBe('body.lon');
    expect((await api('gridder', '/api/v1/visits', { method: 'POST', body: body({}) })).status).toBe(404);

    const key = `h4-${randomUUID()}`;
    const ok = await api('mine', '/api/v1/visits', { method: 'POST', body: body({ requestKey: key, note: '住户在家' }) });
    expect(ok.status).toBe(201);
    const receipt = (await ok.json()) as { id: number; source: string };
    expect(receipt.source).toBe('manual');
    const again = await api('mine', '/api/v1/visits', { method: 'POST', body: body({ requestKey: key }) });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: number }).id).toBe(receipt.id);

    const stored = await ts.app.db.query(`SELECT source, photo_id AS photo FROM visits WHERE id = $1`, [receipt.id]);
    expect(stored.rows[0]).toEqual({ source: 'manual', photo });
    const after = (await (await api('mine', `/api/v1/coverage/mine?lon=${pts.K2.lon}&lat=${pts.K2.lat}`)).json()) as MineAnswer;
    expect(after.items.some((i) => i.kind === 'person' && i.id === ids.K2)).toBe(false);
    expect(after.items).toHaveLength(before.items.length - 1);
    // And it counts in this month's figures.
    const month = (await (await api('deputy', '/api/v1/coverage?level=grid')).json()) as CoverageAnswer;
    expect(month.rows.find((r) => r.code === GRID)!.tally.personVisitsMade).toBe(1);
  });
});
