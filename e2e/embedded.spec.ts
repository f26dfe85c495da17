import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

// The newcomer's path: no DATABASE_URL, no REDIS_URL — embedded PGlite+PostGIS and the in-process bus.
const PORT = 3290;
let server: ChildProcess | undefined;
let dataDir = '';
let log = '';

test.beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'liandong-embedded-'));
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', PORT: String(PORT), DATA_DIR: dataDir, SIMULATE: '0' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), env });
  server.stdout?.on('data', (d: Buffer) => (log += d));
  server.stderr?.on('data', (d: Buffer) => (log += d));
});

test.afterAll(async () => {
  server?.kill('SIGTERM');
  await new Promise((resolve) => server?.once('exit', resolve));
  await rm(dataDir, { recursive: true, force: true });
});

test('npm start with no configuration serves from embedded PostGIS and the in-process bus', async ({ request, page }) => {
  test.setTimeout(300_000);
  await expect
    .poll(async () => (await request.get(`http://localhost:${PORT}/healthz`).catch(() => null))?.status() ?? 0, {
      timeout: 280_000,
      intervals: [1000],
    })
    .toBe(200);
  // Only the administrator sees what the server runs on (issue 10); the request context keeps the cookie.
  expect(Object.keys(await (await request.get(`http://localhost:${PORT}/healthz`)).json())).toEqual(['status']);
  expect((await request.post(`http://localhost:${PORT}/api/v1/auth/login`, { data: { username: 'admin', password: 'demo1234' } })).status()).toBe(200);
  const health = await (await request.get(`http://localhost:${PORT}/healthz`)).json();
  expect(health.database).toMatchObject({ kind: 'embedded-pglite', ok: true });
  expect(health.bus).toMatchObject({ kind: 'memory', ok: true });
  expect(log).toMatch(/in-process bus/);
  expect(log).toMatch(/demo accounts/);

  await page.goto(`http://localhost:${PORT}/wall?display=demo-wall`);
  await expect(page.locator('body')).toHaveAttribute('data-wall-ready', '1', { timeout: 60_000 });
});
