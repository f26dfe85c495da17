// npm run soak:wall — an accelerated day on the wall: the simulator at SIM_SPEEDUP (default 10×)
// for SOAK_MINUTES (default 60), the wall open in Chromium, sampling after a forced GC: the page's
// JS heap, DOM nodes and event listeners, the server's RSS, open file descriptors and live sockets.
// Growth is a least-squares slope per hour over the samples after warm-up. Not a test: it prints.
import { readdirSync } from 'node:fs';
import type { Browser } from '@playwright/test';
import { prepareAppServer, openWall, startAppServer } from './app-server';
import { runBench } from './children';
import { createBenchDatabase, dropBenchDatabase } from './database';
import { createPool } from '../server/db/pool';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 60);
const SAMPLE_S = Number(process.env.SOAK_SAMPLE_S ?? 60);
const SPEEDUP = process.env.SIM_SPEEDUP ?? '10';
const PORT = Number(process.env.SOAK_PORT ?? 3391);
const DB_URL = process.env.SOAK_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liandong_bench_soak';
const REDIS_URL = process.env.SOAK_REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = (line: string) => console.log(`[soak:wall] ${line}`);

interface Sample {
  minute: number;
  heapMB: number;
  nodes: number;
  listeners: number;
  serverRssMB: number;
  fds: number;
  sockets: number;
  ticks: number;
  dbMB: number;
  positionsMB: number;
}

function slopePerHour(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const num = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
  const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
}

let browser: Browser | undefined;
let databaseMade = false;

async function main(): Promise<void> {
  await prepareAppServer(PORT, 'SOAK_PORT');
  databaseMade = true;
  await createBenchDatabase(DB_URL, 0, log);
  const db = createPool(DB_URL, 1);
  const server = await startAppServer({ PORT: String(PORT), DATABASE_URL: DB_URL, REDIS_URL, BUS_PREFIX: 'soak:', SIMULATE: '1', SIM_SPEEDUP: SPEEDUP }, 'SOAK_PORT');
  const wall = await openWall(PORT);
  browser = wall.browser;
  const { context, page } = wall;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  log(`wall open; simulator at ${SPEEDUP}×; sampling every ${SAMPLE_S} s for ${MINUTES} min`);
  console.log('minute  heap MB  DOM nodes  listeners  server RSS MB  server fds  live sockets  ticks seen    db MB  positions MB');

  const samples: Sample[] = [];
  const t0 = Date.now();
  while (Date.now() - t0 < MINUTES * 60_000) {
    await page.waitForTimeout(SAMPLE_S * 1000);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const metrics = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const metric = (name: string) => metrics.metrics.find((m) => m.name === name)?.value ?? 0;
    const stats = (await page.evaluate(() => fetch('/api/v1/live/stats').then((r) => r.json()))) as { liveSockets: number; rssBytes: number };
    // The record's growth: the whole database and the position history's partitions (issue 11: ~4 GB a day at 1×).
    const { rows: size } = await db.query<{ db: number; pos: number }>(
      `SELECT pg_database_size(current_database())::float8 AS db,
              (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'positions'::regclass)::float8 AS pos`,
    );
    const ticks = await page.evaluate(() => (window as unknown as { __wall?: { store?: { stats: { ticks: number } } } }).__wall?.store?.stats.ticks ?? 0);
    const s: Sample = {
      minute: (Date.now() - t0) / 60_000,
      heapMB: heap.usedSize / 1e6,
      nodes: metric('Nodes'),
      listeners: metric('JSEventListeners'),
      serverRssMB: stats.rssBytes / 1e6,
      fds: readdirSync(`/proc/${server.pid}/fd`).length,
      sockets: stats.liveSockets,
      ticks,
      dbMB: size[0].db / 1e6,
      positionsMB: size[0].pos / 1e6,
    };
    samples.push(s);
    console.log(
      `${s.minute.toFixed(1).padStart(6)} ${s.heapMB.toFixed(1).padStart(8)} ${String(s.nodes).padStart(10)} ${String(s.listeners).padStart(10)} ` +
        `${s.serverRssMB.toFixed(0).padStart(13)} ${String(s.fds).padStart(11)} ${String(s.sockets).padStart(13)} ${String(s.ticks).padStart(11)}` +
        `${s.dbMB.toFixed(0).padStart(9)} ${s.positionsMB.toFixed(0).padStart(13)}`,
    );
  }
  await browser.close();
  browser = undefined;

  // The first samples include start-up (caches, JIT, the first snapshot): growth is judged after them.
  const steady = samples.slice(Math.min(2, Math.max(0, samples.length - 2)));
  const xs = steady.map((s) => s.minute);
  const report = (name: string, pick: (s: Sample) => number, unit: string) =>
    console.log(`${name.padEnd(22)} first ${pick(steady[0]).toFixed(1)} ${unit}, last ${pick(steady[steady.length - 1]).toFixed(1)} ${unit}, slope ${slopePerHour(xs, steady.map(pick)).toFixed(2)} ${unit}/h`);
  console.log(`\nafter warm-up (${steady.length} samples, ${MINUTES} min at ${SPEEDUP}× ≈ ${((MINUTES * Number(SPEEDUP)) / 60).toFixed(1)} h of messages):`);
  report('wall JS heap', (s) => s.heapMB, 'MB');
  report('wall DOM nodes', (s) => s.nodes, '');
  report('wall event listeners', (s) => s.listeners, '');
  report('server RSS', (s) => s.serverRssMB, 'MB');
  report('server open fds', (s) => s.fds, '');
  report('server live sockets', (s) => s.sockets, '');
  report('database size', (s) => s.dbMB, 'MB');
  report('position history', (s) => s.positionsMB, 'MB');
  await db.end();
}

// The server is stopped by runBench before this runs; the browser and the database are ours to undo.
runBench('soak:wall', main, async () => {
  await browser?.close().catch(() => undefined);
  if (databaseMade) await dropBenchDatabase(DB_URL).catch((err: Error) => log(`dropping the bench database: ${err.message}`));
});
