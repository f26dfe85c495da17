import { expect, test, type APIRequestContext } from '@playwright/test';
import { foreign, recordRequests } from './airgap';
import { fixOnWall, wallLive } from './screens';

const DEVICE_TOKEN = 'demo-device-token';

type UnitRow = { id: number; code: string; kind: string };
type Fix = { lon: number; lat: number; t: number };

/** The wire carries degrees × 1e6 as integers; a fix rounded so keeps its value to the last bit. */
const micro = (deg: number) => Math.round(deg * 1e6) / 1e6;

async function post(request: APIRequestContext, code: string, fix: Fix): Promise<void> {
  const res = await request.post('/api/v1/positions', {
    headers: { authorization: `Bearer ${DEVICE_TOKEN}` },
    data: { v: 1, positions: [{ unit: code, t: fix.t, lon: fix.lon, lat: fix.lat }] },
  });
  expect(res.ok()).toBe(true);
  expect(await res.json()).toMatchObject({ accepted: 1, rejected: [] });
}

test('a posted position moves its unit on the live wall, which asks no host but its own', async ({ page, baseURL }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  const urls = recordRequests(page);
  await page.goto('/wall?display=demo-wall');
  await wallLive(page);

  // The page's request context carries the display session cookie.
  const units = (await (await page.request.get('/api/v1/units')).json()) as UnitRow[];
  const unit = units.find((u) => u.kind === 'gridder') ?? units[0];
  expect(unit).toBeTruthy();

  // Redis keeps each unit's latest fix between runs: walk on from there so the step is a plausible one.
  const before = await fixOnWall(page, unit.id);
  const start = before ?? (await page.evaluate(() => {
    const c = window.__wall!.map!.getCenter();
    return { lon: c.lng, lat: c.lat, t: 0 };
  }));
  const first: Fix = { lon: micro(start.lon + 0.0002), lat: micro(start.lat + 0.0001), t: Math.max(Date.now(), start.t + 1000) };
  await post(page.request, unit.code, first);
  await expect.poll(() => fixOnWall(page, unit.id), { timeout: 15_000 }).toEqual(first);

  // ~20 m on, 2 s later: the same dot moves, it does not appear twice.
  const second: Fix = { lon: micro(first.lon + 0.0002), lat: first.lat, t: first.t + 2000 };
  const count = await page.evaluate(() => window.__wall!.store!.table.count);
  await post(page.request, unit.code, second);
  await expect.poll(() => fixOnWall(page, unit.id), { timeout: 15_000 }).toEqual(second);
  expect(await page.evaluate(() => window.__wall!.store!.table.count)).toBe(count);

  // A fresh fix counts the unit online in 在线力量, and no tick went missing on the way.
  await expect(page.getByTestId('online-count')).not.toHaveText('0');
  const stats = await page.evaluate(() => window.__wall!.store!.stats);
  expect(stats.ticks).toBeGreaterThanOrEqual(1);
  expect(stats.tickGaps).toBe(0);

  await page.screenshot({ path: 'test-results/wall-live-1920x1080.png' });
  expect(urls.some((u) => u.includes('/socket.io/'))).toBe(true);
  expect(foreign(urls, baseURL!)).toEqual([]);
});
