import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { DB, DESK, loggedIn, query } from './screens';
import { createPool, inTransaction } from '../server/db/pool';
import { agendaFor } from '../server/command/meetings';

/*
 * Early warning end to end (issue 13, S9 item 4): events planted in one grid of the deputy's
 * station make a surge; the warnings job runs; the warning reaches an open wall and an open
 * console within 2 s of the run's end; the deputy acknowledges it and turns it into an agenda
 * item of the station's next consultation, which the record and its page then show.
 * Plants are events of source 'e2e-warn', removed afterwards with every warning made meanwhile.
 */

const SOURCE = 'e2e-warn';
const CATEGORY = 'policy';
const DAY = 86_400_000;
/** The push's allowance after the job ends (the acceptance). */
const PUSH_MS = 2000;

let firstWarning = 0;
let station = 0;
let grid = '';
let contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  firstWarning = (await query<{ n: number }>(`SELECT coalesce(max(id), 0)::int AS n FROM warnings`))[0].n;
  station = (await query<{ id: number }>(`SELECT station_id AS id FROM accounts WHERE username = 'deputy'`))[0].id;
  const grids = await query<{ code: string }>(
    `SELECT g.code FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
      WHERE g.level = 'grid' AND sv.station_id = $1 ORDER BY g.code`,
    [station],
  );
  grid = grids.at(-2)!.code;
  // Two in the baseline weeks, twelve in the last hours: far beyond the grid's own rate.
  const agoes = [30 * DAY, 60 * DAY, ...Array.from({ length: 12 }, (_, i) => (i + 1) * 3_600_000)];
  await query(
    `INSERT INTO events (source, category, title, grid_code, station_id, location, reported_at)
     SELECT $1, $2, '预警演练事件', $3, $4, (SELECT ST_PointOnSurface(geom) FROM regions WHERE code = $3),
            now() - make_interval(secs => x.ago / 1000.0)
       FROM unnest($5::float8[]) AS x(ago)`,
    [SOURCE, CATEGORY, grid, station, agoes],
  );
});

test.afterAll(async () => {
  for (const c of contexts) await c.close();
  contexts = [];
  const db = createPool(DB, 1);
  try {
    const converted = (await db.query<{ id: number }>(
      `SELECT converted_id AS id FROM warnings WHERE id > $1 AND converted_kind = 'consultation'`, [firstWarning],
    )).rows;
    await db.query(`DELETE FROM inspection_tasks WHERE warning_id > $1`, [firstWarning]);
    await db.query(`DELETE FROM warnings WHERE id > $1`, [firstWarning]);
    await db.query(`DELETE FROM events WHERE source = $1`, [SOURCE]);
    // The meetings the test put an item on get the agenda they would have without its plants
    // (the warning's item, and the repeat-events item its events made), as server/warnings's test does.
    await inTransaction(db, async (tx) => {
      const agenda = JSON.stringify(await agendaFor(tx, station));
      for (const c of converted) await tx.query(`UPDATE consultations SET agenda = $2 WHERE id = $1 AND state <> 'closed'`, [c.id, agenda]);
    });
  } finally {
    await db.end();
  }
});

async function wallWithWarnings(page: Page): Promise<void> {
  await page.goto('/wall?display=demo-wall&screen=warnings');
  await expect(page.locator('body')).toHaveAttribute('data-wall-ready', '1', { timeout: 60_000 });
  await expect.poll(() => page.evaluate(() => {
    const v = window.__wall?.store?.getState();
    return Boolean(v?.connected && v.warningsLoaded);
  }), { timeout: 30_000 }).toBe(true);
}

test('a surge raised by the job shows on the wall and the console, and the deputy makes it an agenda item', async ({ browser }) => {
  const wallContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const deputyContext = await loggedIn(browser, 'deputy', DESK);
  const adminContext = await loggedIn(browser, 'admin', DESK);
  contexts = [wallContext, deputyContext, adminContext];

  const wall = await wallContext.newPage();
  const desk = await deputyContext.newPage();
  const errors: string[] = [];
  for (const p of [wall, desk]) p.on('pageerror', (e) => errors.push(`${p === wall ? 'wall' : 'console'}: ${e.message}`));
  // When each warning frame reached the console's socket, for the report if the push is late.
  const frames: [number, string][] = [];
  desk.on('websocket', (ws) => ws.on('framereceived', (f) => {
    const text = typeof f.payload === 'string' ? f.payload : '';
    if (text.includes('"warning"') || text.startsWith('0') || text.startsWith('40') || text.includes('resync')) frames.push([Date.now(), text.slice(0, 40)]);
  }));
  await wallWithWarnings(wall);
  await desk.goto('/console/warnings');
  // A deputy has the page open before the job runs: its map drawn (grids and all), not still loading them.
  await expect(desk.locator('body')).toHaveAttribute('data-wall-ready', '1', { timeout: 60_000 });
  await expect(desk.getByTestId('warnings-connection')).toContainText('已连接', { timeout: 30_000 });
  await expect.poll(() => desk.evaluate(() => Boolean(window.__warnings?.store.getState().warningsLoaded))).toBe(true);

  const watch = (p: Page, prefix: string) => p.evaluate((pre) => {
    const w = window as unknown as { __seen: Record<string, number> };
    w.__seen = {};
    const mark = () => {
      for (const e of document.querySelectorAll(`[data-testid^="${pre}"]`)) w.__seen[e.getAttribute('data-testid')!] ??= Date.now();
    };
    new MutationObserver(mark).observe(document.body, { subtree: true, childList: true });
  }, prefix);
  await watch(desk, 'warning-');
  await watch(wall, 'wall-warning-');

  const run = await adminContext.request.post('/api/v1/admin/warnings/run', { data: {} });
  const ended = Date.now();
  expect(run.status()).toBe(200);
  expect(await run.json()).toMatchObject({ ran: true });

  const [raised] = await query<{ id: number; title: string; state: string }>(
    `SELECT id::int, title, state FROM warnings WHERE id > $1 AND kind = 'surge' AND grid_code = $2 AND category = $3 ORDER BY id DESC LIMIT 1`,
    [firstWarning, grid, CATEGORY],
  );
  expect(raised, 'the planted surge raised a warning').toBeTruthy();
  expect(raised.state).toBe('open');

  // Both screens draw it within 2 s of the job's end: pushed, not polled (their refreshes are minutes
  // apart). Each page notes when a card first appeared, so the test's own polling adds nothing.
  const firstSeen = (p: Page) => p.evaluate(() => (window as unknown as { __seen: Record<string, number> }).__seen);
  await expect.poll(async () => (await firstSeen(desk))[`warning-${raised.id}`] ?? null, { timeout: 15_000, message: errors.join('\n') }).not.toBeNull();
  // The wall shows the most urgent first, a page at a time: some card raised by this run is up.
  const wallSeen = async () => {
    const seen = Object.entries(await firstSeen(wall)).filter(([t]) => Number(t.slice('wall-warning-'.length)) > firstWarning).map(([, at]) => at);
    return seen.length > 0 ? Math.min(...seen) : null;
  };
  await expect.poll(wallSeen, { timeout: 15_000 }).not.toBeNull();
  const onDesk = (await firstSeen(desk))[`warning-${raised.id}`] - ended;
  const onWallMs = (await wallSeen())! - ended;
  test.info().annotations.push({ type: 'push', description: `drawn on the console ${onDesk} ms and on the wall ${onWallMs} ms after the job ended` });
  test.info().annotations.push({ type: 'console frames', description: frames.map(([t, f]) => `${t - ended} ms ${f}`).join(' | ') });
  expect(onDesk).toBeLessThan(PUSH_MS);
  expect(onWallMs).toBeLessThan(PUSH_MS);
  const onWall = () => wall.evaluate((id) => window.__wall?.store?.warnings.get(id)?.state ?? null, raised.id);
  expect(await onWall()).toBe('open');
  await expect(wall.getByTestId(`wall-warning-${raised.id}`)).toBeVisible({ timeout: 60_000 });
  await expect(wall.getByTestId(`wall-warning-${raised.id}`)).toContainText(raised.title);
  await wall.screenshot({ path: test.info().outputPath('wall-warnings-raised-1920x1080.png') });

  // 签收, then one more click: 转会商议题.
  await desk.getByTestId(`warning-${raised.id}`).click();
  const detail = desk.getByTestId('warning-detail');
  await expect(detail).toContainText(raised.title);
  await expect(detail.getByRole('link', { name: /^#\d+$/ }).first()).toBeVisible();
  await detail.getByRole('button', { name: '签收' }).click();
  await expect(detail.getByTestId('warning-state')).toHaveText('已签收');
  await desk.screenshot({ path: test.info().outputPath('console-warnings.png') });
  await detail.getByRole('button', { name: '转会商议题' }).click();
  await expect(detail.getByTestId('warning-converted')).toContainText('已转为会商议题');
  // The wall hears of it too.
  await expect.poll(onWall, { timeout: 5000 }).toBe('converted');

  const [row] = await query<{ kind: string; id: number; state: string }>(
    `SELECT converted_kind AS kind, converted_id::int AS id, state FROM warnings WHERE id = $1`, [raised.id],
  );
  expect(row).toMatchObject({ kind: 'consultation', state: 'converted' });
  const [meeting] = await query<{ stationId: number; state: string; agenda: { kind: string; label: string }[] }>(
    `SELECT station_id AS "stationId", state, agenda FROM consultations WHERE id = $1`, [row.id],
  );
  expect(meeting.stationId).toBe(station);
  expect(['scheduled', 'open']).toContain(meeting.state);
  expect(meeting.agenda).toContainEqual(expect.objectContaining({ kind: 'warning', label: `预警：${raised.title}` }));

  // On screen: the consultation's record lists the item.
  await detail.getByRole('link', { name: `查看会商 #${row.id}` }).click();
  await expect(desk).toHaveURL(new RegExp(`/console/consultations/${row.id}$`));
  await expect(desk.getByRole('listitem').filter({ hasText: `预警：${raised.title}` })).toBeVisible();
  await desk.screenshot({ path: test.info().outputPath('console-consultation-agenda.png') });
  expect(errors).toEqual([]);
});
