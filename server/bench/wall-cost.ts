// npm run bench:wall — the wall's main-thread cost of applying one tick, in Debian's Chromium,
// with BENCH_UNITS moving units (default 10,000) and BENCH_INCIDENTS heatmap incidents
// (default 100,000). Software WebGL makes frame rates meaningless here, so we time the work a
// tick causes on the main thread: the store's applyTick, against a naive JSON apply in the same page.
import { packTick, type PackedFix } from '@/lib/live/pack';
import { createPool } from '../db/pool';
import { openWall, startAppServer } from './app-server';
import { createBenchDatabase, dropBenchDatabase } from './database';

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

async function main(): Promise<void> {
  log(`preparing ${UNITS} units and ${INCIDENTS} incidents …`);
  const units = await createBenchDatabase(DB_URL, UNITS, log);
  await addIncidents(INCIDENTS);
  const server = await startAppServer({ PORT: String(PORT), DATABASE_URL: DB_URL, REDIS_URL, BUS_PREFIX: 'benchwall:', SIMULATE: '0' });
  const stop = async () => {
    server.kill('SIGTERM');
    await dropBenchDatabase(DB_URL).catch(() => undefined);
  };
  process.on('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    const { browser, page } = await openWall(PORT);
    // Slots are made by the first fix of each unit; the first ticks (dropped below) pay for that.
    await page.waitForFunction(() => !!(window as unknown as { __wall?: { store?: unknown } }).__wall?.store, undefined, { timeout: 60_000 });
    await page.waitForTimeout(2000);

    // Every unit moves a few metres each tick, as at 1 Hz with 250 ms ticks in the worst case.
    const ticks: number[][] = [];
    const json: string[] = [];
    for (let k = 0; k < TICKS; k++) {
      const t = Date.now() + k * 250;
      const fixes: PackedFix[] = units.map((u, i) => ({ unitId: u.id, t, lon: u.lon + 0.00002 * k, lat: u.lat + 0.00001 * ((i + k) % 3), speed: 1.3, heading: 90 }));
      ticks.push(Array.from(packTick(1_000_000 + k, fixes)));
      json.push(JSON.stringify(fixes));
    }
    const ours = await page.evaluate(async (all) => {
      const store = (window as unknown as { __wall: { store: { applyTick(b: Uint8Array): void } } }).__wall.store;
      const out: number[] = [];
      for (const t of all) {
        const bytes = new Uint8Array(t);
        const t0 = performance.now();
        store.applyTick(bytes);
        out.push(performance.now() - t0);
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      }
      return out;
    }, ticks);
    // The naive way: a JSON object per unit, parsed, then a fresh array of objects for the layer.
    const naive = await page.evaluate(async (all) => {
      const byId = new Map<number, { id: number; position: [number, number]; t: number }>();
      const out: number[] = [];
      // Kept on window so the engine cannot drop the work as unused.
      const sink = window as unknown as { __naiveData?: unknown[] };
      for (const text of all) {
        const t0 = performance.now();
        const fixes = JSON.parse(text) as { unitId: number; lon: number; lat: number; t: number }[];
        for (const f of fixes) byId.set(f.unitId, { id: f.unitId, position: [f.lon, f.lat], t: f.t });
        sink.__naiveData = [...byId.values()];
        out.push(performance.now() - t0);
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      }
      return out;
    }, json);
    await browser.close();

    const a = quantiles(ours.slice(5));
    const b = quantiles(naive.slice(5));
    const bytesPerTick = ticks[0].length;
    const jsonBytes = Buffer.byteLength(json[0]);
    console.log(`\nwall tick cost in Chromium (${UNITS} moving units, ${INCIDENTS} incidents in the heatmap DB, ${TICKS} ticks, first 5 dropped)`);
    console.log('                       median ms   p95 ms   max ms   bytes/tick');
    console.log(`ours  (binary, store) ${a.p50.toFixed(2).padStart(9)} ${a.p95.toFixed(2).padStart(8)} ${a.max.toFixed(2).padStart(8)} ${String(bytesPerTick).padStart(12)}`);
    console.log(`naive (JSON objects)  ${b.p50.toFixed(2).padStart(9)} ${b.p95.toFixed(2).padStart(8)} ${b.max.toFixed(2).padStart(8)} ${String(jsonBytes).padStart(12)}`);
    console.log(`ratio naive/ours: median ${(b.p50 / a.p50).toFixed(1)}×, bytes ${(jsonBytes / bytesPerTick).toFixed(1)}× — goal: median ≤ 8 ms → ${a.p50 <= 8 ? 'met' : 'NOT met'}`);
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  console.error('[bench:wall] failed:', err);
  process.exit(1);
});
