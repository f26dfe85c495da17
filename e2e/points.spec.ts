import { randomUUID } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { createPool } from '../server/db/pool';
import { runPoints } from '../server/points/run';
import { foreign, recordRequests } from './airgap';
import { DB, DESK, loggedIn, PHONE, query } from './screens';

/*
 * Issue 15 point 5 (S14: rewards for grid reports; points taken back, with a ledger entry, when a
 * report is later found false). A gridder's report runs the closed loop through the routes and
 * earns +2 when the points job settles it; the deputy chief finds it false in the console
 * drawer's 考评 section; the gridder's 积分 tab on /field shows the −2 beside the +2. The console's
 * 积分 page lists the gridder on the station's leaderboard and names the 兑换 form's fields at fault;
 * the administrator flags the event 越级信访 (S13) in the same section. No page asks another host.
 */

/** The points job's one run, as server/jobs/points.ts makes it: the server's own timer runs every 10 minutes. */
async function settlePoints(): Promise<void> {
  const db = createPool(DB, 1);
  try {
    // Another run holding the job's lock (the server's own tick) answers ran: false; the next try settles.
    for (let i = 0; i < 20 && !(await runPoints(db)).ran; i++) await new Promise((r) => setTimeout(r, 250));
  } finally {
    await db.end();
  }
}

test('a gridder earns +2 for a verified report; the deputy finds it false in the console; the gridder sees the −2 on /field (S14)', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  // A village where the gridder has no paid report of this category within a day: a second one there would be
  // the same person reporting the same thing twice, which rightly earns nothing (S14 abuse rule, lib/points/rules).
  const [{ village, gridderPerson, gridderName }] = await query<{ village: string; gridderPerson: number; gridderName: string }>(
    `SELECT sv.village_code AS village, p.id AS "gridderPerson", p.name AS "gridderName"
       FROM accounts a JOIN people p ON p.id = a.person_id JOIN station_villages sv ON sv.station_id = a.station_id
      WHERE a.username = 'gridder'
        AND NOT EXISTS (SELECT 1 FROM points_ledger l JOIN events e ON e.id = l.event_id
                         WHERE l.holder = 'p:' || p.id AND l.points > 0 AND e.category = 'public_order'
                           AND coalesce(e.grid_code, e.village_code) = sv.village_code AND e.reported_at > now() - interval '25 hours')
      ORDER BY sv.village_code LIMIT 1`,
  );
  const gridderCtx = await loggedIn(browser, 'gridder', PHONE);
  const deputyCtx = await loggedIn(browser, 'deputy', DESK);
  const policeCtx = await loggedIn(browser, 'police', PHONE);

  // The gridder reports; the deputy accepts and assigns to the stationed police, who handle; the gridder verifies (S12).
  const title = `河道漂浮垃圾（积分端到端 ${Date.now()}）`;
  const reported = await gridderCtx.request.post('/api/v1/events', {
    data: { v: 1, idempotencyKey: `e2e-points-${randomUUID()}`, category: 'public_order', title, villageCode: village },
  });
  expect(reported.status(), await reported.text()).toBe(201);
  const id = ((await reported.json()) as { id: number }).id;
  let n = 0;
  const act = async (ctx: { request: APIRequestContext }, body: Record<string, unknown>) => {
    const r = await ctx.request.post(`/api/v1/events/${id}/actions`, { data: { ...body, requestKey: `points-e2e-${id}-${n++}` } });
    expect(r.status(), `${String(body.action)}: ${await r.text()}`).toBeLessThan(300);
  };
  await act(deputyCtx, { action: 'accept' });
  await act(deputyCtx, { action: 'assign', department: 'police' });
  await act(policeCtx, { action: 'start' });
  await act(policeCtx, { action: 'handle', note: '已打捞清理' });
  await act(gridderCtx, { action: 'verify_pass' });

  // The points job pays the report.
  const entries = () => query<{ points: number }>(`SELECT points FROM points_ledger WHERE event_id = $1 AND holder = $2 ORDER BY id`, [id, `p:${gridderPerson}`]);
  await expect.poll(async () => {
    await settlePoints();
    return (await entries()).map((e) => e.points);
  }, { timeout: 30_000 }).toEqual([2]);
  const balance = async () => (await query<{ b: number }>(`SELECT coalesce(sum(points), 0)::int AS b FROM points_ledger WHERE holder = $1`, [`p:${gridderPerson}`]))[0].b;
  const before = await balance();

  // The gridder's phone: 积分 shows the balance and the +2 for this event.
  const phone = await gridderCtx.newPage();
  const desk = await deputyCtx.newPage();
  const urls = [recordRequests(phone), recordRequests(desk)];
  await phone.goto('/field');
  await phone.getByTestId('tab-points').click();
  await expect(phone.getByTestId('points-balance')).toHaveText(String(before));
  const entryOf = (points: string) => phone.getByTestId('points-entry').filter({ hasText: `事件 #${id}` }).filter({ has: phone.getByTestId('points-value').getByText(points, { exact: true }) });
  await expect(entryOf('+2')).toHaveCount(1);

  // The deputy opens the event in the console; the drawer's 考评 section shows the +2 and offers 查实虚假上报.
  await desk.goto(`/console?event=${id}`);
  const drawer = desk.getByTestId('event-drawer');
  await expect(drawer).toHaveAttribute('data-event-id', String(id));
  const section = drawer.getByTestId('assessment-section');
  await expect(section.getByTestId('event-points')).toContainText(gridderName);
  await expect(section.getByTestId('event-points')).toContainText('+2');
  // The flags are the district's (PERMISSIONS.flagEvents), not the deputy's.
  await expect(section.getByTestId('edit-flags')).toHaveCount(0);
  await section.getByTestId('mark-false').click();
  // Without a reason the server refuses, and says what is missing.
  await section.getByTestId('false-confirm').click();
  await expect(section.getByTestId('false-error')).toContainText('请填写查实为虚假的理由');
  await section.getByTestId('false-reason').fill('现场复核：河道无漂浮垃圾，照片为旧照');
  await section.getByTestId('false-confirm').click();
  await expect(section.getByTestId('false-mark')).toContainText('现场复核：河道无漂浮垃圾');
  await expect(section.getByTestId('event-points')).toContainText('−2');
  await expect(section.getByTestId('mark-false')).toHaveCount(0);
  expect((await entries()).map((e) => e.points)).toEqual([2, -2]);

  // The administrator (PERMISSIONS.flagEvents) marks it 越级信访 in the same section, with a reason (S13 deductions).
  const adminCtx = await loggedIn(browser, 'admin', DESK);
  const admin = await adminCtx.newPage();
  urls.push(recordRequests(admin));
  await admin.goto(`/console?event=${id}`);
  const adminSection = admin.getByTestId('event-drawer').getByTestId('assessment-section');
  await expect(adminSection.getByTestId('false-mark')).toBeVisible();
  await adminSection.getByTestId('edit-flags').click();
  await adminSection.getByTestId('flag-petition').check();
  await adminSection.getByTestId('flags-reason').fill('当事人越级到区信访');
  await adminSection.getByTestId('flags-confirm').click();
  await expect(adminSection.getByTestId('event-flags')).toHaveText('考评扣分标记：越级信访');
  expect(await query<{ petition_skip: boolean; group_incident: boolean }>(`SELECT petition_skip, group_incident FROM events WHERE id = $1`, [id]))
    .toEqual([{ petition_skip: true, group_incident: false }]);

  // The gridder's 积分: the −2 with the reason, the balance two lower.
  await phone.getByTestId('points-refresh').click();
  await expect(phone.getByTestId('points-balance')).toHaveText(String(before - 2));
  await expect(entryOf('−2')).toHaveCount(1);
  await expect(entryOf('−2')).toContainText('查实为虚假上报');
  expect(await balance()).toBe(before - 2);
  await phone.screenshot({ path: 'test-results/e2e/field-points.png' });

  // The console's 积分 page: the station's leaderboard for the year lists the gridder; the 兑换 form names its fields.
  await desk.goto('/console/points');
  await desk.getByTestId('points-period').selectOption('year');
  await expect(desk.getByTestId(`board-${gridderPerson}`)).toContainText(gridderName);
  await desk.getByTestId(`board-${gridderPerson}`).getByRole('button').click();
  await expect(desk.getByTestId('ledger-balance')).toHaveText(String(before - 2));
  await expect(desk.getByTestId('ledger').getByRole('link', { name: `#${id}` })).toHaveCount(2);
  await desk.getByTestId('tab-redeem').click();
  await desk.getByTestId('redeem-submit').click();
  await expect(desk.getByTestId('redeem-error-item')).toHaveText('请填写兑换内容');
  await expect(desk.getByTestId('redeem-error-points')).toHaveText('请填写兑换分值（整数）');
  await desk.getByTestId('redeem-item').fill('毛巾一条');
  await desk.getByTestId('redeem-points').fill(String(before + 100));
  await desk.getByTestId('redeem-submit').click();
  await expect(desk.getByTestId('redeem-error-points')).toContainText('积分不足');
  await desk.screenshot({ path: 'test-results/e2e/console-points.png' });

  expect(foreign(urls.flat(), baseURL!)).toEqual([]);
  await Promise.all([gridderCtx, deputyCtx, policeCtx, adminCtx].map((c) => c.close()));
});
