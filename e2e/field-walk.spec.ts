import { expect, test, type Page } from '@playwright/test';
import { foreign, recordRequests } from './airgap';
import { DESK, fixOnWall, loggedIn, PHONE, query, wallLive } from './screens';

/*
 * Issue 12's acceptance: a gridder's phone goes on duty and walks; the wall shows it moving; the
 * signal drops, the walk goes on, the signal returns, and the fixes taken meanwhile land in the
 * history in order with their own times; the console replays the walk.
 */

interface Point {
  longitude: number;
  latitude: number;
}

/** About 25 m east (at ~30° N); a walk at ~5 m/s, well within what the server believes. */
const STEP_DEG = 0.00026;
/** The phone keeps about one reading every 5 s while moving (app/field/tracker.ts): each step waits longer. */
const STEP_MS = 5_500;

async function step(page: Page, ctx: import('@playwright/test').BrowserContext, to: Point): Promise<void> {
  await ctx.setGeolocation(to);
  await page.waitForTimeout(STEP_MS);
}

test('a phone on duty walks; the wall shows it; fixes taken offline land in order with their own times', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const [me] = await query<{ unitId: number; code: string; lon: number | null; lat: number | null }>(
    `SELECT u.id AS "unitId", u.code, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
       FROM accounts a JOIN units u ON u.person_id = a.person_id
       LEFT JOIN regions g ON g.code = (SELECT min(r.code) FROM regions r JOIN station_villages sv ON sv.village_code = r.parent_code WHERE r.level = 'grid' AND sv.station_id = u.station_id)
      WHERE a.username = 'gridder'`,
  );
  expect(me).toBeTruthy();

  const wallCtx = await browser.newContext(DESK);
  const wall = await wallCtx.newPage();
  await wall.goto('/wall?display=demo-wall');
  await wallLive(wall);
  // Walk on from where the unit was last seen (Redis keeps it between runs), so the first step is plausible.
  const seen = await fixOnWall(wall, me.unitId);
  const start: Point = seen ? { longitude: seen.lon, latitude: seen.lat } : { longitude: me.lon!, latitude: me.lat! };
  const route: Point[] = Array.from({ length: 8 }, (_, i) => ({ longitude: start.longitude + (i + 1) * STEP_DEG, latitude: start.latitude + (i % 2) * 0.00005 }));

  // A reading's time is when the position was set (as a phone's is when it was measured): the start point's is now.
  const since = Date.now() - 1000;
  const phoneCtx = await loggedIn(browser, 'gridder', { ...PHONE, geolocation: start, permissions: ['geolocation'] });
  const phone = await phoneCtx.newPage();
  const urls = recordRequests(phone);
  await phone.goto('/field');
  await expect.poll(() => phone.evaluate(() => window.__field?.ready === true), { timeout: 60_000 }).toBe(true);

  const bar = phone.getByTestId('duty-bar');
  const toggle = phone.getByTestId('duty-toggle');
  // A run before may have left the gridder on duty: start from off.
  if ((await bar.getAttribute('data-on-duty')) === 'true') {
    await toggle.click();
    await expect(bar).toHaveAttribute('data-on-duty', 'false');
    await expect(bar).toHaveAttribute('data-syncing', 'false');
  }
  await expect(toggle).toHaveText('上岗');
  await toggle.click();
  await expect(bar).toHaveAttribute('data-on-duty', 'true');
  await expect(bar).toHaveAttribute('data-syncing', 'false');
  await expect(phone.getByTestId('duty-state')).toContainText('在岗');
  const [shift] = await query<{ source: string }>(`SELECT source FROM duty_shifts WHERE unit_id = $1 AND ended_at IS NULL`, [me.unitId]);
  expect(shift).toEqual({ source: 'field' });

  // On duty the start point goes out at once; the wall moves the unit there within a tick or two.
  const onWall = (p: Point) => expect.poll(async () => {
    const f = await fixOnWall(wall, me.unitId);
    return f && Math.abs(f.lon - p.longitude) < 2e-6 && Math.abs(f.lat - p.latitude) < 2e-6;
  }, { timeout: 15_000 }).toBe(true);
  await onWall(start);

  // Walking with a signal: each step shows on the wall.
  await phone.waitForTimeout(STEP_MS);
  for (const p of route.slice(0, 3)) {
    await step(phone, phoneCtx, p);
    await onWall(p);
  }

  // The signal drops: the walk goes on, the fixes wait on the phone, the wall keeps the last it had.
  await phoneCtx.setOffline(true);
  const offline = route.slice(3, 6);
  for (const p of offline) await step(phone, phoneCtx, p);
  await expect(phone.getByTestId('fixes-waiting')).toHaveAttribute('data-count', String(offline.length));
  const beforeBack = await fixOnWall(wall, me.unitId);
  expect(beforeBack!.lon).toBeCloseTo(route[2].longitude, 5);
  const back = Date.now();

  // The signal returns: the waiting fixes go out in order, the wall catches up, the phone walks on.
  await phoneCtx.setOffline(false);
  await expect(phone.getByTestId('fixes-waiting')).toHaveCount(0, { timeout: 30_000 });
  await onWall(offline.at(-1)!);
  for (const p of route.slice(6)) {
    await step(phone, phoneCtx, p);
    await onWall(p);
  }

  // The history holds the whole walk, in order; the offline part carries the times it was walked, not the time it was sent.
  const rows = await query<{ t: number; lon: number; lat: number }>(
    `SELECT extract(epoch FROM at) * 1000 AS t, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM positions WHERE unit_id = $1 AND at >= to_timestamp($2 / 1000.0) ORDER BY at`,
    [me.unitId, since],
  );
  const walked = [start, ...route];
  const index = (p: Point) => rows.findIndex((r) => Math.abs(r.lon - p.longitude) < 1e-7 && Math.abs(r.lat - p.latitude) < 1e-7);
  const found = walked.map(index);
  expect(found.every((i) => i >= 0), JSON.stringify({ found, rows })).toBe(true);
  expect([...found].sort((a, b) => a - b)).toEqual(found);
  for (const p of offline) {
    const t = Number(rows[index(p)].t);
    expect(t).toBeLessThan(back);
    expect(t).toBeGreaterThan(since);
  }
  // About one every 5 s while walking: no two kept readings closer than the tracker allows.
  for (let i = 1; i < rows.length; i++) expect(Number(rows[i].t) - Number(rows[i - 1].t)).toBeGreaterThanOrEqual(4_500);

  // 下岗: the shift ends, and the phone stops watching.
  await toggle.click();
  await expect(bar).toHaveAttribute('data-on-duty', 'false');
  // The phone flips at once and says 待同步 until the server has recorded the end of the shift.
  await expect(bar).toHaveAttribute('data-syncing', 'false');
  const [ended] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM duty_shifts WHERE unit_id = $1 AND ended_at IS NULL`, [me.unitId]);
  expect(ended.n).toBe(0);

  // The deputy chief replays the walk on the console: the trace holds every fix walked, and the clock runs.
  const deskCtx = await loggedIn(browser, 'deputy', DESK);
  const desk = await deskCtx.newPage();
  const deskUrls = recordRequests(desk);
  await desk.goto('/console/history');
  const form = desk.getByRole('form', { name: '回放条件' });
  await form.getByRole('combobox').selectOption(String(me.unitId));
  await form.getByRole('button', { name: '加载回放' }).click();
  const summary = desk.getByTestId('replay-summary');
  await expect(summary).toContainText('1/1 个单元有轨迹');
  const points = Number(/(\d+) 个点位/.exec((await summary.textContent()) ?? '')?.[1]);
  expect(points).toBeGreaterThanOrEqual(walked.length);
  const clock = desk.getByTestId('replay-time');
  const before = await clock.textContent();
  await desk.getByRole('radio', { name: '300×' }).click();
  await desk.getByRole('button', { name: '播放' }).click();
  await expect(clock).not.toHaveText(before ?? '');
  await desk.getByRole('button', { name: '暂停' }).click();

  expect(foreign(urls, baseURL!)).toEqual([]);
  expect(foreign(deskUrls, baseURL!)).toEqual([]);
  await Promise.all([phoneCtx.close(), wallCtx.close(), deskCtx.close()]);
});
