import { expect, request as playwrightRequest, test } from '@playwright/test';
import type { CitizenReceiptV1, CitizenTrackingV1 } from '../lib/contracts/citizen';
import { formatCode } from '../lib/contracts/citizen';
import { addWorkingDays } from '../lib/time/workdays';
import { foreign, recordRequests } from './airgap';
import { DESK, loggedIn, query } from './screens';

/** A point inside a grid of the deputy's station: the question lands in that station's queue. */
async function pointInDeputyStation(): Promise<{ lon: number; lat: number }> {
  const [row] = await query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat
       FROM (SELECT ST_PointOnSurface(g.geom) AS p FROM regions g
               JOIN station_villages sv ON sv.village_code = g.parent_code
              WHERE g.level = 'grid' AND sv.station_id = (SELECT station_id FROM accounts WHERE username = 'deputy')
              ORDER BY g.code LIMIT 1) x`,
  );
  return row;
}

test("a resident's policy question is in the deputy's queue with its 1-working-day limit, answered in the drawer, read back by the resident as 已答复; the contact read is audited (issue 14, S14)", async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const stamp = Date.now();
  const phone = `139${String(stamp).slice(-8)}`;
  const words = `咨询${stamp}：老人高龄补贴每月什么时候发放，需要本人去哪里办理？`;

  // The resident: a plain HTTP client, no session, as the public page or a civic app would be.
  const resident = await playwrightRequest.newContext({ baseURL });
  const deviceId = `e2e-resident-${stamp}`;
  const sent = await resident.post('/api/v1/citizen/requests', {
    headers: { 'x-device-id': deviceId },
    data: { v: 1, kind: 'question', idempotencyKey: `e2e-question-${stamp}`, deviceId, description: words, phone, location: await pointInDeputyStation() },
  });
  expect(sent.status(), await sent.text()).toBe(201);
  const receipt = (await sent.json()) as CitizenReceiptV1;
  expect(receipt.kind).toBe('question');

  const [event] = await query<{ id: number; deadline: Date; reported: Date; kind: string; source: string }>(
    `SELECT e.id, e.deadline_at AS deadline, e.reported_at AS reported, e.kind, e.source
       FROM citizen_requests r JOIN events e ON e.id = r.event_id WHERE r.code = $1`,
    [receipt.code],
  );
  expect(event).toMatchObject({ kind: 'question', source: 'citizen' });
  // "Answer a question within 1 working day", as data: the policy category's row, on the district's calendar.
  const [limit] = await query<{ days: number }>(`SELECT accept_yellow AS days FROM time_limits WHERE category_code = 'policy' AND severity IS NULL`);
  expect(limit.days).toBe(1);
  const days = await query<{ day: string; kind: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM holidays`);
  const calendar = { holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.day)), workdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.day)) };
  expect(event.deadline.getTime()).toBe(addWorkingDays(event.reported, 1, calendar).getTime());

  // The deputy's queue: the row is marked as a resident's question, with its countdown.
  const deputyCtx = await loggedIn(browser, 'deputy', DESK);
  const deputy = await deputyCtx.newPage();
  const urls = recordRequests(deputy);
  await deputy.goto('/console');
  await expect.poll(() => deputy.evaluate(() => {
    const v = window.__console?.store?.getState();
    return Boolean(v?.connected && v.synced && v.incidentsLoaded);
  }), { timeout: 60_000 }).toBe(true);
  await deputy.getByTestId('filter-citizen').check();
  // By its number: the title hides runs of digits (a phone number typed into the words stays off the screens).
  await deputy.getByTestId('filter-text').fill(`#${event.id}`);
  const row = deputy.getByTestId(`queue-row-${event.id}`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('row-citizen')).toHaveText('群众');
  await expect(row.getByTestId('row-kind')).toHaveText('咨询');
  await expect(row.getByTestId('row-countdown')).toContainText('剩');

  // The drawer: 群众 as the reporter, and neither the phone number nor the tracking code (with it one could rate) until the audited read.
  await row.click();
  const drawer = deputy.getByTestId('event-drawer');
  await expect(drawer.getByTestId('citizen-code')).toHaveCount(0);
  await expect(drawer.getByTestId('event-reporter')).toHaveText('群众');
  await expect(drawer.getByTestId('citizen-kind')).toHaveText('政策咨询');
  await expect(deputy.locator('body')).not.toContainText(phone);

  // 答复: the note is required and goes to the resident as written; the box says so.
  const answer = `高龄补贴每月15日前发放到本人社保卡，无需本人办理（${stamp}）`;
  await drawer.getByTestId('action-answer').click();
  await expect(drawer.getByTestId('note-hint')).toContainText('群众的查询页面');
  await drawer.getByTestId('note-input').fill(answer);
  await drawer.getByTestId('action-confirm').click();
  await expect(drawer.getByTestId('action-form')).toHaveCount(0);
  await expect(drawer.locator('[data-testid="timeline-step"][data-action="answer"]')).toContainText(answer);

  // The resident follows the request by its code: answered, with the answer.
  await expect.poll(async () => {
    const r = await resident.get(`/api/v1/citizen/requests/${receipt.code}`);
    const t = (await r.json()) as CitizenTrackingV1;
    return { status: t.status, statusLabel: t.statusLabel, answer: t.answer };
  }).toEqual({ status: 'answered', statusLabel: '已答复', answer });

  // The leader's contact read: shown after the click, and recorded each time (S14).
  const [before] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'citizen.contact' AND target = $1`, [`event:${event.id}`]);
  await expect(drawer.getByTestId('citizen-contact-read')).toBeVisible();
  await expect(drawer).toContainText('每次查看都会记入审计日志');
  await drawer.getByTestId('citizen-contact-read').click();
  await expect(drawer.getByTestId('citizen-contact')).toContainText(phone);
  await expect(drawer.getByTestId('citizen-code')).toHaveText(formatCode(receipt.code));
  const audited = await query<{ n: number; username: string }>(
    `SELECT count(*)::int AS n, max(a.username) AS username
       FROM audit_log l JOIN accounts a ON a.id = l.account_id WHERE l.action = 'citizen.contact' AND l.target = $1`,
    [`event:${event.id}`],
  );
  expect(audited[0].n).toBe(before.n + 1);
  expect(audited[0].username).toBe('deputy');

  expect(foreign(urls, baseURL!)).toEqual([]);
  await resident.dispose();
  await deputyCtx.close();
});
