// npm run bench:wall — the wall's main-thread cost of applying one tick, in Debian's Chromium,
// with BENCH_UNITS moving units (default 10,000) and BENCH_INCIDENTS heatmap incidents
// (default 100,000). Software WebGL makes frame rates meaningless here, so we time the work a
// tick causes on the main thread: the store's applyTick, against a naive JSON apply in the same page.
import type { Browser } from '@playwright/test';
import { createPool } from '../server/db/pool';
import { prepareAppServer, openWall, startAppServer } from './app-server';
import { runBench } from './children';
import { createBenchDatabase, dropBenchDatabase } from './database';
import { measureTicks } from './wall-ticks';

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 100_000);
const TICKS = Number(process.env.BENCH_TICKS ?? 120);
const PORT = Number(process.env.BENCH_PORT ?? 3390);
const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liandong_bench_wall';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = (line: string) => console.log(`[bench:wall] ${line}`);

function quantiles(xs: number[]): { p50: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}

async function addIncidents(n: number): Promise<void> {
  const db = createPool(DB_URL, 1);
  try {
    // 30 days of incidents at random points of random grids: the heatmap's worst window.
    await db.query(
      `INSERT INTO events (source, category, title, severity, state, location, grid_code, reported_at)
       SELECT 'bench', 'dispute', '压测事件', 'normal', 'closed', p.geom, g.code, now() - random() * interval '30 days'
         FROM (SELECT code, geom, row_number() OVER (ORDER BY code) - 1 AS i, count(*) OVER () AS n FROM regions WHERE level = 'grid') g
         JOIN generate_series(0, $1::int - 1) AS s ON s % g.n = g.i
         CROSS JOIN LATERAL (SELECT ST_PointOnSurface(g.geom) AS base) b
         CROSS JOIN LATERAL (SELECT ST_Translate(b.base, (random() - 0.5) * 0.004, (random() - 0.5) * 0.004) AS geom) p`,
      [n],
    );
  } finally {
    await db.end();
  }
}

let browser: Browser | undefined;
let databaseMade = false;

async function main(): Promise<void> {
  // Before minutes of preparing the database, and before it is dropped: a taken port may be another run's.
  await prepareAppServer(PORT, 'BENCH_PORT');
  log(`preparing ${UNITS} units and ${INCIDENTS} incidents …`);
  databaseMade = true;
  const units = await createBenchDatabase(DB_URL, UNITS, log);
  await addIncidents(INCIDENTS);
  await startAppServer({ PORT: String(PORT), DATABASE_URL: DB_URL, REDIS_URL, BUS_PREFIX: 'benchwall:', SIMULATE: '0' });
  const wall = await openWall(PORT);
  browser = wall.browser;
  const { page } = wall;
  // Slots are made by the first fix of each unit; the first ticks (dropped below) pay for that.
  await page.waitForFunction(() => !!(window as unknown as { __wall?: { store?: unknown } }).__wall?.store, undefined, { timeout: 60_000 });
  await page.waitForTimeout(2000);
  log(`wall open; applying ${TICKS} ticks, ours then naive …`);
  const { ours, naive, bytesPerTick, jsonBytesPerTick } = await measureTicks(page, units, TICKS);
  await browser.close();
  browser = undefined;

  const a = quantiles(ours.slice(5));
  const b = quantiles(naive.slice(5));
  console.log(`\nwall tick cost in Chromium (${UNITS} moving units, ${INCIDENTS} incidents in the heatmap DB, ${TICKS} ticks, first 5 dropped)`);
  console.log('                       median ms   p95 ms   max ms   bytes/tick');
  console.log(`ours  (binary, store) ${a.p50.toFixed(2).padStart(9)} ${a.p95.toFixed(2).padStart(8)} ${a.max.toFixed(2).padStart(8)} ${String(bytesPerTick).padStart(12)}`);
  console.log(`naive (JSON objects)  ${b.p50.toFixed(2).padStart(9)} ${b.p95.toFixed(2).padStart(8)} ${b.max.toFixed(2).padStart(8)} ${String(jsonBytesPerTick).padStart(12)}`);
  console.log(`ratio naive/ours: median ${(b.p50 / a.p50).toFixed(1)}×, bytes ${(jsonBytesPerTick / bytesPerTick).toFixed(1)}× — goal: median ≤ 8 ms → ${a.p50 <= 8 ? 'met' : 'NOT met'}`);
}

// The server is stopped by runBench before this runs; the browser and the database are ours to undo.
runBench('bench:wall', main, async () => {
  await browser?.close().catch(() => undefined);
  if (databaseMade) await dropBenchDatabase(DB_URL).catch((err: Error) => log(`dropping the bench database: ${err.message}`));
});
