import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { foreign, recordRequests } from './airgap';
import { lastEndedMonthWithRules } from './assessment';
import { DESK, loggedIn, query } from './screens';

/*
 * Issue 15 points 1–2 in the console (S13 assessment, S14 star stations): the district's operator
 * opens 考评得分 for a month with scores, opens a station's score, adjusts it with a reason (an
 * empty reason first: the field says so) and sees the total and the stars follow; the deputy chief
 * sees their own station only; a rule version whose formula names an unknown indicator is refused
 * with the field shown and nothing stored. No page asks another host.
 */

const OUT = 'test-results/assessment';
const round2 = (x: number) => Math.round(x * 100) / 100;

test('the district adjusts a station’s score with a reason, the deputy sees their own station, a bad rule is refused by field', async ({ browser, baseURL }) => {
  const [{ station, stationName }] = await query<{ station: number; stationName: string }>(
    `SELECT a.station_id AS station, s.name AS "stationName" FROM accounts a JOIN stations s ON s.id = a.station_id WHERE a.username = 'deputy'`,
  );
  const [{ stations }] = await query<{ stations: number }>(`SELECT count(*)::int AS stations FROM stations`);
  const period = await lastEndedMonthWithRules();

  const operatorCtx = await loggedIn(browser, 'operator', DESK);
  const computed = await operatorCtx.request.post('/api/v1/assessment/compute', { data: { period } });
  expect(computed.status(), await computed.text()).toBe(200);

  const desk = await operatorCtx.newPage();
  const urls = recordRequests(desk);
  await desk.goto('/console');
  await desk.getByRole('link', { name: '考评', exact: true }).click();
  await expect(desk).toHaveURL(/\/console\/assessment$/);
  await desk.getByTestId('period').selectOption(period);
  const table = desk.getByTestId('score-table');
  await expect(table.locator('tbody tr')).toHaveCount(stations);

  // The deputy's station: its row, then its detail.
  const row = table.getByTestId(`score-s:${station}`);
  const before = { total: Number(await row.getByTestId('total').textContent()), stars: Number(await row.locator('[data-stars]').getAttribute('data-stars')) };
  await row.getByRole('button', { name: stationName }).click();
  const detail = desk.getByTestId('score-detail');
  await expect(detail.getByTestId('detail-total')).toHaveText(String(before.total));
  await expect(detail.getByTestId('score-items').locator('tbody tr')).not.toHaveCount(0);
  await expect(detail.getByTestId('score-figures')).toBeVisible();

  // An adjustment that moves the total across a star band: down to 50 (no star) or up to 96 (five).
  const target = before.total >= 60 ? 50 : 96;
  const points = round2(target - before.total);
  const form = detail.getByTestId('adjust-form');
  await form.locator('input[name="points"]').fill(String(points));
  await form.getByRole('button', { name: '提交调整' }).click();
  await expect(form.locator('textarea[name="reason"]')).toHaveAttribute('aria-invalid', 'true');
  await expect(form).toContainText('请填写调整理由');
  const reason = `e2e 调整：联查记录补录核实 ${Date.now()}`;
  await form.locator('textarea[name="reason"]').fill(reason);
  await form.getByRole('button', { name: '提交调整' }).click();
  await expect(detail.getByTestId('adjustments')).toContainText(reason);
  await expect(detail.getByTestId('detail-total')).toHaveText(String(target));
  await expect(row.getByTestId('total')).toHaveText(String(target));
  const starsAfter = target === 50 ? 0 : 5;
  await expect(row.locator('[data-stars]')).toHaveAttribute('data-stars', String(starsAfter));
  expect(starsAfter).not.toBe(before.stars);
  // Logged, with its reason.
  const [logged] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM assessment_adjustments WHERE reason = $1 AND period = $2 AND subject_key = $3`, [reason, period, `s:${station}`]);
  expect(logged.n).toBe(1);
  mkdirSync(OUT, { recursive: true });
  await desk.evaluate(() => window.scrollTo(0, 0));
  await desk.screenshot({ path: `${OUT}/scores-1920.png` });

  // The deputy chief: their station only, no adjusting.
  const deputyCtx = await loggedIn(browser, 'deputy', DESK);
  const deputy = await deputyCtx.newPage();
  urls.push(...recordRequests(deputy));
  await deputy.goto(`/console/assessment?period=${period}`);
  const theirs = deputy.getByTestId('score-table');
  await expect(theirs.locator('tbody tr')).toHaveCount(1);
  await expect(theirs.getByTestId(`score-s:${station}`).getByTestId('total')).toHaveText(String(target));
  await expect(deputy.getByTestId('station-filter')).toHaveCount(0);
  await expect(deputy.getByTestId('compute')).toHaveCount(0);
  await theirs.getByRole('button', { name: stationName }).click();
  await expect(deputy.getByTestId('score-detail').getByTestId('adjustments')).toContainText(reason);
  await expect(deputy.getByTestId('adjust-form')).toHaveCount(0);

  // 考评细则: a new version whose formula names an unknown indicator is refused beside that formula.
  const [{ versions }] = await query<{ versions: number }>(`SELECT count(*)::int AS versions FROM assessment_rule_sets`);
  await desk.goto('/console/assessment/rules');
  await expect(desk.getByTestId('rule-view')).toHaveAttribute('data-state', 'active');
  await desk.getByTestId('new-version').click();
  const editor = desk.getByTestId('rule-editor');
  const formula = editor.getByTestId('items.0.formula');
  await formula.fill('10 * on_time_accept + not_an_indicator');
  await editor.getByRole('button', { name: '保存草稿' }).click();
  await expect(formula).toHaveAttribute('aria-invalid', 'true');
  await expect(formula.locator('xpath=..')).toContainText('not_an_indicator');
  const [{ versions: after }] = await query<{ versions: number }>(`SELECT count(*)::int AS versions FROM assessment_rule_sets`);
  expect(after).toBe(versions);
  await desk.screenshot({ path: `${OUT}/rules-refused-1920.png`, fullPage: true });

  // The deputy reads the rules and may not edit them.
  await deputy.goto('/console/assessment/rules');
  await expect(deputy.getByTestId('rule-view')).toBeVisible();
  await expect(deputy.getByTestId('new-version')).toHaveCount(0);

  expect(foreign(urls, baseURL!)).toEqual([]);
  await Promise.all([operatorCtx.close(), deputyCtx.close()]);
});

test('the wall shows a station’s stars of the latest frozen month on its card and beside its beacon (S14)', async ({ browser, page, baseURL }) => {
  // The month ended, scored and frozen through the district's 立即计算 (a no-op when the job or the test before froze it).
  const operator = await loggedIn(browser, 'operator', DESK);
  const computed = await operator.request.post('/api/v1/assessment/compute', { data: { period: await lastEndedMonthWithRules() } });
  expect(computed.status(), await computed.text()).toBe(200);
  await operator.close();
  await page.setViewportSize({ width: 1920, height: 1080 });
  const urls = recordRequests(page);
  await page.goto('/wall?display=demo-wall');
  await expect(page.locator('body')).toHaveAttribute('data-wall-ready', '1', { timeout: 60_000 });
  const stars = await page.evaluate(() => fetch('/api/v1/assessment/stars').then((r) => r.json())) as { stationId: number; period: string; stars: number; total: number }[];
  expect(stars.length).toBeGreaterThan(0);

  // The beacons of rated stations carry a star line.
  const labelled = stars.filter((s) => s.stars > 0).length;
  if (labelled > 0) {
    await expect.poll(() => page.evaluate(() => {
      const w = (window as unknown as { __wall: { map: { queryRenderedFeatures(o: { layers: string[] }): unknown[] } } }).__wall;
      return w.map.queryRenderedFeatures({ layers: ['station-stars-label'] }).length;
    })).toBeGreaterThan(0);
  }

  // A station's card, opened by a click on its beacon, says its stars and total.
  const [{ station, lon, lat }] = await query<{ station: number; lon: number; lat: number }>(
    `SELECT s.id AS station, ST_X(s.location) AS lon, ST_Y(s.location) AS lat FROM accounts a JOIN stations s ON s.id = a.station_id WHERE a.username = 'deputy'`,
  );
  const mine = stars.find((s) => s.stationId === station)!;
  const at = await page.evaluate(([x, y]) => {
    const w = (window as unknown as { __wall: { map: { project(c: [number, number]): { x: number; y: number }; getCanvas(): HTMLCanvasElement } } }).__wall;
    const p = w.map.project([x, y]);
    const r = w.map.getCanvas().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, [lon, lat] as const);
  await page.mouse.click(at.x, at.y);
  const card = page.getByTestId('station-card');
  await expect(card.getByTestId('station-stars')).toContainText(`${mine.total} 分`);
  await expect(card.getByTestId('station-stars').locator('[data-stars]')).toHaveAttribute('data-stars', String(mine.stars));
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: `${OUT}/wall-stars-1920.png` });
  expect(foreign(urls, baseURL!)).toEqual([]);
});
