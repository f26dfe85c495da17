import { expect, test, type Page } from '@playwright/test';
import { createPool } from '../server/db/pool';
import { foreign, recordRequests } from './airgap';
import { DB, DESK, loggedIn, query } from './screens';

/*
 * The leaders' cockpit (issue 13) as the executive deputy chief uses it: the figures are the
 * database's, a tile opens the list of the events it counts and the list is as long as the figure,
 * a change to an event moves the tile within 2 s, the drill goes down to a grid and back, and the
 * page asks no host but its own.
 */

interface Place {
  station: number;
  grid: string;
  village: string;
  town: string;
  lon: number;
  lat: number;
}

/** A grid of the deputy's station and a point PostGIS says is inside it. */
async function deputyPlace(): Promise<Place> {
  const [row] = await query<Place>(
    `SELECT sv.station_id AS station, g.code AS grid, v.code AS village, v.parent_code AS town,
            ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
       FROM regions g JOIN regions v ON v.code = g.parent_code
       JOIN station_villages sv ON sv.village_code = v.code
      WHERE g.level = 'grid' AND sv.station_id = (SELECT station_id FROM accounts WHERE username = 'deputy')
      ORDER BY g.code LIMIT 1`,
  );
  return row;
}

const planted: number[] = [];

/**
 * An event reported now in the place, committed with its outbox row as the event writer commits
 * one (server/outbox): the publisher pushes it to the station's screens after the commit.
 */
async function plant(place: Place, title: string): Promise<number> {
  const db = createPool(DB, 1);
  try {
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO events (source, idempotency_key, category, title, location, grid_code, village_code, town_code, station_id)
         VALUES ('e2e', $1, 'dispute', $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, $6, $7, $8) RETURNING id`,
        [`cockpit-${Date.now()}-${planted.length}`, title, place.lon, place.lat, place.grid, place.village, place.town, place.station],
      );
      const id = Number(rows[0].id);
      planted.push(id);
      await client.query(`INSERT INTO outbox (kind, ref) VALUES ('incident', $1)`, [id]);
      await client.query('COMMIT');
      return id;
    } finally {
      client.release();
    }
  } finally {
    await db.end();
  }
}

test.afterAll(async () => {
  if (!planted.length) return;
  // The rollup's delete trigger takes them out of the figures again (migration 017).
  await query(`DELETE FROM outbox WHERE kind = 'incident' AND ref = ANY($1::bigint[])`, [planted]);
  await query(`DELETE FROM events WHERE id = ANY($1::bigint[])`, [planted]);
});

/** The figure a tile shows, as the number it was drawn from ('' when it has none). */
const figure = (page: Page, code: string) => page.getByTestId(`kpi-value-${code}`).getAttribute('data-value');

/** Every row of the open list, asking for further pages until the list says it has them all. */
async function listedRows(page: Page): Promise<number> {
  const list = page.getByTestId('kpi-events');
  const more = list.getByTestId('kpi-events-more');
  while (await more.isVisible()) {
    const before = await list.getByTestId('kpi-event-row').count();
    await more.click();
    await expect.poll(() => list.getByTestId('kpi-event-row').count()).toBeGreaterThan(before);
  }
  return list.getByTestId('kpi-event-row').count();
}

test('the deputy reads the station cockpit: figures match the database, a tile opens its events, a change moves the tile within 2 s, no foreign host', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const place = await deputyPlace();
  const stamp = Date.now();
  // Two of today's events at least, so the figure and its list are more than an empty agreement.
  await plant(place, `驾驶舱端到端：邻里纠纷甲（${stamp}）`);
  await plant(place, `驾驶舱端到端：邻里纠纷乙（${stamp}）`);

  const context = await loggedIn(browser, 'deputy', DESK);
  const page = await context.newPage();
  const urls = recordRequests(page);
  await page.goto('/cockpit');

  // A station leader lands on their own station, live.
  const board = page.getByTestId('cockpit');
  await expect(board).toHaveAttribute('data-area', `station:${place.station}`, { timeout: 60_000 });
  await expect(board).toHaveAttribute('data-live', 'true');
  const day = await board.getAttribute('data-day');
  expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);

  // 上报件数 today is the database's count of the station's events reported on the day the page shows.
  const counted = async () => {
    const [row] = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE station_id = $1 AND (reported_at AT TIME ZONE 'Asia/Shanghai')::date = $2::date`,
      [place.station, day],
    );
    return row.n;
  };
  const before = await counted();
  expect(before).toBeGreaterThanOrEqual(2);
  await expect.poll(() => figure(page, 'reported')).toBe(String(before));
  await expect(page.getByTestId('kpi-tile-reported')).toContainText('上报件数');
  // Its 口径 is in reach of a hover and of a screen reader.
  await page.getByTestId('kpi-tile-reported').hover();
  await expect(page.getByRole('tooltip').filter({ hasText: '口径' }).first()).toBeVisible();

  // The tile drills to the list of its events, as long as the figure; the URL keeps it.
  await page.getByTestId('kpi-tile-reported').click();
  const list = page.getByTestId('kpi-events');
  await expect(list).toHaveAttribute('data-kpi', 'reported');
  await expect(list.getByTestId('kpi-events-total')).toHaveAttribute('data-total', String(before));
  expect(await listedRows(page)).toBe(before);
  expect(new URL(page.url()).searchParams.get('kpi')).toBe('reported');
  await page.screenshot({ path: 'test-results/cockpit-desk-drill.png', fullPage: true });

  // A new event in the station moves the tile, and the open list, within 2 s of its commit.
  const id = await plant(place, `驾驶舱端到端：新上报（${stamp}）`);
  await expect(page.getByTestId('kpi-value-reported')).toHaveAttribute('data-value', String(before + 1), { timeout: 2000 });
  await expect(list.getByTestId('kpi-events-total')).toHaveAttribute('data-total', String(before + 1), { timeout: 2000 });
  await expect(list.locator(`[data-event-id="${id}"]`)).toBeVisible();
  expect(await counted()).toBe(before + 1);

  // A ratio's list of what it was counted of is as long as its denominator.
  const denominator = await page.getByTestId('kpi-tile-completion').getAttribute('data-denominator');
  await page.getByTestId('kpi-tile-completion').click();
  await list.getByTestId('part-denominator').click();
  await expect(list).toHaveAttribute('data-part', 'denominator');
  await expect(list.getByTestId('kpi-events-total')).toHaveAttribute('data-total', denominator!);

  // A reload (or a shared link) shows the same.
  await page.reload();
  await expect(page.getByTestId('kpi-events')).toHaveAttribute('data-part', 'denominator', { timeout: 30_000 });

  // Down the ranking to the planted grid, then back up by the breadcrumb.
  await page.getByTestId('kpi-events').getByRole('button', { name: '关闭事件列表' }).click();
  const row = page.getByTestId(`rank-row-grid:${place.grid}`);
  await row.getByRole('link').click();
  await expect(board).toHaveAttribute('data-area', `grid:${place.grid}`);
  expect(new URL(page.url()).searchParams.get('area')).toBe(`grid:${place.grid}`);
  const [inGrid] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM events WHERE grid_code = $1 AND (reported_at AT TIME ZONE 'Asia/Shanghai')::date = $2::date`,
    [place.grid, day],
  );
  await expect.poll(() => figure(page, 'reported')).toBe(String(inGrid.n));
  await page.getByTestId(`crumb-station:${place.station}`).click();
  await expect(board).toHaveAttribute('data-area', `station:${place.station}`);

  // The sort of 互比互看 follows a click on a column.
  await page.getByTestId('rank-sort-reported').click();
  await expect(page.getByTestId('ranking').locator('th[aria-sort="descending"]')).toContainText('上报件数');
  await page.screenshot({ path: 'test-results/cockpit-desk.png', fullPage: true });

  expect(urls.some((u) => u.includes('/socket.io/'))).toBe(true);
  expect(foreign(urls, baseURL!)).toEqual([]);
  await context.close();
});

test('a role that may not read the cockpit is told so; no session goes to the login page', async ({ browser }) => {
  const context = await loggedIn(browser, 'gridder', DESK);
  const page = await context.newPage();
  await page.goto('/cockpit');
  await expect(page.getByTestId('cockpit')).toHaveAttribute('data-state', 'refused');
  await expect(page.getByTestId('cockpit').getByRole('alert')).toContainText('无权查看');
  await context.close();

  const anonymous = await browser.newContext(DESK);
  const visitor = await anonymous.newPage();
  await visitor.goto('/cockpit?period=week');
  await expect(visitor).toHaveURL(/\/login\?next=%2Fcockpit%3Fperiod%3Dweek/);
  await anonymous.close();
});

test('projected as on a wall, the board fits 1920×1080, 3840×2160 and 5120×1440 without scrollbars', async ({ browser, baseURL }) => {
  const context = await loggedIn(browser, 'deputy', DESK);
  const page = await context.newPage();
  const urls = recordRequests(page);
  await page.goto('/cockpit');
  await expect(page.getByTestId('cockpit')).toHaveAttribute('data-area', /^station:/, { timeout: 60_000 });
  await page.getByTestId('project').click();
  expect(new URL(page.url()).searchParams.get('view')).toBe('wall');
  for (const [width, height] of [[1920, 1080], [3840, 2160], [5120, 1440]]) {
    await page.setViewportSize({ width, height });
    const board = page.getByTestId('cockpit');
    await expect(board).toHaveAttribute('data-area', /^station:/, { timeout: 30_000 });
    await expect(board.getByTestId('trend-lines')).toBeVisible();
    await expect(board.getByTestId('ranking')).toBeVisible();
    // No control asks for a pointer on a wall.
    await expect(board.getByRole('button')).toHaveCount(0);
    const fit = await page.evaluate(() => {
      const root = document.documentElement;
      const el = document.querySelector('[data-testid="cockpit"]')!;
      const box = el.getBoundingClientRect();
      // Every part of the board inside the screen; nothing inside it clipped by its own overflow.
      const inside = [...el.querySelectorAll('li, section, figure')].every((n) => {
        const r = n.getBoundingClientRect();
        return r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5;
      });
      // The ranking's rows are all shown, none cut off by its panel.
      const panel = document.querySelector('[data-testid="ranking"]')!.closest('section')!.getBoundingClientRect();
      const rows = [...document.querySelectorAll('[data-testid="ranking"] tr')].every((n) => n.getBoundingClientRect().bottom <= panel.bottom + 0.5);
      return {
        page: root.scrollWidth <= innerWidth && root.scrollHeight <= innerHeight,
        rows,
        board: el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1,
        filled: box.width >= innerWidth * 0.95 && box.height >= innerHeight * 0.95,
        inside,
      };
    });
    expect(fit, `${width}×${height}`).toEqual({ page: true, rows: true, board: true, filled: true, inside: true });
    await page.screenshot({ path: `test-results/cockpit-wall-${width}x${height}.png` });
  }
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('project')).toBeVisible();
  expect(foreign(urls, baseURL!)).toEqual([]);
  await context.close();
});

test('from a shared link to a grid the breadcrumb leads up to the district, whose ranking drills back down to the station', async ({ browser }) => {
  const place = await deputyPlace();
  const context = await loggedIn(browser, 'admin', DESK);
  const page = await context.newPage();
  await page.goto(`/cockpit?area=grid:${place.grid}&period=month`);
  const board = page.getByTestId('cockpit');
  await expect(board).toHaveAttribute('data-area', `grid:${place.grid}`, { timeout: 60_000 });
  // The ancestors are found one level at a time (AreaInfo.parent): station, town, district.
  const crumbs = page.getByTestId('breadcrumb');
  await expect(crumbs.getByTestId(`crumb-station:${place.station}`)).toBeVisible();
  await expect(crumbs.getByTestId(`crumb-town:${place.town}`)).toBeVisible();
  await crumbs.getByTestId('crumb-district').click();
  await expect(board).toHaveAttribute('data-area', 'district');
  // The period stays as the link set it.
  expect(new URL(page.url()).searchParams.get('period')).toBe('month');
  await page.getByTestId(`rank-row-station:${place.station}`).getByRole('link').click();
  await expect(board).toHaveAttribute('data-area', `station:${place.station}`);
  // Back goes back up.
  await page.goBack();
  await expect(board).toHaveAttribute('data-area', 'district');

  // A custom range, the 30 days before today (both inclusive), kept in the link.
  const [range] = await query<{ from: string; to: string }>(
    `SELECT to_char(d - 30, 'YYYY-MM-DD') AS from, to_char(d - 1, 'YYYY-MM-DD') AS to FROM (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS d) x`,
  );
  await page.getByTestId('period-range').click();
  await page.getByTestId('period-from').fill(range.from);
  await page.getByTestId('period-to').fill(range.to);
  await page.getByTestId('period-apply').click();
  await expect(page.getByTestId('period-note')).toContainText(`${range.from} 至 ${range.to}`);
  expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({ period: 'range', from: range.from, to: range.to });
  await context.close();
});
