import { mkdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { foreign, recordRequests } from './airgap';
import { DESK, loggedIn, PHONE, query } from './screens';

/*
 * Issue 14's acceptance for mediation (S4, S8): a resident's 调解申请 from the public API becomes a
 * case in the deputy chief's console; the mediator is assigned; two sessions are recorded (one at
 * the desk, one on the mediator's phone); the case closes as agreement reached and the cockpit's
 * 调解成功率 moves; the 调解协议书 prints on A4. The resident's event log says each step in plain
 * words naming nobody, and no page asks another host.
 */

/** Outside Playwright's outputDir (test-results/e2e), which the next run of any spec empties. */
const OUT = 'test-results/mediation';
const shanghaiLocal = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);

test('a mediation request becomes a case, is mediated twice, closes with an agreement that prints on A4', async ({ browser, baseURL }) => {
  const [{ station, village }] = await query<{ station: number; village: string }>(
    `SELECT a.station_id AS station, sv.village_code AS village FROM accounts a JOIN station_villages sv ON sv.station_id = a.station_id
      WHERE a.username = 'deputy' ORDER BY sv.village_code LIMIT 1`,
  );
  const tag = randomUUID().slice(0, 6);
  const applicant = `周${tag}`;
  const respondent = `吴${tag}`;

  // The resident, on a phone with no account (helper A's public route, as /m sends it).
  const resident = await browser.newContext(PHONE);
  const deviceId = `e2e-mediation-${randomUUID()}`;
  const sent = await resident.request.post('/api/v1/citizen/requests', {
    headers: { 'x-device-id': deviceId },
    data: {
      v: 1, kind: 'mediation', idempotencyKey: `e2e-${randomUUID()}`, deviceId, name: applicant, phone: '13500005555',
      disputeKind: 'neighbour', otherParty: { name: respondent }, description: `两家院墙漏水纠纷 ${tag}`, preferredTime: '周六上午', villageCode: village,
    },
  });
  expect(sent.status()).toBe(201);
  const { code } = (await sent.json()) as { code: string };
  const [request] = await query<{ id: number; eventId: number }>(`SELECT id::int, event_id::int AS "eventId" FROM citizen_requests WHERE code = $1`, [code]);

  // The register: a studio, and the demo mediator's person as a mediator of it (so their phone lists the case).
  const deputyCtx = await loggedIn(browser, 'deputy', DESK);
  const studio = await (await deputyCtx.request.post('/api/v1/mediation/studios', { data: { name: `联动调解工作室-${tag}`, address: '工作站一楼' } })).json();
  const [person] = await query<{ id: number; name: string }>(`SELECT p.id, p.name FROM accounts a JOIN people p ON p.id = a.person_id WHERE a.username = 'mediator'`);
  const mediatorName = `${person.name}-${tag}`;
  const madeMediator = await deputyCtx.request.post('/api/v1/mediation/mediators', { data: { name: mediatorName, kind: 'people', personId: person.id, studioId: studio.id } });
  expect(madeMediator.status()).toBe(201);
  const mediator = (await madeMediator.json()) as { id: number };

  const desk = await deputyCtx.newPage();
  const urls = recordRequests(desk);
  const kpi = async () => {
    const r = await deputyCtx.request.get(`/api/v1/kpi?area=station:${station}&period=today`);
    const v = ((await r.json()) as { values: { code: string; value: number | null; numerator: number | null }[] }).values;
    return { mediation: v.find((x) => x.code === 'mediation')!, days: v.find((x) => x.code === 'mediation_days')! };
  };
  const before = await kpi();

  // The request waits on the console's mediation page; one click opens the case.
  await desk.goto('/console/mediation');
  await desk.getByTestId(`pending-${request.eventId}`).getByRole('button', { name: '立案调解' }).click();
  await expect(desk).toHaveURL(/\/console\/mediation\/\d+$/);
  const caseId = Number(new URL(desk.url()).pathname.split('/').pop());
  await expect(desk.getByTestId('case-page')).toHaveAttribute('data-state', 'open');
  await expect(desk.getByTestId('parties')).toContainText(applicant);
  await expect(desk.getByTestId('parties')).toContainText(respondent);

  // Assign the mediator and the studio.
  await desk.getByTestId('assign-mediator').selectOption(String(mediator.id));
  await desk.getByTestId('assign-studio').selectOption(String(studio.id));
  await desk.getByRole('button', { name: '指派' }).click();
  await expect(desk.getByTestId('case-page')).toContainText(mediatorName);

  // Session one, at the desk: held an hour ago.
  const form = desk.getByTestId('session-form');
  await form.locator('input[name="at"]').fill(shanghaiLocal(Date.now() - 3600_000));
  await form.locator('input[name="place"]').fill(studio.name);
  await form.locator('input[name="participants"]').fill(`${applicant}，${respondent}`);
  await form.locator('textarea[name="notes"]').fill('双方陈述，初步同意共同修缮');
  await form.getByRole('button', { name: '保存调解记录' }).click();
  await expect(desk.getByTestId('sessions').locator('tbody tr')).toHaveCount(1);

  // Session two, on the mediator's phone: planned for tomorrow afternoon.
  const phoneCtx = await loggedIn(browser, 'mediator', PHONE);
  const phone = await phoneCtx.newPage();
  await phone.goto('/field');
  const mine = phone.getByTestId(`my-case-${caseId}`);
  await expect(mine).toBeVisible({ timeout: 60_000 });
  await mine.getByRole('button', { name: '记录调解' }).click();
  const sheet = mine.getByTestId('field-session-form');
  await sheet.locator('input[type="datetime-local"]').fill(shanghaiLocal(Date.now() + 26 * 3600_000));
  await sheet.getByLabel('地点').fill('村委会会议室');
  await sheet.getByLabel('参加人').fill(`${applicant}，${respondent}`);
  await sheet.getByRole('button', { name: '保存' }).click();
  await expect(mine).toContainText('下次调解：');
  await expect(mine).toContainText('村委会会议室');

  await desk.reload();
  await expect(desk.getByTestId('sessions').locator('tbody tr')).toHaveCount(2);

  // Close as agreement reached: first without terms (the form names the field), then with them.
  const close = desk.getByTestId('close-form');
  await close.getByRole('button', { name: '结案' }).click();
  await expect(close).toContainText('达成协议须填写协议内容');
  await close.locator('textarea[name="terms"]').fill('双方各承担一半费用，于本月内共同修缮院墙排水');
  await close.locator('input[name="performance"]').fill('协议签订后 15 日内修缮完毕');
  await close.getByRole('button', { name: '结案' }).click();
  await expect(desk.getByTestId('case-page')).toHaveAttribute('data-state', 'closed');
  await expect(desk.getByTestId('outcome')).toContainText('达成协议');

  // The cockpit's 调解成功率 and 调解用时 count it.
  await expect.poll(async () => (await kpi()).mediation.numerator).toBe((before.mediation.numerator ?? 0) + 1);
  expect((await kpi()).days.numerator).toBe((before.days.numerator ?? 0) + 1);
  expect((await kpi()).mediation.value).not.toBeNull();

  // The agreement prints on A4.
  await desk.getByTestId('print-agreement').click();
  await expect(desk).toHaveURL(new RegExp(`/console/mediation/${caseId}/agreement$`));
  const sheetDoc = desk.getByTestId('agreement');
  await expect(sheetDoc).toContainText('人民调解协议书');
  await expect(sheetDoc).toContainText(applicant);
  await expect(sheetDoc).toContainText('双方各承担一半费用');
  await expect(sheetDoc).toContainText('人民调解委员会（印）');
  mkdirSync(OUT, { recursive: true });
  await desk.screenshot({ path: `${OUT}/agreement.png`, fullPage: true });
  await desk.emulateMedia({ media: 'print' });
  const pdf = await desk.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
  writeFileSync(`${OUT}/agreement.pdf`, pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pages).toBeGreaterThanOrEqual(1);
  // A4 is 210 × 297 mm: about 595 × 842 points.
  const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
  expect(box).not.toBeNull();
  expect(Math.abs(Number(box![1]) - 595)).toBeLessThan(2);
  expect(Math.abs(Number(box![2]) - 842)).toBeLessThan(2);

  // The resident's event: each step a public note, naming nobody, with no change of state; the case's
  // end answers the 调解申请, closing the event (review L4).
  const notes = await query<{ note: string; from_state: string; to_state: string; action: string }>(
    `SELECT note, from_state, to_state, action FROM event_log WHERE event_id = $1 AND action IN ('mediation', 'answer') ORDER BY id`,
    [request.eventId],
  );
  expect(notes.some((n) => n.action === 'mediation' && n.note.startsWith('已安排调解：') && n.note.includes('村委会会议室'))).toBe(true);
  expect(notes.filter((n) => n.action === 'answer')).toEqual([expect.objectContaining({ to_state: 'closed', note: expect.stringMatching(/^调解结束：达成协议/) })]);
  for (const n of notes) {
    if (n.action === 'mediation') expect(n.from_state).toBe(n.to_state);
    for (const name of [applicant, respondent, mediatorName]) expect(n.note).not.toContain(name);
  }
  // The resident's page says it is answered and asks for a rating.
  const tracked = await resident.request.get(`/api/v1/citizen/requests/${code}`);
  expect(await tracked.json()).toMatchObject({ status: 'answered', canRate: true });

  expect(foreign(urls, baseURL!)).toEqual([]);
  await Promise.all([resident.close(), deputyCtx.close(), phoneCtx.close()]);
});
