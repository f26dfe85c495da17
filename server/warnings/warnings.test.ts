import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WarningV1 } from '@/lib/contracts/warnings';
import { hashPassword } from '../auth/password';
import { agendaFor } from '../command/meetings';
import { inTransaction } from '../db/pool';
import { caller } from '../test/http';
import { login, withTestServer } from '../test/server';
import { warningsById } from './read';
import { runWarnings } from './run';

/*
 * The engine end to end on the test database: planted events in the first station raise the four
 * kinds of warning with their figures and events; a second run changes nothing; a surge that is
 * gone is cleared; the station's leaders acknowledge and convert, others are refused; the push
 * reaches the district and that station's sockets only. Plants are events of source 'warntest',
 * removed afterwards with every warning made meanwhile.
 */

const ts = withTestServer(`warnings:${process.pid}:`);
const call = caller(() => ts.url);
const SOURCE = 'warntest';
const key = () => `w-${randomUUID()}`;
const DAY = 86_400_000;

let station = 0;
/** Every warning a run of this file raised or changed: removed afterwards, and nothing else (other files run beside this one). */
const touched = new Set<number>();
const run = async () => {
  const r = await runWarnings(ts.app);
  r.changed.forEach((id) => touched.add(id));
  return r;
};
let hotGrid = '';
let surgeGrid = '';
let place = { id: 0, lon: 0, lat: 0 };
let recentSurge: number[] = [];
let hotIds: number[] = [];
const cookies: Record<string, string> = {};
const sockets: Record<string, Socket> = {};
const heard: Record<string, WarningV1[]> = { deputy: [], other: [], admin: [], gridLeader: [] };

async function plant(rows: { grid: string | null; category: string; ago: number; lon?: number; lat?: number; citizen?: boolean }[]): Promise<number[]> {
  const { rows: ids } = await ts.app.db.query<{ id: number }>(
    `INSERT INTO events (source, category, title, grid_code, station_id, location, reported_at, reported_by_citizen)
     SELECT $1, x.category, '预警测试', x.grid, $2,
            CASE WHEN x.lon IS NULL THEN (SELECT ST_PointOnSurface(geom) FROM regions WHERE code = x.grid) ELSE ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326) END,
            now() - make_interval(secs => x.ago / 1000.0), x.citizen
       FROM unnest($3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::boolean[]) AS x(grid, category, ago, lon, lat, citizen)
     RETURNING id`,
    [SOURCE, station, rows.map((r) => r.grid), rows.map((r) => r.category), rows.map((r) => r.ago), rows.map((r) => r.lon ?? null), rows.map((r) => r.lat ?? null), rows.map((r) => r.citizen ?? false)],
  );
  return ids.map((r) => r.id);
}

async function mine(kind: string, subject: string): Promise<WarningV1 | undefined> {
  const { rows } = await ts.app.db.query<{ id: number }>(`SELECT id FROM warnings WHERE kind = $1 AND subject = $2 ORDER BY id DESC LIMIT 1`, [kind, subject]);
  return rows[0] ? (await warningsById(ts.app.db, [rows[0].id]))[0] : undefined;
}

function listen(name: string, cookie: string): Promise<void> {
  const s = connect(`${ts.url}/live`, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
  sockets[name] = s;
  s.on('warning', (w: WarningV1) => heard[name].push(w));
  return new Promise((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
}

beforeAll(async () => {
  const db = ts.app.db;
  station = (await db.query<{ id: number }>(`SELECT station_id AS id FROM accounts WHERE username = 'deputy'`)).rows[0].id;
  // Two grids of the station far enough apart not to be neighbours, and a major-risk place in a third, not next to either
  // (its events would make the hot spot's neighbourhood hot ten days ago).
  const { rows: grids } = await db.query<{ code: string }>(
    `SELECT g.code FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code WHERE g.level = 'grid' AND sv.station_id = $1 ORDER BY g.code`,
    [station],
  );
  hotGrid = grids[5].code;
  surgeGrid = (await db.query<{ code: string }>(
    `SELECT g.code FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code, regions h
      WHERE g.level = 'grid' AND sv.station_id = $1 AND h.code = $2 AND NOT ST_DWithin(g.geom, h.geom, 0.001) ORDER BY g.code DESC LIMIT 1`,
    [station, hotGrid],
  )).rows[0].code;
  place = (await db.query<typeof place>(
    `SELECT p.id, ST_X(p.location) AS lon, ST_Y(p.location) AS lat FROM places p JOIN regions g ON g.code = p.grid_code
       JOIN station_villages sv ON sv.village_code = g.parent_code
      WHERE sv.station_id = $1 AND p.risk_level = 'major' AND p.removed_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM regions o WHERE o.code = ANY($2::text[]) AND ST_DWithin(o.geom, g.geom, 0.001)) ORDER BY p.id LIMIT 1`,
    [station, [hotGrid, surgeGrid]],
  )).rows[0];
  expect(place).toBeTruthy();

  // A hot spot: 10 events a day in one grid on each of the last three complete days (nothing today).
  const now = Date.now();
  const midnight = Math.floor((now + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000; // today 00:00 in Shanghai
  hotIds = await plant([1, 2, 3].flatMap((d) => Array.from({ length: 10 }, (_, i) => ({ grid: hotGrid, category: 'city', ago: now - (midnight - d * DAY + 10 * 3_600_000 + i * 60_000) }))));
  // A surge: 'policy' in one grid, 2 events in the baseline weeks, 12 in the last few days.
  await plant([{ grid: surgeGrid, category: 'policy', ago: 30 * DAY }, { grid: surgeGrid, category: 'policy', ago: 60 * DAY }]);
  recentSurge = await plant(Array.from({ length: 12 }, (_, i) => ({ grid: surgeGrid, category: 'policy', ago: (i + 1) * 3_600_000 })));
  // A high-risk place: 4 events within 50 m, ten days ago (major × 4 = 12 ≥ placeRed).
  await plant(Array.from({ length: 4 }, (_, i) => ({ grid: null, category: 'hazard', ago: 10 * DAY + i * 60_000, lon: place.lon + 0.0003, lat: place.lat })));
  // A need: 8 citizen reports of 'livelihood' in the station this week, none before (no grid, so no surge of a grid).
  await plant(Array.from({ length: 8 }, (_, i) => ({ grid: null, category: 'livelihood', ago: (i + 2) * 3_600_000, lon: place.lon + 0.05, lat: place.lat + 0.05, citizen: true })));

  // Another station's chief, for the refusals and the push that must not reach them.
  const other = (await db.query<{ id: number; person: number }>(
    `SELECT station_id AS id, person_id AS person FROM person_roles WHERE role = 'station_chief' AND station_id <> $1 ORDER BY station_id LIMIT 1`,
    [station],
  )).rows[0];
  await db.query(
    `INSERT INTO accounts (username, password_hash, role, display_name, station_id, person_id) VALUES ('w-other-chief', $1, 'station_chief', '他站站长', $2, $3)
     ON CONFLICT (username) DO UPDATE SET station_id = EXCLUDED.station_id, person_id = EXCLUDED.person_id, disabled = false`,
    [await hashPassword('warn-test-password'), other.id, other.person],
  );
  cookies.deputy = await login(ts.url, 'deputy');
  cookies.chief = await login(ts.url, 'chief');
  cookies.admin = await login(ts.url, 'admin');
  cookies.other = await login(ts.url, 'w-other-chief', 'warn-test-password');
  cookies.gridLeader = await login(ts.url, 'gridleader');
  await Promise.all([listen('deputy', cookies.deputy), listen('other', cookies.other), listen('admin', cookies.admin), listen('gridLeader', cookies.gridLeader)]);
}, 60_000);

afterAll(async () => {
  Object.values(sockets).forEach((s) => s.close());
  const db = ts.app.db;
  await db.query(`DELETE FROM inspection_tasks WHERE warning_id = ANY($1::bigint[])`, [[...touched]]);
  await db.query(`DELETE FROM warnings WHERE id = ANY($1::bigint[])`, [[...touched]]);
  await db.query(`DELETE FROM events WHERE source = $1`, [SOURCE]);
  await db.query(`UPDATE accounts SET disabled = true WHERE username = 'w-other-chief'`);
  // The agenda of the station's meetings no longer holds the test's warnings.
  await inTransaction(db, async (tx) => {
    const agenda = JSON.stringify(await agendaFor(tx, station));
    await tx.query(`UPDATE consultations SET agenda = $2 WHERE station_id = $1 AND state <> 'closed' AND agenda::text LIKE '%预警：%'`, [station, agenda]);
  });
});

const waitFor = async (test: () => boolean, ms = 3000) => {
  const until = Date.now() + ms;
  while (!test() && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  return test();
};

describe('a warnings run over planted events', () => {
  it('raises a hot spot, a surge, a high-risk place and a need, with their figures and events', async () => {
    const first = await run();
    expect(first.ran).toBe(true);
    const surge = await mine('surge', `grid:${surgeGrid}:policy`);
    expect(surge).toMatchObject({ state: 'open', stationId: station, gridCode: surgeGrid, category: 'policy', numbers: { count: 12, baseline: 2 } });
    // (2 + 0.5) / 12 weeks = 0.2 a week; 12 against an expected 0.21 in 7 days.
    expect(surge!.explanation).toBe('近7天 12 起，基线 0.2 起/周，显著性 p<0.0001');
    expect(surge!.level).toBe('red');
    expect(surge!.eventIds).toEqual([...recentSurge].sort((a, b) => a - b));

    const hot = await mine('hotspot', `grid:${hotGrid}`);
    expect(hot).toMatchObject({ hotspotClass: 'consecutive', level: 'yellow', stationId: station, numbers: { run: 3 } });
    // Other test files may report into the same grid today: ours are all there.
    expect(hot!.eventIds).toEqual(expect.arrayContaining(hotIds));
    expect(hot!.eventIds.filter((id) => hotIds.includes(id))).toHaveLength(30);
    expect(hot!.explanation).toMatch(/^近90天中 3 天为显著热点（含最近连续 3 天，Gi\* z=/);

    const risky = await mine('place', `place:${place.id}`);
    expect(risky).toMatchObject({ level: 'red', numbers: { incidents: 4, score: 12 } });
    const need = await mine('need', `citizen:${station}:livelihood`);
    expect(need).toMatchObject({ stationId: station, numbers: { count: 8, origin: 'citizen' } });
    expect(need!.eventIds).toHaveLength(8);
    expect(first.ms.total).toBeGreaterThan(0);

    // Pushed after the commit: the station's deputy and the district hear it; another station does not, nor the
    // station's grid staff (warnings are read by its leaders and wall: the leaders' room, not the station's).
    expect(await waitFor(() => heard.deputy.some((w) => w.id === surge!.id) && heard.admin.some((w) => w.id === surge!.id))).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.other.filter((w) => w.stationId === station)).toEqual([]);
    expect(heard.gridLeader).toEqual([]);
  });

  it('a second run duplicates nothing and pushes nothing unchanged', async () => {
    const before = await mine('surge', `grid:${surgeGrid}:policy`);
    heard.deputy.length = 0;
    const second = await run();
    const after = await mine('surge', `grid:${surgeGrid}:policy`);
    expect(after!.id).toBe(before!.id);
    expect(after!.version).toBe(before!.version);
    const { rows } = await ts.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM warnings WHERE subject = ANY($1::text[])`, [[`grid:${surgeGrid}:policy`, `grid:${hotGrid}`, `place:${place.id}`]]);
    expect(rows[0].n).toBe(3);
    expect(second.changed).not.toContain(before!.id);
    await new Promise((r) => setTimeout(r, 300));
    // Delivery is at least once (a message may repeat), so the claim is: no newer version went out.
    expect(heard.deputy.filter((w) => w.id === before!.id && w.version > before!.version)).toEqual([]);
  });

  it('acknowledge: the station’s leaders and the district; another station’s chief is refused; a retry answers the same', async () => {
    const surge = (await mine('surge', `grid:${surgeGrid}:policy`))!;
    const path = `/api/v1/warnings/${surge.id}/acknowledge`;
    expect((await call('POST', path, cookies.other, { requestKey: key() })).status).toBe(404);
    expect((await call('POST', path, cookies.admin, { requestKey: key() })).status).toBe(403);
    const k = key();
    const first = await call('POST', path, cookies.deputy, { requestKey: k });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: expect.any(String), version: surge.version + 1 });
    const again = await call('POST', path, cookies.deputy, { requestKey: k });
    expect(again).toEqual(first);
    expect((await call('POST', path, cookies.chief, { requestKey: key() })).status).toBe(409);
    // The same key on another warning is no retry: refused, and that warning stays as it was.
    const hot = (await mine('hotspot', `grid:${hotGrid}`))!;
    const reused = await call('POST', `/api/v1/warnings/${hot.id}/acknowledge`, cookies.deputy, { requestKey: k });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ error: 'request_key_reused' });
    expect((await mine('hotspot', `grid:${hotGrid}`))!.state).toBe('open');
    const { rows } = await ts.app.db.query(`SELECT 1 FROM audit_log WHERE action = 'warning.acknowledge' AND target = $1`, [`warning:${surge.id}`]);
    expect(rows).toHaveLength(1);
  });

  it('convert: an agenda item of the station’s next consultation, or a joint inspection task; idempotent', async () => {
    const risky = (await mine('place', `place:${place.id}`))!;
    const path = `/api/v1/warnings/${risky.id}/convert`;
    expect((await call('POST', path, cookies.other, { to: 'consultation', requestKey: key() })).status).toBe(404);
    const k = key();
    const done = await call('POST', path, cookies.deputy, { to: 'consultation', requestKey: k });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: 'converted', convertedTo: { kind: 'consultation' } });
    expect(done.body.acknowledgedAt).not.toBeNull();
    expect(await call('POST', path, cookies.deputy, { to: 'consultation', requestKey: k })).toEqual(done);
    const meeting = await call('GET', `/api/v1/consultations/${done.body.convertedTo.id}`, cookies.deputy);
    expect(meeting.status).toBe(200);
    expect(meeting.body.stationId).toBe(station);
    expect(['scheduled', 'open']).toContain(meeting.body.state);
    expect(meeting.body.agenda).toContainEqual({ kind: 'warning', label: `预警：${risky.title}`, eventId: null });

    const hot = (await mine('hotspot', `grid:${hotGrid}`))!;
    const task = await call('POST', `/api/v1/warnings/${hot.id}/convert`, cookies.chief, { to: 'inspection', requestKey: key(), note: '联合巡查测试' });
    expect(task.status).toBe(200);
    const { rows } = await ts.app.db.query(`SELECT station_id AS "stationId", state, note FROM inspection_tasks WHERE id = $1`, [task.body.convertedTo.id]);
    expect(rows[0]).toEqual({ stationId: station, state: 'open', note: '联合巡查测试' });
  });

  it('lists by scope: the station sees its own, another station none of them; the detail lists the events', async () => {
    const own = await call('GET', '/api/v1/warnings', cookies.deputy);
    const subjects = (own.body.warnings as WarningV1[]).filter((w) => w.stationId === station).map((w) => w.id);
    expect(subjects.length).toBeGreaterThanOrEqual(4);
    const other = await call('GET', '/api/v1/warnings', cookies.other);
    expect((other.body.warnings as WarningV1[]).filter((w) => w.stationId === station)).toEqual([]);
    const surge = (await mine('surge', `grid:${surgeGrid}:policy`))!;
    expect((await call('GET', `/api/v1/warnings/${surge.id}`, cookies.other)).status).toBe(404);
    const detail = await call('GET', `/api/v1/warnings/${surge.id}`, cookies.deputy);
    expect(detail.body.events.map((e: { id: number }) => e.id).sort()).toEqual([...recentSurge].sort());
  });

  it('clears a surge that is gone, and pushes that', async () => {
    const surge = (await mine('surge', `grid:${surgeGrid}:policy`))!;
    await ts.app.db.query(`DELETE FROM events WHERE id = ANY($1::bigint[])`, [recentSurge]);
    heard.deputy.length = 0;
    await run();
    const gone = (await warningsById(ts.app.db, [surge.id]))[0];
    expect(gone.state).toBe('cleared');
    expect(await waitFor(() => heard.deputy.some((w) => w.id === surge.id && w.state === 'cleared'))).toBe(true);
    // The converted place is still found, so it stays converted and active.
    expect((await mine('place', `place:${place.id}`))!.state).toBe('converted');
  });
});
