import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '@/lib/contracts/live';
import { readTick } from '@/lib/live/pack';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../test/env';
import { login, withTestServer } from '../test/server';

const PREFIX = `livetest:${process.pid}:`;
const a = withTestServer(PREFIX);
let b: { url: string; child: ChildProcess };
const sockets: Socket[] = [];

beforeAll(async () => {
  // A second server PROCESS on the same Redis and bus prefix: one cluster of two.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/test/stack-process.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, BUS_PREFIX: PREFIX, TEST_DATABASE_URL, TEST_REDIS_URL, PORT: '0' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const m = /ready (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    child.on('exit', (code) => reject(new Error(`second process exited ${code}`)));
  });
  b = { url, child };
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  b?.child.kill('SIGTERM');
});

function open(url: string, ns: string, cookie: string): Socket {
  const s = connect(`${url}${ns}`, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
  sockets.push(s);
  return s;
}

async function connected(s: Socket): Promise<Socket> {
  if (!s.connected) await new Promise<void>((resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)));
  return s;
}

/** Resolves with the first tick that carries `unitId`, decoded. */
function tickWith(s: Socket, unitId: number): Promise<{ lon: number; lat: number; seq: number }> {
  return new Promise((resolve) => {
    const onTick = (buf: ArrayBuffer | Uint8Array) => {
      const tick = readTick(buf instanceof Uint8Array ? buf : new Uint8Array(buf));
      tick.forEach((id, lon, lat) => {
        if (id === unitId) {
          s.off('pos', onTick);
          resolve({ lon, lat, seq: tick.seq });
        }
      });
    };
    s.on('pos', onTick);
  });
}

/** A unit of the demo deputy's station (their screens hear only it, issue 10), or of another station. */
async function someUnit(offset = 0, ofDeputysStation = true): Promise<{ id: number; code: string; lon: number; lat: number }> {
  const { rows } = await a.app.db.query(
    `SELECT id, code, ST_X(last_position) AS lon, ST_Y(last_position) AS lat FROM units
      WHERE (station_id = (SELECT station_id FROM accounts WHERE username = 'deputy')) = $2 ORDER BY id OFFSET $1 LIMIT 1`,
    [offset, ofDeputysStation],
  );
  return rows[0];
}

/** A wall display's session cookie, as a command-room screen gets it from /wall?display=<token>. */
async function displayCookie(url: string, token = 'demo-wall'): Promise<string> {
  const res = await fetch(`${url}/wall?display=${token}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

const post = (url: string, body: unknown, token = 'demo-device-token') =>
  fetch(`${url}/api/v1/positions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

describe('live backbone on real Redis', () => {
  it('a position posted to one process reaches wall sockets on both processes', async () => {
    const cookie = await login(a.url, 'deputy');
    const onA = await connected(open(a.url, '/live', cookie));
    const onB = await connected(open(b.url, '/live', cookie));
    const unit = await someUnit(3);
    const pos = { unit: unit.code, t: Date.now(), lon: unit.lon + 0.0001, lat: unit.lat };
    const gotA = tickWith(onA, unit.id);
    const gotB = tickWith(onB, unit.id);
    const res = await post(a.url, { v: 1, positions: [pos] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
    for (const got of await Promise.all([gotA, gotB])) {
      expect(got.lon).toBeCloseTo(pos.lon, 6);
      expect(got.lat).toBeCloseTo(pos.lat, 6);
    }
  });

  it('a bad item in a batch is rejected with its reason while the rest pass', async () => {
    const u1 = await someUnit(5);
    const u2 = await someUnit(6);
    const now = Date.now();
    const res = await post(a.url, {
      v: 1,
      positions: [
        { unit: u1.code, t: now, lon: u1.lon, lat: u1.lat },
        { unit: u2.code, t: now, lon: 116.4, lat: 39.9 },
        { unit: 'no-such-unit', t: now, lon: u1.lon, lat: u1.lat },
        { unit: u2.code, t: now + 3_600_000, lon: u2.lon, lat: u2.lat },
        { unit: u2.code, t: now, lon: u2.lon, lat: u2.lat },
      ],
    });
    const body = await res.json();
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual([
      [1, 'outside_area'],
      [2, 'unknown_unit'],
      [3, 'future'],
    ]);
  });

  it('refuses a wrong device token with 401', async () => {
    expect((await post(a.url, { v: 1, positions: [] }, 'nope')).status).toBe(401);
  });

  it('history reaches PostGIS in a batch within about a second', async () => {
    const unit = await someUnit(7);
    const t = Date.now();
    await post(a.url, { v: 1, positions: [{ unit: unit.code, t, lon: unit.lon, lat: unit.lat }] });
    await expect
      .poll(async () => (await a.app.db.query('SELECT count(*)::int AS n FROM positions WHERE unit_id = $1 AND at = to_timestamp($2 / 1000.0)', [unit.id, t])).rows[0].n, { timeout: 5000 })
      .toBe(1);
  });

  it('an outside system publishing on the Redis stream is validated and fanned out', async () => {
    const cookie = await login(a.url, 'deputy');
    const onB = await connected(open(b.url, '/live', cookie));
    const unit = await someUnit(8);
    const got = tickWith(onB, unit.id);
    const redis = new Redis(TEST_REDIS_URL);
    await redis.xadd(`${PREFIX}${CHANNELS.positionsIn}`, '*', 'p', JSON.stringify({ v: 1, positions: [{ unit: unit.code, t: Date.now(), lon: unit.lon, lat: unit.lat + 0.0001 }] }));
    redis.disconnect();
    expect((await got).lat).toBeCloseTo(unit.lat + 0.0001, 6);
  });

  it('a message to one account reaches its socket on the other process', async () => {
    const cookie = await login(a.url, 'gridder');
    const phone = await connected(open(b.url, '/field', cookie));
    const { rows } = await a.app.db.query(`SELECT id FROM accounts WHERE username = 'gridder'`);
    const got = new Promise((resolve) => phone.once('task', resolve));
    a.stack.io.io.of('/field').to(`account:${rows[0].id}`).emit('task', { id: 42 });
    expect(await got).toEqual({ id: 42 });
  });

  it('a snapshot from either process carries the latest fix of a unit that reported', async () => {
    const cookie = await login(a.url, 'deputy');
    const unit = await someUnit(9);
    const t = Date.now();
    const onB = await connected(open(b.url, '/live', cookie));
    const seen = tickWith(onB, unit.id);
    await post(a.url, { v: 1, positions: [{ unit: unit.code, t, lon: unit.lon, lat: unit.lat - 0.0002 }] });
    await seen;
    const snap = await onB.emitWithAck('snapshot');
    const found: number[] = [];
    const tick = readTick(new Uint8Array(snap.positions));
    tick.forEach((id, _lon, lat, at) => id === unit.id && found.push(lat, at));
    expect(found[0]).toBeCloseTo(unit.lat - 0.0002, 6);
    expect(found[1]).toBe(t);
    expect(tick.seq).toBe(snap.seq);
  });

  it('a station’s screen hears its own station’s units only; a district wall hears all (issue 10)', async () => {
    const station = await connected(open(a.url, '/live', await login(a.url, 'deputy')));
    const wall = await connected(open(b.url, '/live', await displayCookie(a.url)));
    const mine = await someUnit(11);
    const theirs = await someUnit(11, false);
    const heard: number[] = [];
    station.on('pos', (buf: ArrayBuffer) => readTick(new Uint8Array(buf)).forEach((id) => heard.push(id)));
    const wallSeesTheirs = tickWith(wall, theirs.id);
    const wallSeesMine = tickWith(wall, mine.id);
    const stationSeesMine = tickWith(station, mine.id);
    const t = Date.now();
    await post(a.url, { v: 1, positions: [{ unit: theirs.code, t, lon: theirs.lon, lat: theirs.lat }, { unit: mine.code, t, lon: mine.lon, lat: mine.lat }] });
    await Promise.all([wallSeesTheirs, wallSeesMine, stationSeesMine]);
    await new Promise((r) => setTimeout(r, 600));
    expect(heard).toContain(mine.id);
    expect(heard).not.toContain(theirs.id);
    const snap = await station.emitWithAck('snapshot');
    const inSnapshot: number[] = [];
    readTick(new Uint8Array(snap.positions)).forEach((id) => inSnapshot.push(id));
    expect(inSnapshot).toContain(mine.id);
    expect(inSnapshot).not.toContain(theirs.id);
  });

  it('a phone reports only its own unit', async () => {
    const cookie = await login(a.url, 'gridder');
    const phone = await connected(open(a.url, '/field', cookie));
    const other = await someUnit(0);
    const reply = await phone.emitWithAck('pos', [{ unit: other.code, t: Date.now(), lon: other.lon, lat: other.lat }]);
    expect(reply.rejected[0]?.reason).toBe('unknown_unit');
  });
});
