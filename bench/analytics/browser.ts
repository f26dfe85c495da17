// The cockpit in Debian's Chromium against the real server on the bench database: its first paint
// (the KPI tiles showing their figures) and how soon a figure moves after an event changes.
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { addDays, periodRange } from '../../lib/analytics/period';
import type { KpiAnswerV1 } from '../../lib/contracts/kpi';
import { DEMO_PASSWORD } from '../../server/config';
import type { Db } from '../../server/db/pool';
import { LEADER } from './cluster';
import { KPI_LIMIT_MS } from './kpi';
import { repeat, type Goal } from './timing';

/** The tile both measurements watch: today's reports of the district (app/cockpit/KpiTiles.tsx). */
const TILE = '[data-testid="kpi-value-reported"]';

const CHROMIUM_ARGS = [
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
];

/**
 * In every page, before its scripts: the epoch time at which the tile first shows a figure, and
 * every later change of its data-value, as the page's own clock saw them (a MutationObserver, so
 * no polling interval is added to what is measured).
 */
const RECORDER = `(() => {
  const w = window;
  w.__bench = { firstFigureAt: null, changes: [] };
  let last = null;
  const check = () => {
    const el = document.querySelector('${TILE}');
    if (!el) return;
    const v = el.getAttribute('data-value');
    if (v === null || v === '' || v === last) return;
    const at = performance.timeOrigin + performance.now();
    if (last === null) w.__bench.firstFigureAt = at;
    else w.__bench.changes.push({ value: v, at });
    last = v;
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-value'] });
})();`;

interface Recorded {
  firstFigureAt: number | null;
  changes: { value: string; at: number }[];
}

const recorded = (page: Page): Promise<Recorded> => page.evaluate(() => (window as unknown as { __bench: Recorded }).__bench);

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

async function loggedIn(browser: Browser, base: string, username: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const res = await context.request.post('/api/v1/auth/login', { data: { username, password: DEMO_PASSWORD } });
  if (res.status() !== 200) throw new Error(`login ${username}: ${res.status()} ${await res.text()}`);
  return context;
}

export interface FirstPaint {
  /** Navigation start to the tile showing its figure, per load (each in a fresh context: no cache). */
  ms: number[];
  /** The browser's first contentful paint of the same loads. */
  fcpMs: number[];
  /** Where the last load's time went, from navigation start (Navigation and Resource Timing). */
  phases: string[];
  figure: string;
}

/** Loads /cockpit `reps` times, each in a new context (cold HTTP cache, new session). */
export async function firstPaint(browser: Browser, base: string, reps: number): Promise<FirstPaint> {
  const out: FirstPaint = { ms: [], fcpMs: [], phases: [], figure: '' };
  for (let i = 0; i < reps + 1; i++) {
    const context = await loggedIn(browser, base, LEADER);
    try {
      const page = await context.newPage();
      await page.addInitScript(RECORDER);
      await page.goto('/cockpit?area=district&period=today', { waitUntil: 'commit' });
      await page.waitForFunction(() => (window as unknown as { __bench?: Recorded }).__bench?.firstFigureAt != null, undefined, { timeout: 60_000, polling: 50 });
      const r = await recorded(page);
      const t = await page.evaluate(() => {
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const kpi = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/kpi?')) as PerformanceResourceTiming | undefined;
        return {
          origin: performance.timeOrigin,
          fcp: fcp ? fcp.startTime : null,
          html: nav ? nav.responseEnd : null,
          dcl: nav ? nav.domContentLoadedEventEnd : null,
          kpiStart: kpi ? kpi.startTime : null,
          kpiEnd: kpi ? kpi.responseEnd : null,
        };
      });
      // The first load builds the server's caches (Next.js chunks read from disk): not counted.
      if (i === 0) continue;
      out.ms.push((r.firstFigureAt ?? Number.NaN) - t.origin);
      out.fcpMs.push(t.fcp ?? Number.NaN);
      const f = (v: number | null) => (v === null ? '—' : String(Math.round(v)));
      out.phases.push(`HTML ${f(t.html)}, DOMContentLoaded ${f(t.dcl)}, GET /api/v1/kpi ${f(t.kpiStart)}–${f(t.kpiEnd)} ms`);
      out.figure = (await page.locator(TILE).textContent()) ?? '';
    } finally {
      await context.close();
    }
  }
  return out;
}

export interface LiveMove {
  /** From the report's commit (the API's answer) to the tile's new figure, per change. */
  ms: number[];
  /** From sending the report to the new figure. */
  fromSendMs: number[];
  before: string;
  after: string;
}

/**
 * An open cockpit (district, today) while a gridder reports `reps` events through the API, one
 * at a time: each must move today's count, pushed to the page over /live (the outbox, the socket,
 * the cockpit's refresh), with nothing reloaded.
 */
export async function liveMove(browser: Browser, base: string, db: Db, reps: number): Promise<LiveMove> {
  const leader = await loggedIn(browser, base, LEADER);
  const gridder = await loggedIn(browser, base, 'gridder');
  try {
    const page = await leader.newPage();
    await page.addInitScript(RECORDER);
    await page.goto('/cockpit?area=district&period=today');
    await page.waitForFunction(() => (window as unknown as { __bench?: Recorded }).__bench?.firstFigureAt != null, undefined, { timeout: 60_000 });
    // The socket must be up before the first change, or the change is not pushed but fetched on connect.
    await page.waitForTimeout(3000);
    const { rows } = await db.query<{ lon: number; lat: number }>(
      `SELECT b.lon, b.lat FROM bench_grids b JOIN accounts a ON a.station_id = b.station WHERE a.username = 'gridder' ORDER BY b.code LIMIT 1`,
    );
    if (!rows[0]) throw new Error("no grid in the gridder's station");
    const out: LiveMove = { ms: [], fromSendMs: [], before: (await page.locator(TILE).textContent()) ?? '', after: '' };
    for (let i = 0; i < reps; i++) {
      const seen = (await recorded(page)).changes.length;
      const sent = Date.now();
      const res = await gridder.request.post('/api/v1/events', {
        data: {
          v: 1,
          idempotencyKey: `bench-analytics-live-${process.pid}-${sent}-${i}`,
          category: 'livelihood',
          title: '压测：驾驶舱实时指标',
          location: { lon: rows[0].lon, lat: rows[0].lat },
        },
      });
      const committed = Date.now();
      if (res.status() !== 201) throw new Error(`reporting an event: ${res.status()} ${await res.text()}`);
      await page.waitForFunction((n) => (window as unknown as { __bench: Recorded }).__bench.changes.length > n, seen, { timeout: 30_000, polling: 20 });
      const change = (await recorded(page)).changes[seen];
      out.ms.push(change.at - committed);
      out.fromSendMs.push(change.at - sent);
      // Spaced out: each change its own, not folded into the last one's refresh.
      await page.waitForTimeout(1500);
    }
    out.after = (await page.locator(TILE).textContent()) ?? '';
    return out;
  } finally {
    await leader.close();
    await gridder.close();
  }
}

/**
 * Goal 1 once more, as the cockpit asks it: GET /api/v1/kpi over HTTP as the district leader
 * (session, scope rule, validation, JSON included), for the district and a station per period.
 */
export async function kpiOverHttp(browser: Browser, base: string, reps: number, stationIds: readonly number[]): Promise<Goal[]> {
  const context = await loggedIn(browser, base, LEADER);
  try {
    const today = periodRange('today', new Date());
    const periods: [string, string][] = [
      ['today', 'period=today'],
      ['this week', 'period=week'],
      ['this month', 'period=month'],
      ['a year (range)', `period=range&from=${addDays(today.from, -364)}&to=${today.to}`],
    ];
    const out: Goal[] = [];
    for (const [label, query] of periods) {
      for (const kind of ['district', 'station'] as const) {
        const name = `  over HTTP: ${kind === 'district' ? 'the district' : 'a station'}, ${label}`;
        const area = (i: number) => (kind === 'district' ? 'district' : `station:${stationIds[(i * 7 + 3) % stationIds.length]}`);
        const ours = await repeat(reps, async (i) => {
          const res = await context.request.get(`/api/v1/kpi?area=${area(i)}&${query}`);
          if (res.status() !== 200) throw new Error(`GET /api/v1/kpi: ${res.status()} ${(await res.text()).slice(0, 200)}`);
          const body = (await res.json()) as KpiAnswerV1;
          return `${body.values.find((v) => v.code === 'reported')?.value ?? '—'} reported (${body.period.from} … ${body.period.to})`;
        });
        out.push({ name, limitMs: KPI_LIMIT_MS, ours });
      }
    }
    return out;
  } finally {
    await context.close();
  }
}
