import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { rasterFixture, solidPng } from '../server/basemap/fixture';
import { foreign, recordRequests } from './airgap';

/*
 * Issue 13's optional basemap in Chromium. The shared e2e server runs with no basemap (the default,
 * which e2e/wall.spec.ts's air-gap test covers); a basemap is a start-up setting, so this spec
 * starts servers of its own on the same database, each configured as a deployment would be.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DB = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liandong_test';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Beside the shared e2e server's port (e2e/playwright.config.ts), so parallel checkouts on other ports do not collide. */
const PORT = Number(process.env.E2E_PORT ?? 3210);

type Started = { url: string; stop(): Promise<void> };

async function startServer(port: number, dataDir: string, basemap: Record<string, string>): Promise<Started> {
  let log = '';
  const env: NodeJS.ProcessEnv = {
    ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', PORT: String(port), DATA_DIR: dataDir,
    DATABASE_URL: DB, REDIS_URL: REDIS, BUS_PREFIX: `e2e-basemap-${port}:`, SIMULATE: '0', LOG_LEVEL: 'warn', ...basemap,
  };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env });
  child.stdout?.on('data', (d: Buffer) => (log += d));
  child.stderr?.on('data', (d: Buffer) => (log += d));
  const url = `http://localhost:${port}`;
  await expect
    .poll(async () => (child.exitCode === null ? await fetch(`${url}/healthz`).then((r) => r.status, () => 0) : -1), { timeout: 120_000, intervals: [500] })
    .toBe(200)
    .catch((error: unknown) => {
      child.kill('SIGTERM');
      throw new Error(`server on ${port} did not start: ${String(error)}\n${log.slice(-2000)}`);
    });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** CSP refusals, as Chromium reports them. */
async function policyErrors(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  await page.exposeFunction('__cspViolation', (v: string) => seen.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __cspViolation(v: string): void }).__cspViolation(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
  return seen;
}

type MapProbe = { source: string | null; layer: boolean; below: boolean; loaded: boolean };

/** What the wall's map holds of the basemap: its source type, its layer, whether that sits under all of ours. */
function probe(page: Page): Promise<MapProbe> {
  return page.evaluate(() => {
    type M = {
      getSource(id: string): { type: string } | undefined;
      getLayer(id: string): unknown;
      getStyle(): { layers: { id: string }[] };
      isSourceLoaded(id: string): boolean;
    };
    const map = (window as unknown as { __wall?: { map?: M } }).__wall?.map;
    if (!map) return { source: null, layer: false, below: false, loaded: false };
    const ids = map.getStyle().layers.map((l) => l.id);
    const source = map.getSource('basemap')?.type ?? null;
    return {
      source,
      layer: !!map.getLayer('basemap-raster'),
      below: ids.indexOf('basemap-raster') > 0 && ids.indexOf('basemap-raster') < ids.indexOf('band-fill'),
      loaded: source !== null && map.isSourceLoaded('basemap'),
    };
  });
}

async function openWall(page: Page, base: string): Promise<void> {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${base}/wall?display=demo-wall`);
  await expect(page.locator('body')).toHaveAttribute('data-wall-ready', '1', { timeout: 60_000 });
}

test.describe.configure({ mode: 'serial' });

test('default: no basemap is drawn and nothing names one', async ({ page, baseURL }) => {
  const urls = recordRequests(page);
  await openWall(page, baseURL!);
  expect(await probe(page)).toMatchObject({ source: null, layer: false });
  await expect(page.getByTestId('basemap-attribution')).toHaveCount(0);
  expect(urls.filter((u) => u.includes('/api/v1/basemap/'))).toEqual([]);
  expect(foreign(urls, baseURL!)).toEqual([]);
});

test('a PMTiles file in the data folder is read from our origin by ranges and drawn under every layer', async ({ page }) => {
  test.setTimeout(240_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'liandong-basemap-e2e-'));
  mkdirSync(path.join(dataDir, 'basemap'));
  writeFileSync(path.join(dataDir, 'basemap', 'nanxun.pmtiles'), rasterFixture());
  const server = await startServer(PORT + 101, dataDir, { BASEMAP_PMTILES: 'nanxun.pmtiles', BASEMAP_DATUM: 'wgs84', BASEMAP_ATTRIBUTION: '南浔测试底图' });
  try {
    const urls = recordRequests(page);
    const violations = await policyErrors(page);
    const ranges: number[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/api/v1/basemap/tiles.pmtiles')) ranges.push(r.status());
    });
    await openWall(page, server.url);
    await expect(page.getByTestId('basemap-attribution')).toHaveText('底图：南浔测试底图 · 坐标系 WGS-84');
    await expect.poll(() => probe(page), { timeout: 30_000 }).toEqual({ source: 'raster', layer: true, below: true, loaded: true });
    // The archive's header, then at least one tile: each a 206 of its own range.
    expect(ranges.length).toBeGreaterThanOrEqual(2);
    expect(ranges.every((s) => s === 206)).toBe(true);
    expect(foreign(urls, server.url)).toEqual([]);
    expect(violations).toEqual([]);
    await page.screenshot({ path: 'test-results/basemap-pmtiles.png' });
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an XYZ template on another host: tiles come from that host only, allowed by the CSP, and nothing else leaves', async ({ page }) => {
  test.setTimeout(240_000);
  // Stands in for 天地图: another origin (127.0.0.1, not localhost) serving one PNG for every tile.
  const tiles: string[] = [];
  const png = solidPng([200, 180, 120]);
  const tileServer: Server = createServer((req, res) => {
    tiles.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(png);
  });
  await new Promise<void>((resolve) => tileServer.listen(0, '127.0.0.1', resolve));
  const tileOrigin = `http://127.0.0.1:${(tileServer.address() as AddressInfo).port}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'liandong-basemap-e2e-'));
  const server = await startServer(PORT + 102, dataDir, {
    BASEMAP_URL: `${tileOrigin}/vec_w/wmts?TILEMATRIXSET=w&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=test`,
    BASEMAP_DATUM: 'cgcs2000',
  });
  try {
    const urls = recordRequests(page);
    const violations = await policyErrors(page);
    const res = await page.request.get(`${server.url}/healthz`);
    const csp = res.headers()['content-security-policy'];
    expect(csp).toContain(`connect-src 'self' ${tileOrigin};`);
    await openWall(page, server.url);
    await expect(page.getByTestId('basemap-attribution')).toHaveText('底图：127.0.0.1 · 坐标系 CGCS2000');
    await expect.poll(() => probe(page), { timeout: 30_000 }).toEqual({ source: 'raster', layer: true, below: true, loaded: true });
    expect(tiles.length).toBeGreaterThan(0);
    expect(tiles.every((t) => /^\/vec_w\/wmts\?TILEMATRIXSET=w&TILEMATRIX=\d+&TILEROW=\d+&TILECOL=\d+&tk=test$/.test(t))).toBe(true);
    expect(foreign(urls, server.url).filter((u) => !u.startsWith(`${tileOrigin}/`))).toEqual([]);
    expect(violations).toEqual([]);
    await page.screenshot({ path: 'test-results/basemap-xyz.png' });
  } finally {
    await server.stop();
    await new Promise((resolve) => tileServer.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
