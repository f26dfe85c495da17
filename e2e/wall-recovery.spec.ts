import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { createRedisBus } from '../server/bus/redis';
import { createPool } from '../server/db/pool';
import { ReferenceCache } from '../server/events/reference';
import { reportEvent } from '../server/events/report';

// A server of this spec's own (it is killed and restarted), on the test database and Redis.
const PORT = 3295;
// The prefix of the main e2e server: processes on one database are one deployment and share its outbox (server/outbox/publisher.ts).
const PREFIX = 'e2e:';
const DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liandong_test';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BASE = `http://localhost:${PORT}`;

let server: ChildProcess | undefined;

async function startServer(): Promise<void> {
  server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(PORT), DATABASE_URL: DB, REDIS_URL: REDIS, BUS_PREFIX: PREFIX, SIMULATE: '0' },
    stdio: 'ignore',
  });
  await expect.poll(async () => (await fetch(`${BASE}/healthz`).catch(() => null))?.status ?? 0, { timeout: 120_000, intervals: [500] }).toBe(200);
}

async function stopServer(): Promise<void> {
  const s = server;
  server = undefined;
  if (!s || s.exitCode !== null) return;
  const exited = new Promise((resolve) => s.once('exit', resolve));
  s.kill('SIGTERM');
  await exited;
}

const synced = (page: Page) =>
  page.evaluate(() => {
    const v = window.__wall?.store?.getState();
    return Boolean(v?.connected && v.synced && v.unitsLoaded && v.incidentsLoaded);
  });

test.beforeAll(startServer);
test.afterAll(stopServer);

test('an incident committed and published into Redis appears on the wall and in the feed within 1 s', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${BASE}/wall?display=demo-wall`);
  await expect.poll(() => synced(page), { timeout: 60_000 }).toBe(true);

  const db = createPool(DB, 1);
  const bus = await createRedisBus(REDIS, PREFIX);
  try {
    const { rows } = await db.query<{ lon: number; lat: number; name: string }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat, name FROM (SELECT ST_PointOnSurface(geom) AS p, name FROM regions WHERE level = 'village' ORDER BY code LIMIT 1) x`,
    );
    const title = `${rows[0].name}邻里噪音纠纷（端到端测试 ${Date.now()}）`;
    const deps = { db, bus, reference: new ReferenceCache(db) };
    // Software WebGL takes seconds to draw the wall the first time; a command room's GPU does not.
    await expect(page.locator('body')).toHaveAttribute('data-wall-ready', '1', { timeout: 60_000 });
    const incident = await reportEvent(
      deps,
      { source: 'simulator', accountId: null, role: 'system', name: 'e2e' },
      { v: 1, idempotencyKey: `e2e-${Date.now()}`, category: 'dispute', subcategory: 'dispute.neighbour', title, location: { lon: rows[0].lon, lat: rows[0].lat }, photos: [] },
    );
    // reportEvent returns once the incident is committed and published: the clock starts there.
    const t0 = Date.now();
    await expect(page.getByText(title)).toBeVisible({ timeout: 1000 });
    expect(Date.now() - t0).toBeLessThan(1000);
    const onMap = await page.evaluate((id) => window.__wall!.store!.getState().incidents.some((i) => i.id === id), incident.id);
    expect(onMap).toBe(true);
  } finally {
    await bus.close();
    await db.end();
  }
});

test('when the server is killed and restarted, the wall reconnects and resynchronises by itself', async ({ page }) => {
  await page.goto(`${BASE}/wall?display=demo-wall`);
  await expect.poll(() => synced(page), { timeout: 60_000 }).toBe(true);
  const snapshotsBefore = await page.evaluate(() => window.__wall!.store!.stats.snapshots);

  await stopServer();
  await expect.poll(() => page.evaluate(() => window.__wall!.store!.getState().connected), { timeout: 15_000 }).toBe(false);
  await startServer();
  await expect.poll(() => synced(page), { timeout: 60_000 }).toBe(true);
  expect(await page.evaluate(() => window.__wall!.store!.stats.snapshots)).toBeGreaterThan(snapshotsBefore);

  // And it is live again: a fix posted now reaches the wall.
  const units = (await (await page.request.get(`${BASE}/api/v1/units`)).json()) as { id: number; code: string; kind: string }[];
  const unit = units.filter((u) => u.kind === 'volunteer')[3];
  const start = await page.evaluate((id) => window.__wall!.store!.unit(id), unit.id);
  // A unit with no fix yet starts from the map's centre: the map must have drawn (synced is the socket, not the map).
  await expect(page.locator('body')).toHaveAttribute('data-wall-ready', '1', { timeout: 60_000 });
  const center = await page.evaluate(() => window.__wall!.map!.getCenter());
  const fix = { lon: Math.round(((start?.lon ?? center.lng) + 0.0001) * 1e6) / 1e6, lat: Math.round((start?.lat ?? center.lat) * 1e6) / 1e6, t: Math.max(Date.now(), (start?.t ?? 0) + 1000) };
  const res = await page.request.post(`${BASE}/api/v1/positions`, {
    headers: { authorization: 'Bearer demo-device-token' },
    data: { v: 1, positions: [{ unit: unit.code, ...fix }] },
  });
  expect(await res.json()).toMatchObject({ accepted: 1 });
  await expect.poll(() => page.evaluate((id) => window.__wall!.store!.unit(id)?.t ?? 0, unit.id), { timeout: 10_000 }).toBe(fix.t);
});
