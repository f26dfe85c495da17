import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LATEST_KEY } from '@/lib/contracts/live';
import { NO_GEOGRAPHY } from '@/lib/live/validate';
import { issueSetupToken } from '../auth/setup';
import { hashToken } from '../auth/token';
import { migrate } from '../db/migrate';
import { createPool, type Db } from '../db/pool';
import { GEO_OUT } from '../seed/geography';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../test/env';
import { startStack, type Stack } from '../test/stack';

// Issue 10: a production database starts with no geography; the server must still start and serve.
const NAME = `liandong_empty_${randomBytes(4).toString('hex')}`;
const urlOf = (database: string) => Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${database}` }).toString();
const PREFIX = `emptygeo:${process.pid}:`;
const TOKEN = `empty-geography-${randomBytes(8).toString('hex')}`;
const ROOT = path.resolve(GEO_OUT, '../..');
/** UNIT_RELOAD_MS in server/live/index.ts. */
const RELOAD_MS = 60_000;

let admin: pg.Client;
let db: Db;
let stack: Stack;
let dir = '';

beforeAll(async () => {
  admin = new pg.Client({ connectionString: urlOf('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${NAME}`);
  db = createPool(urlOf(NAME), 2);
  await migrate(db);
  await db.query(`INSERT INTO units (code, name, kind) VALUES ('E-1', '空库测试', 'gridder')`);
  await db.query(`INSERT INTO device_tokens (name, token_hash) VALUES ('空库测试网关', $1)`, [hashToken(TOKEN)]);
  // Only intervals are faked, so the test decides when the live path's periodic reload runs.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  stack = await startStack(PREFIX, 0, urlOf(NAME));
});

afterAll(async () => {
  await stack?.close();
  vi.useRealTimers();
  await db?.end();
  await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await admin.end();
  const redis = new Redis(TEST_REDIS_URL);
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function post(lon: number, lat: number): Promise<{ accepted: number; rejected: { index: number; reason: string; message: string }[] }> {
  const res = await fetch(`${stack.url}/api/v1/positions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ v: 1, positions: [{ unit: 'E-1', t: Date.now() - 1000, lon, lat }] }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

async function written(): Promise<{ positions: number; latest: number }> {
  await stack.app.live!.history.flush();
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM positions');
  return { positions: rows[0].n, latest: Object.keys(await stack.app.bus.hgetall(LATEST_KEY)).length };
}

/** The operator's way in: the real CLI, a district file with only `code` and `name`. */
async function importDistrict(): Promise<{ code: number; stdout: string; stderr: string }> {
  const demo = JSON.parse(await readFile(path.join(GEO_OUT, 'district.geojson'), 'utf8'));
  const outline = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: demo.features[0].geometry, properties: { code: '330503', name: '南浔区' } }] };
  dir = await mkdtemp(path.join(os.tmpdir(), 'liandong-empty-'));
  const file = path.join(dir, 'district.geojson');
  await writeFile(file, JSON.stringify(outline));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/geo/import-cli.ts', file, '--level', 'district'],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: urlOf(NAME), REDIS_URL: '' } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

// Inside Nanxun (the demo outline imported below).
const INSIDE = { lon: 120.43, lat: 30.88 };

describe('a server on an empty geography', () => {
  it('starts and answers /healthz', async () => {
    const res = await fetch(`${stack.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('refuses every position, saying the geography is missing, and writes nothing', async () => {
    const result = await post(INSIDE.lon, INSIDE.lat);
    expect(result).toEqual({ accepted: 0, rejected: [{ index: 0, reason: 'no_geography', message: NO_GEOGRAPHY }] });
    expect(await written()).toEqual({ positions: 0, latest: 0 });
  });

  it('takes positions inside the district once its outline is imported and the area reloaded', async () => {
    const run = await importDistrict();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/imported 1 district features/);
    // Until the reload the running server still knows no district.
    expect((await post(INSIDE.lon, INSIDE.lat)).accepted).toBe(0);

    vi.advanceTimersByTime(RELOAD_MS);
    await vi.waitFor(async () => expect((await post(INSIDE.lon, INSIDE.lat)).accepted).toBe(1), { timeout: 5000 });
    expect(await written()).toEqual({ positions: 1, latest: 1 });
    const outside = await post(116.4, 39.9);
    expect(outside.rejected).toMatchObject([{ reason: 'outside_area', message: expect.stringMatching(/outside the district/) }]);
  });
});

describe('the first administrator of an empty system (issue 10)', () => {
  const setup = (body: Record<string, unknown>) =>
    fetch(`${stack.url}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('is made once through the one-time link, which then stops working; the new admin is signed in', async () => {
    const token = await issueSetupToken(db);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const stored = await db.query<{ token_hash: string }>(`SELECT token_hash FROM setup_tokens WHERE used_at IS NULL`);
    expect(stored.rows.map((r) => r.token_hash)).toEqual([hashToken(token!)]);

    const wrong = await setup({ token: 'x'.repeat(32), username: 'first', password: 'a-long-password', displayName: '管理员' });
    expect(wrong.status).toBe(403);
    const weak = await setup({ token, username: 'first', password: 'short', displayName: '管理员' });
    expect(weak.status).toBe(400);
    expect((await weak.json()).issues[0].path).toBe('body.password');

    const made = await setup({ token, username: 'first', password: 'a-long-password', displayName: '首任管理员' });
    expect(made.status).toBe(201);
    const cookie = (made.headers.get('set-cookie') ?? '').split(';')[0];
    const me = await (await fetch(`${stack.url}/api/v1/auth/me`, { headers: { cookie } })).json();
    expect(me).toMatchObject({ role: 'admin', name: '首任管理员', stationId: null });
    expect((await setup({ token, username: 'second', password: 'a-long-password', displayName: '又一个' })).status).toBe(403);
    // With an administrator in place no new link is issued.
    expect(await issueSetupToken(db)).toBeNull();
    const { rows } = await db.query(`SELECT action FROM audit_log WHERE action = 'account.create' AND detail->>'via' = 'setup'`);
    expect(rows).toHaveLength(1);
  });
});
