import { expect, test, type Page } from '@playwright/test';
import { foreign, recordRequests } from './airgap';
import { DESK, frameTime, loggedIn, PHONE, query } from './screens';

/** A point PostGIS says is inside a grid of the demo accounts' station, and that grid's code. */
async function pointInDemoStation(): Promise<{ longitude: number; latitude: number; grid: string }> {
  const [row] = await query<{ longitude: number; latitude: number; grid: string }>(
    `SELECT ST_X(p) AS longitude, ST_Y(p) AS latitude, code AS grid
       FROM (SELECT g.code, ST_PointOnSurface(g.geom) AS p FROM regions g
               JOIN station_villages sv ON sv.village_code = g.parent_code
              WHERE g.level = 'grid' AND sv.station_id = (SELECT station_id FROM accounts WHERE username = 'gridder')
              ORDER BY g.code DESC LIMIT 1) x`,
  );
  return row;
}

/** A small real JPEG, drawn by the browser itself: the server checks photos by their bytes. */
async function jpeg(page: Page): Promise<Buffer> {
  const bytes = await page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 240;
    const g = c.getContext('2d')!;
    g.fillStyle = '#8a3';
    g.fillRect(0, 0, 320, 240);
    g.fillStyle = '#c22';
    g.fillRect(100, 60, 120, 120);
    const blob = await new Promise<Blob>((resolve) => c.toBlob((b) => resolve(b!), 'image/jpeg', 0.9));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  return Buffer.from(bytes);
}

test('a gridder reports with a photo; wall and console show it within 1 s; the deputy routes it, police handle it, the gridder verifies; the console shows the whole timeline (S12)', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const at = await pointInDemoStation();
  const gridderCtx = await loggedIn(browser, 'gridder', { ...PHONE, geolocation: { longitude: at.longitude, latitude: at.latitude }, permissions: ['geolocation'] });
  const deputyCtx = await loggedIn(browser, 'deputy', DESK);
  const policeCtx = await loggedIn(browser, 'police', PHONE);
  const wallCtx = await browser.newContext(DESK);
  const [gridder, deputy, police, wall] = await Promise.all([gridderCtx, deputyCtx, policeCtx, wallCtx].map((c) => c.newPage()));
  const requests = [gridder, deputy, police, wall].flatMap((p) => {
    const urls = recordRequests(p);
    return [urls];
  });

  await wall.goto('/wall?display=demo-wall');
  await deputy.goto('/console');
  await gridder.goto('/field');
  await police.goto('/field');
  await expect.poll(() => wall.evaluate(() => {
    const v = window.__wall?.store?.getState();
    return Boolean(v?.connected && v.synced && v.incidentsLoaded);
  }), { timeout: 60_000 }).toBe(true);
  await expect.poll(() => deputy.evaluate(() => {
    const v = window.__console?.store?.getState();
    return Boolean(v?.connected && v.synced && v.incidentsLoaded);
  }), { timeout: 60_000 }).toBe(true);
  await expect.poll(() => gridder.evaluate(() => window.__field?.ready === true), { timeout: 60_000 }).toBe(true);
  await expect.poll(() => police.evaluate(() => window.__field?.ready === true), { timeout: 60_000 }).toBe(true);

  // The gridder reports: category, title, a photo, the phone's position.
  const title = `菜场门口摊贩争执（端到端 ${Date.now()}）`;
  // The deputy searches the queue for it ahead: the station's queue is longer than a screen.
  await deputy.getByTestId('filter-text').fill(title);
  await gridder.getByTestId('tab-report').click();
  await gridder.getByTestId('report-category').selectOption('public_order');
  await gridder.getByTestId('report-title').fill(title);
  await gridder.getByTestId('report-photo').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: await jpeg(gridder) });
  await expect(gridder.getByTestId('photo-thumb')).toHaveAttribute('data-state', 'done');
  await gridder.getByTestId('report-locate').click();
  await expect(gridder.getByTestId('report-located')).toBeVisible();
  // Software WebGL takes seconds to draw two full-HD maps the first time; a command room's GPU does
  // not. Timing starts once both screens answer within a frame or two.
  await expect(wall.locator('body')).toHaveAttribute('data-wall-ready', '1', { timeout: 60_000 });
  for (const screen of [wall, deputy]) await expect.poll(() => frameTime(screen), { timeout: 60_000 }).toBeLessThan(100);
  await gridder.getByTestId('report-submit').click();
  const receipt = gridder.getByTestId('report-receipt');
  await expect(receipt).toContainText('#');
  const acked = Date.now();
  const id = Number(/#(\d+)/.exec((await receipt.textContent()) ?? '')![1]);
  expect(id).toBeGreaterThan(0);

  // Committed, then published: the wall's map and the deputy's queue have it within a second.
  await expect.poll(() => wall.evaluate((eid) => window.__wall!.store!.getState().incidents.some((i) => i.id === eid), id), { timeout: 1000, intervals: [25] }).toBe(true);
  const onWall = Date.now() - acked;
  await expect(deputy.getByTestId(`queue-row-${id}`)).toBeVisible({ timeout: 1000 });
  const onConsole = Date.now() - acked;
  console.log(`report #${id}: on the wall after ${onWall} ms, in the console queue after ${onConsole} ms`);
  expect(onConsole).toBeLessThan(1000);
  const placed = await wall.evaluate((eid) => window.__wall!.store!.getState().incidents.find((i) => i.id === eid)?.gridCode, id);
  expect(placed).toBe(at.grid);

  // The deputy chief accepts it and assigns it to the stationed police (S12: single-department → department, with a deadline).
  await deputy.getByTestId(`queue-row-${id}`).click();
  const drawer = deputy.getByTestId('event-drawer');
  await expect(drawer).toHaveAttribute('data-event-id', String(id));
  await expect(drawer.getByTestId('photos').locator('img')).toHaveCount(1);
  await drawer.getByTestId('action-accept').click();
  await drawer.getByTestId('action-assign').click();
  await drawer.getByTestId('department-select').selectOption('police');
  await drawer.getByTestId('action-confirm').click();
  await expect.poll(() => wall.evaluate((eid) => window.__wall!.store!.getState().incidents.find((i) => i.id === eid)?.state, id), { timeout: 2000 }).toBe('assigned');

  // Police see the routed task live on their phone, start and feed back.
  const task = police.getByTestId(`task-${id}`);
  await expect(task).toBeVisible({ timeout: 2000 });
  await task.click();
  await police.getByTestId('action-start').click();
  await police.getByTestId('confirm').click();
  await expect(police.getByTestId('action-handle')).toBeVisible();
  await police.getByTestId('action-handle').click();
  await police.getByTestId('note').fill('已到场调解，摊位移至划定区域，双方和解');
  await police.getByTestId('confirm').click();
  await expect(police.getByTestId('detail-state')).toHaveText('已处置');

  // The full-time gridder verifies on site and closes the loop.
  await gridder.getByTestId('tab-tasks').click();
  await expect(gridder.getByTestId(`task-${id}`)).toBeVisible({ timeout: 2000 });
  await gridder.getByTestId(`task-${id}`).click();
  await gridder.getByTestId('action-verify_pass').click();
  await gridder.getByTestId('confirm').click();
  await expect(gridder.getByTestId('detail-state')).toHaveText('办结');

  // Every screen agrees, and the console shows the whole timeline.
  await expect.poll(() => wall.evaluate((eid) => window.__wall!.store!.getState().incidents.find((i) => i.id === eid)?.state, id), { timeout: 1000 }).toBe('closed');
  await expect(drawer.getByTestId('timeline-step')).toHaveCount(6);
  const steps = await drawer.getByTestId('timeline-step').allTextContents();
  for (const [i, label] of ['上报', '受理', '交办', '处置中', '已处置', '办结'].entries()) expect(steps[i]).toContain(label);
  await deputy.screenshot({ path: 'test-results/e2e/console-closed-loop.png' });
  await gridder.screenshot({ path: 'test-results/e2e/field-closed-loop.png' });

  // Air-gapped: none of the four screens asked any host but ours.
  expect(foreign(requests.flat(), baseURL!)).toEqual([]);
  await Promise.all([gridderCtx, deputyCtx, policeCtx, wallCtx].map((c) => c.close()));
});
