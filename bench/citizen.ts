// `npm run bench:citizen` — issue 14's load: 200 residents reporting at once, each with a photo,
// over a phone's network. A benchmark, not a test: it measures, prints, and says MET / NOT met.
//
//   200 residents (HTTP clients, one connection each) ──▶ throttling proxy (slow 3G, some answers cut) ──▶ ONE server process ──▶ PostgreSQL + Redis
//
// Each resident uploads one photo (~150–300 KB JPEG, POST /api/v1/citizen/photos) and then sends
// its report (POST /api/v1/citizen/requests) with its own idempotency key; a failed attempt (a cut
// connection, a 5xx, a 429) is retried with the same key and the same bytes. The proxy gives every
// connection 400 ms round trip and 400 kbit/s each way, and cuts BENCH_DROP of the answers to a
// report after the server committed it. The same 200 residents' work, unthrottled, runs first in
// the same process as the baseline. Then the database says whether each report was kept once.
// Env: BENCH_PRESET=quick, BENCH_RESIDENTS, BENCH_DROP, BENCH_RTT_MS, BENCH_KBIT, BENCH_DATABASE_URL,
// BENCH_REDIS_URL, BENCH_PORT.
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { CitizenReceiptV1, CitizenServicesV1 } from '../lib/contracts/citizen';
import { createPool } from '../server/db/pool';
import { startServer } from './app-server';
import { runBench } from './children';
import { benchJpeg } from './citizen-jpeg';
import { ThrottlingProxy, type Throttle } from './citizen-proxy';
import { createBenchDatabase, dropBenchDatabase } from './database';
import { LatencyHistogram } from './histogram';
import { deleteKeys } from './redis-keys';

const quick = process.env.BENCH_PRESET === 'quick';
const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? (quick ? 50 : 200));
const THROTTLE: Throttle = {
  rttMs: Number(process.env.BENCH_RTT_MS ?? 400),
  kbitPerSecond: Number(process.env.BENCH_KBIT ?? 400),
  dropRate: Number(process.env.BENCH_DROP ?? 0.15),
  dropPath: '/api/v1/citizen/requests',
};
/** The goal (issue 14 asks that p99 be reported; this is the line we hold it to): the code in hand within 10 s of 提交. */
const GOAL_P99_MS = 10_000;
const ATTEMPTS = 8;
const REQUEST_TIMEOUT_MS = 60_000;
const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liandong_bench_citizen';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = Number(process.env.BENCH_PORT ?? 3470);
const PREFIX = `bench:${process.pid}:`;
const log = (line: string) => console.log(`[bench] ${line}`);

let databaseMade = false;
let dataDir: string | null = null;
let proxy: ThrottlingProxy | null = null;

async function cleanup(): Promise<void> {
  await proxy?.close().catch(() => undefined);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  await deleteKeys(redis, PREFIX).catch(() => 0);
  redis.disconnect();
  if (databaseMade) await dropBenchDatabase(DB_URL).catch((err: Error) => log(`dropping the bench database: ${err.message}`));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}

interface Answer {
  status: number;
  body: string;
}

/** One request on the resident's own connection; a cut connection or a timeout rejects. */
function send(agent: http.Agent, port: number, method: string, url: string, headers: Record<string, string>, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: url, agent, headers: { ...headers, 'content-length': String(body.length) }, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('answer cut')));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Outcome {
  /** Every code this resident was given, over all its attempts: exactly one is right. */
  codes: Set<string>;
  receipt: CitizenReceiptV1 | null;
  /** From 提交 (the photo's upload starts) to the receipt in hand. */
  ackMs: number;
  photoMs: number;
  /** From the report's first send to the receipt (the photo already up). */
  reportMs: number;
  retries: number;
  /** The settling answer was 200: the server had the report already (a retry after a cut answer) and gave its first code back. */
  replayed: boolean;
  /** The last refusal, if the resident never got a code. */
  error: string | null;
}

/**
 * The same request until an answer that settles it: a cut connection, a 5xx or a 429 is tried
 * again after 0.5, 1, 2 … s (Retry-After when given), with the same key and body.
 */
async function untilSettled(agent: http.Agent, port: number, url: string, headers: Record<string, string>, body: Buffer, o: Outcome): Promise<Answer | null> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    if (attempt > 0) o.retries += 1;
    let wait = 500 * 2 ** attempt;
    try {
      const a = await send(agent, port, 'POST', url, headers, body);
      if (a.status < 500 && a.status !== 429) return a;
      o.error = `${a.status} ${a.body.slice(0, 200)}`;
      if (a.status === 429) wait = Math.max(wait, 1000);
    } catch (err) {
      o.error = (err as Error).message;
    }
    await sleep(wait);
  }
  return null;
}

interface Resident {
  deviceId: string;
  key: string;
  photo: Buffer;
  report: (photoId: string) => Buffer;
}

async function resident(r: Resident, port: number): Promise<Outcome> {
  const o: Outcome = { codes: new Set(), receipt: null, ackMs: NaN, photoMs: NaN, reportMs: NaN, retries: 0, replayed: false, error: null };
  // One phone, one connection at a time: its own link through the proxy.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const t0 = performance.now();
  try {
    const up = await untilSettled(agent, port, '/api/v1/citizen/photos', { 'content-type': 'image/jpeg', 'x-device-id': r.deviceId }, r.photo, o);
    o.photoMs = performance.now() - t0;
    if (!up || up.status >= 300) {
      o.error = `photo: ${up ? `${up.status} ${up.body.slice(0, 200)}` : o.error}`;
      return o;
    }
    const photoId = (JSON.parse(up.body) as { id: string }).id;
    const body = r.report(photoId);
    const t1 = performance.now();
    const a = await untilSettled(agent, port, '/api/v1/citizen/requests', { 'content-type': 'application/json', 'x-device-id': r.deviceId }, body, o);
    if (!a) return o;
    if (a.status !== 200 && a.status !== 201) {
      o.error = `${a.status} ${a.body.slice(0, 300)}`;
      return o;
    }
    const receipt = JSON.parse(a.body) as CitizenReceiptV1;
    o.codes.add(receipt.code);
    o.receipt = receipt;
    o.replayed = a.status === 200;
    o.ackMs = performance.now() - t0;
    o.reportMs = performance.now() - t1;
    o.error = null;
    return o;
  } finally {
    agent.destroy();
  }
}

interface Phase {
  name: string;
  devicePrefix: string;
  outcomes: Outcome[];
  wallMs: number;
}

async function runPhase(name: string, tag: string, port: number, services: CitizenServicesV1, places: { lon: number; lat: number }[]): Promise<Phase> {
  const categories = services.categories.flatMap((c) => (c.subcategories.length ? c.subcategories.map((s) => ({ category: c.code, subcategory: s.code })) : [{ category: c.code }]));
  const devicePrefix = `bench-${tag}-${process.pid}-`;
  const residents: Resident[] = Array.from({ length: RESIDENTS }, (_, i) => {
    const deviceId = `${devicePrefix}${String(i).padStart(4, '0')}`;
    const key = `${tag}-${process.pid}-${i}`;
    const c = categories[i % categories.length];
    const place = places[i % places.length];
    return {
      deviceId,
      key,
      // 150–300 KB, different for every resident (and phase): the store keeps photos by their hash.
      photo: benchJpeg((tag === 'base' ? 1 : 2) * 100_000 + i + 1, 150_000 + ((i * 7919) % 150_000)),
      report: (photoId) =>
        Buffer.from(JSON.stringify({
          v: 1, kind: 'report', idempotencyKey: key, deviceId, ...c,
          // Words of its own: identical reports are merged by design, and these are 200 different ones.
          description: `压测群众上报 ${tag} 第 ${i} 号：路灯不亮，请尽快处理（${process.pid}）`,
          location: place,
          photos: [photoId],
        })),
    };
  });
  log(`${name}: ${RESIDENTS} residents at once …`);
  const t0 = performance.now();
  const outcomes = await Promise.all(residents.map((r) => resident(r, port)));
  return { name, devicePrefix, outcomes, wallMs: performance.now() - t0 };
}

interface Kept {
  requests: number;
  events: number;
  keys: number;
  devicesTwice: number;
  codes: number;
  /** Residents whose code is not the one the database holds for their phone. */
  mismatched: number;
}

async function keptOf(db: ReturnType<typeof createPool>, phase: Phase): Promise<Kept> {
  const devicePrefix = phase.devicePrefix;
  const { rows: held } = await db.query<{ device: string; code: string }>(`SELECT device_id AS device, code FROM citizen_requests WHERE device_id LIKE $1`, [`${devicePrefix}%`]);
  const byDevice = new Map(held.map((h) => [h.device, h.code]));
  const mismatched = phase.outcomes.filter((o, i) => o.receipt && byDevice.get(`${devicePrefix}${String(i).padStart(4, '0')}`) !== o.receipt.code).length;
  const { rows } = await db.query<Omit<Kept, 'mismatched'>>(
    `SELECT count(*)::int AS requests, count(DISTINCT event_id)::int AS events, count(DISTINCT idempotency_key)::int AS keys,
            count(DISTINCT code)::int AS codes,
            (SELECT count(*)::int FROM (SELECT device_id FROM citizen_requests WHERE device_id LIKE $1 GROUP BY 1 HAVING count(*) > 1) d) AS "devicesTwice"
       FROM citizen_requests WHERE device_id LIKE $1`,
    [`${devicePrefix}%`],
  );
  return { ...rows[0], mismatched };
}

const q = (h: LatencyHistogram, p: number) => (h.count ? `${(h.quantile(p) / 1000).toFixed(2)} s` : '—');
const dist = (h: LatencyHistogram) => `${q(h, 0.5)} / ${q(h, 0.95)} / ${q(h, 0.99)} / ${h.count ? `${(h.max / 1000).toFixed(2)} s` : '—'}`;

interface Summary {
  phase: Phase;
  kept: Kept;
  ack: LatencyHistogram;
  photo: LatencyHistogram;
  report: LatencyHistogram;
  acknowledged: number;
  exactlyOnce: boolean;
  retries: number;
  failures: string[];
}

function summarise(phase: Phase, kept: Kept): Summary {
  const ack = new LatencyHistogram();
  const photo = new LatencyHistogram();
  const report = new LatencyHistogram();
  let acknowledged = 0;
  let oneCode = 0;
  for (const o of phase.outcomes) {
    if (Number.isFinite(o.photoMs)) photo.record(o.photoMs);
    if (o.receipt) {
      acknowledged += 1;
      ack.record(o.ackMs);
      report.record(o.reportMs);
    }
    if (o.codes.size === 1) oneCode += 1;
  }
  const n = phase.outcomes.length;
  const exactlyOnce = acknowledged === n && oneCode === n && kept.requests === n && kept.events === n && kept.keys === n && kept.codes === n && kept.devicesTwice === 0 && kept.mismatched === 0;
  const failures = [...new Set(phase.outcomes.filter((o) => !o.receipt).map((o) => o.error ?? 'no answer'))].slice(0, 5);
  return { phase, kept, ack, photo, report, acknowledged, exactlyOnce, retries: phase.outcomes.reduce((s, o) => s + o.retries, 0), failures };
}

async function main(): Promise<void> {
  databaseMade = true;
  await createBenchDatabase(DB_URL, 0, log);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-citizen-'));
  const db = createPool(DB_URL, 2);
  // Points inside the district's villages that a station covers: every report lands in a station's queue.
  const { rows: places } = await db.query<{ lon: number; lat: number }>(
    `SELECT round(ST_X(p)::numeric, 6)::float8 AS lon, round(ST_Y(p)::numeric, 6)::float8 AS lat
       FROM (SELECT ST_PointOnSurface(g.geom) AS p FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code
              WHERE g.level = 'grid' ORDER BY g.code) x`,
  );
  await startServer({
    name: 'app server (API)',
    args: ['bench/citizen-server.ts'],
    env: {
      ...process.env, NODE_ENV: 'production', PORT: String(PORT), DATABASE_URL: DB_URL, REDIS_URL, BUS_PREFIX: PREFIX, SIMULATE: '0', DATA_DIR: dataDir,
      // 400 residents' uploads and reports (and retries) from one loopback address: the per-address limits ×100.
      CITIZEN_LIMITS_SCALE: '100', LOG_LEVEL: 'warn',
    },
    port: PORT,
    portVariable: 'BENCH_PORT',
    ready: /serving http/,
  });
  const services = await new Promise<CitizenServicesV1>((resolve, reject) =>
    http.get(`http://127.0.0.1:${PORT}/api/v1/citizen/services`, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`GET /api/v1/citizen/services: ${res.statusCode}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as CitizenServicesV1);
      });
    }).on('error', reject),
  );
  log(`server up; ${services.categories.length} categories residents may report under, ${places.length} places`);

  const base = await runPhase('baseline (loopback, unthrottled, nothing cut)', 'base', PORT, services, places);
  proxy = new ThrottlingProxy({ host: '127.0.0.1', port: PORT }, THROTTLE, 14);
  const proxyPort = await proxy.listen();
  const slow = await runPhase(`slow 3G (${THROTTLE.rttMs} ms RTT, ${THROTTLE.kbitPerSecond} kbit/s each way, ${Math.round(THROTTLE.dropRate * 100)}% of report answers cut)`, 'slow', proxyPort, services, places);
  const results = [summarise(base, await keptOf(db, base)), summarise(slow, await keptOf(db, slow))];
  await db.end();

  console.log('');
  console.log(`issue 14 — ${RESIDENTS} residents reporting at once, one photo each (150–300 KB JPEG), then the report`);
  console.log(`  ${''.padEnd(38)}${'baseline (loopback)'.padEnd(38)}slow 3G through the proxy`);
  const row = (label: string, f: (s: Summary) => string) => console.log(`  ${label.padEnd(38)}${f(results[0]).padEnd(38)}${f(results[1])}`);
  row('acknowledged (one code each)', (s) => `${s.acknowledged} / ${RESIDENTS}`);
  row('ack p50 / p95 / p99 / max', (s) => dist(s.ack));
  row('  of which the photo upload', (s) => dist(s.photo));
  row('  of which the report (POST → code)', (s) => dist(s.report));
  row('retries (same key, same bytes)', (s) => String(s.retries));
  row('answers cut by the proxy', (s) => (s === results[1] ? String(proxy!.stats.dropped) : '0'));
  row('  later answered 200, same code', (s) => String(s.phase.outcomes.filter((o) => o.replayed).length));
  row('in the database: requests', (s) => String(s.kept.requests));
  row('  events / keys / codes', (s) => `${s.kept.events} / ${s.kept.keys} / ${s.kept.codes}`);
  row('  devices with two requests', (s) => String(s.kept.devicesTwice));
  row('  codes not the one kept', (s) => String(s.kept.mismatched));
  row('wall time of the phase', (s) => `${(s.phase.wallMs / 1000).toFixed(1)} s`);
  for (const s of results) for (const f of s.failures) console.log(`  ${s.phase.name.split(' ')[0]} failure: ${f}`);
  const slowSummary = results[1];
  const p99 = slowSummary.ack.quantile(0.99);
  console.log('');
  console.log(`  goal: every report acknowledged exactly once (both runs): ${results.every((s) => s.exactlyOnce) ? 'MET' : 'NOT met'}`);
  console.log(
    `  goal: p99 acknowledgement over slow 3G ≤ ${GOAL_P99_MS / 1000} s (from 提交 to the code, photo included): ` +
      `${Number.isFinite(p99) ? `${(p99 / 1000).toFixed(2)} s — ` : ''}${slowSummary.acknowledged === RESIDENTS && p99 <= GOAL_P99_MS ? 'MET' : 'NOT met'}`,
  );
}

runBench('bench:citizen', main, cleanup);
