import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { starsFor } from '../lib/assessment/rules';
import type { RuleSetV1 } from '../lib/contracts/assessment';
import { foreign, recordRequests } from './airgap';
import { lastEndedMonthWithRules } from './assessment';
import { DESK, loggedIn, query } from './screens';

/*
 * Issue 15's acceptance for the report (point 6; S13, S14): the last ended month, with events of
 * the deputy chief's station planted in it, is scored and frozen through the API; the deputy opens
 * 考评报告 in the console and downloads the monthly xlsx; the test opens it with exceljs and checks
 * its station's total, stars, rank, event count, overdue and red-card counts against the database;
 * the download is in the audit log with the file's SHA-256; the printable page renders on A4
 * (MediaBox of page.pdf, and a screenshot kept); no page asks another host.
 */

/** Outside Playwright's outputDir (test-results/e2e), which the next run of any spec empties. */
const OUT = 'test-results/assessment-report';

test('the deputy downloads the monthly report; its figures are the database’s; the printable page is A4', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const period = await lastEndedMonthWithRules();
  const [{ station, stationName }] = await query<{ station: number; stationName: string }>(
    `SELECT s.id AS station, s.name AS "stationName" FROM accounts a JOIN stations s ON s.id = a.station_id WHERE a.username = 'deputy'`,
  );

  // The month's events at the station: one closed on time, one handled past its limit, one red-carded.
  // (When the server's job froze the month at start, the score is what it was then; the lists count these.)
  const first = new Date(`${period}-10T10:00:00+08:00`).getTime();
  const h = (n: number) => new Date(first + n * 3600_000);
  for (const [i, late, red] of [[0, false, false], [1, true, false], [2, false, true]] as const) {
    const [{ id }] = await query<{ id: number }>(
      `INSERT INTO events (source, category, title, state, station_id, reported_at, updated_at, accepted_at, accept_due_at, handled_at, handle_due_at, closed_at, card)
       VALUES ('e2e', 'environment', $1, 'closed', $2, $3, $3, $4, $5, $6, $7, $6, $8) RETURNING id::int`,
      [`月报测试-${randomUUID().slice(0, 6)}`, station, h(24 * i), h(24 * i + 1), h(24 * i + 2), h(24 * i + (late ? 80 : 20)), h(24 * i + 48), red ? 'red' : 'none'],
    );
    if (red)
      await query(
        `INSERT INTO event_log (event_id, at, actor_role, from_state, to_state, action, note, data) VALUES ($1, $2, 'system', 'closed', 'closed', 'supervise', '红牌督办', '{"card":"red"}')`,
        [id, h(24 * i + 30)],
      );
  }

  // Scored and frozen through the API (the district's operator's 立即计算); an ended month freezes.
  const admin = await loggedIn(browser, 'admin', DESK);
  const computed = await admin.request.post('/api/v1/assessment/compute', { data: { period } });
  expect(computed.status(), await computed.text()).toBeLessThan(300);
  expect(await query(`SELECT 1 FROM assessment_periods WHERE period = $1`, [period])).toHaveLength(1);

  // The deputy: 考评报告 in the console, the month ended is chosen, 下载 xlsx.
  const deputy = await loggedIn(browser, 'deputy', DESK);
  const page = await deputy.newPage();
  const urls = recordRequests(page);
  await page.goto('/console/reports');
  await expect(page.getByTestId('reports-page')).toBeVisible();
  await expect(page.getByTestId('report-kind')).toHaveValue('month');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const bytes = readFileSync(await download.path());
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}/${period}.xlsx`, bytes);
  const sha = createHash('sha256').update(bytes).digest('hex');

  // The database's figures for the station's month.
  const [score] = await query<{ computed: number; adjustment: number; total: number; events: number; body: RuleSetV1 }>(
    `SELECT s.computed_total::float8 AS computed, coalesce(a.points, 0)::float8 AS adjustment,
            least(100, greatest(0, s.computed_total + coalesce(a.points, 0)))::float8 AS total, cardinality(s.event_ids) AS events, r.body
       FROM assessment_scores s JOIN assessment_rule_sets r ON r.id = s.rule_set_id
       LEFT JOIN (SELECT subject_key, sum(points) AS points FROM assessment_adjustments WHERE period = $1 GROUP BY 1) a ON a.subject_key = s.subject_key
      WHERE s.period = $1 AND s.subject_key = $2`,
    [period, `s:${station}`],
  );
  expect(score, 'the station was scored').toBeTruthy();
  const [{ of, rank }] = await query<{ of: number; rank: number }>(
    `WITH t AS (SELECT s.subject_key, least(100, greatest(0, s.computed_total + coalesce((SELECT sum(points) FROM assessment_adjustments a WHERE a.period = s.period AND a.subject_key = s.subject_key), 0))) AS total
                  FROM assessment_scores s WHERE s.period = $1 AND s.subject_kind = 'station')
     SELECT count(*)::int AS of, (SELECT count(*)::int + 1 FROM t x WHERE x.total > (SELECT total FROM t WHERE subject_key = $2)) AS rank FROM t`,
    [period, `s:${station}`],
  );
  const bounds = [new Date(`${period}-01T00:00:00+08:00`), new Date(new Date(`${period}-01T00:00:00+08:00`).getTime() + 32 * 86400_000)];
  bounds[1] = new Date(`${bounds[1].toISOString().slice(0, 7)}-01T00:00:00+08:00`);
  const [{ overdue }] = await query<{ overdue: number }>(
    `SELECT count(*)::int AS overdue FROM events e WHERE e.station_id = $1 AND e.reported_at >= $2 AND e.reported_at < $3
        AND (coalesce(e.accepted_at > e.accept_due_at, false) OR coalesce(e.handled_at > e.handle_due_at, false) OR e.card <> 'none')`,
    [station, ...bounds],
  );
  const [{ red }] = await query<{ red: number }>(
    `SELECT count(*)::int AS red FROM event_log l JOIN events e ON e.id = l.event_id
      WHERE e.station_id = $1 AND l.action = 'supervise' AND l.data ->> 'card' = 'red' AND l.at >= $2 AND l.at < $3`,
    [station, ...bounds],
  );
  expect(overdue).toBeGreaterThanOrEqual(2);
  expect(red).toBeGreaterThanOrEqual(1);

  // The workbook, opened with exceljs: the station's sheet against those figures.
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', stationName.slice(0, 31), '排名', '超期清单', '红牌清单', '巡查覆盖', '积分']);
  const ws = wb.getWorksheet(stationName.slice(0, 31))!;
  const beside = (label: string) => {
    let v: unknown;
    ws.eachRow((r) => {
      if (v === undefined && r.getCell(1).value === label) v = r.getCell(2).value;
    });
    return v;
  };
  const stars = starsFor(score.body, score.total);
  const starText = stars > 0 ? '★'.repeat(stars) + '☆'.repeat(5 - stars) : '无星';
  expect(ws.getRow(2).values).toEqual([undefined, `得分 ${score.total.toFixed(2)}`, starText, `第 ${rank} / ${of}`, '已封账']);
  expect(beside('总分')).toBe(score.total);
  expect(beside('计算得分')).toBe(score.computed);
  expect(beside('区级调整')).toBe(score.adjustment);
  expect(beside('计入事件数')).toBe(score.events);
  expect(beside('超期件数')).toBe(overdue);
  expect(beside('红牌数')).toBe(red);
  const summary = wb.getWorksheet('汇总')!;
  expect(summary.getCell('A3').value).toBe('已封账');
  expect(summary.pageSetup.paperSize).toBe(9);
  // The overdue list lists them (at most 50 a station).
  expect(wb.getWorksheet('超期清单')!.rowCount - 1).toBe(Math.min(overdue, 50) + (overdue > 50 ? 1 : 0));
  // No other station's name anywhere in the deputy's report.
  const text: string[] = [];
  wb.eachSheet((s) => s.eachRow((r) => r.eachCell((c) => text.push(String(c.value ?? '')))));
  const others = await query<{ name: string }>(`SELECT name FROM stations WHERE id <> $1`, [station]);
  for (const o of others) expect(text.join('\n')).not.toContain(o.name);

  // The download is on the record, with the file's SHA-256.
  const audited = await query<{ detail: { period: string; scope: string; sha256: string } }>(
    `SELECT a.detail FROM audit_log a JOIN accounts c ON c.id = a.account_id
      WHERE c.username = 'deputy' AND a.action = 'report.download' AND a.detail ->> 'period' = $1 ORDER BY a.id DESC LIMIT 1`,
    [period],
  );
  expect(audited[0]?.detail).toMatchObject({ period, scope: `s:${station}`, sha256: sha });

  // The printable page, for the notice board, on A4.
  await page.goto(`/console/reports/print?period=${period}&scope=s:${station}`);
  const sheet = page.getByTestId('report-print');
  await expect(sheet).toHaveAttribute('data-frozen', 'true');
  await expect(page.getByTestId('print-summary')).toContainText(`${stationName}${period.slice(0, 4)}年${Number(period.slice(5))}月联动站考评报告`);
  await expect(page.getByTestId(`print-station-${station}`).getByTestId('print-total')).toHaveText(`得分 ${score.total.toFixed(2)}`);
  await expect(page.getByTestId('print-overdue')).toHaveText(String(overdue));
  await page.screenshot({ path: `${OUT}/print.png`, fullPage: true });
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
  writeFileSync(`${OUT}/print.pdf`, pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  expect(pages).toBeGreaterThanOrEqual(3);
  // A4 is 210 × 297 mm: about 595 × 842 points.
  const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
  expect(box).not.toBeNull();
  expect(Math.abs(Number(box![1]) - 595)).toBeLessThan(2);
  expect(Math.abs(Number(box![2]) - 842)).toBeLessThan(2);

  expect(foreign(urls, baseURL!)).toEqual([]);
  await admin.close();
  await deputy.close();
});
