// The outside system of the bench: N units reporting at 1 Hz, XADDed to the raw input stream in
// batches spread evenly over each second, in a process of its own so its load is measured apart.
import { Redis } from 'ioredis';
import { emitEvent, followParent, serveRequests } from './ipc';
import type { BenchUnit, PublisherReport, PublisherRequest, PublisherStart } from './protocol';

const HZ = 1;
/** Each unit circles its start point: ~80 m radius, 5 min a lap ≈ 1.7 m/s, far below the 50 m/s jump limit. */
const RADIUS_DEG = 0.0008;
const LAP_MS = 300_000;
const GOLDEN = Math.PI * (3 - Math.sqrt(5));

let redis: Redis | undefined;
let stopped = false;
let published = 0;
let bytes = 0;
let errors = 0;
let inflight = 0;
let maxInflight = 0;
let maxLateMs = 0;
let lateThisSecond = 0;
let windowIds = new Uint32Array(0);
let windowTs = new Float64Array(0);
let windowCount = 0;
let running: Promise<void> = Promise.resolve();

function remember(id: number, t: number): void {
  if (windowCount === windowIds.length) {
    const ids = new Uint32Array(Math.max(1024, windowIds.length * 2));
    const ts = new Float64Array(ids.length);
    ids.set(windowIds);
    ts.set(windowTs);
    windowIds = ids;
    windowTs = ts;
  }
  windowIds[windowCount] = id;
  windowTs[windowCount] = t;
  windowCount += 1;
}

function position(u: BenchUnit, i: number, t: number) {
  const angle = (2 * Math.PI * t) / LAP_MS + i * GOLDEN;
  const lon = u.lon + RADIUS_DEG * Math.cos(angle);
  const lat = u.lat + RADIUS_DEG * Math.sin(angle);
  const heading = (((90 - (angle * 180) / Math.PI) % 360) + 360) % 360;
  return { unit: u.code, t, lon: Math.round(lon * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6, speed: 1.7, heading: Math.round(heading) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function publish(cfg: PublisherStart): Promise<void> {
  const client = new Redis(cfg.redisUrl, { maxRetriesPerRequest: 3 });
  client.on('error', (err: Error) => console.error('[publisher] redis:', err.message));
  redis = client;
  const n = cfg.units.length;
  const slots = Math.ceil(n / cfg.batch);
  const slotMs = 1000 / HZ / slots;
  windowIds = new Uint32Array(Math.ceil(((cfg.t1 - cfg.t0) / 1000 + 2) * HZ * n));
  windowTs = new Float64Array(windowIds.length);

  for (let slot = 0; !stopped; slot++) {
    const due = cfg.startAt + slot * slotMs;
    if (due >= cfg.t1) break;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    else {
      lateThisSecond = Math.max(lateThisSecond, -wait);
      maxLateMs = Math.max(maxLateMs, -wait);
    }
    if (stopped) break;
    const from = (slot % slots) * cfg.batch;
    const to = Math.min(n, from + cfg.batch);
    // The publish wall-clock time, stamped into every position: clients measure now − t against it.
    const t = Date.now();
    const positions = [];
    for (let i = from; i < to; i++) positions.push(position(cfg.units[i], i, t));
    const payload = JSON.stringify({ v: 1, positions });
    // Not awaited: ioredis pipelines, and waiting a round trip per batch would bend the schedule.
    inflight += 1;
    maxInflight = Math.max(maxInflight, inflight);
    client
      .xadd(cfg.stream, '*', 'p', payload)
      .catch(() => (errors += 1))
      .finally(() => (inflight -= 1));
    published += to - from;
    bytes += payload.length;
    if (t >= cfg.t0) for (let i = from; i < to; i++) remember(cfg.units[i].id, t);
  }
  while (inflight > 0) await sleep(10);
}

const progress = setInterval(() => {
  emitEvent({ kind: 'progress', published, lateMs: lateThisSecond, inflight });
  lateThisSecond = 0;
}, 1000);
progress.unref();

serveRequests<PublisherRequest>(async (req) => {
  switch (req.kind) {
    case 'start':
      running = publish(req);
      return { ok: true };
    case 'stop':
      stopped = true;
      await running;
      return { ok: true };
    case 'report': {
      await running;
      const report: PublisherReport = {
        published,
        windowIds: windowIds.slice(0, windowCount),
        windowTs: windowTs.slice(0, windowCount),
        windowCount,
        maxLateMs,
        maxInflight,
        errors,
        bytes,
      };
      return report;
    }
  }
});
followParent(async () => {
  stopped = true;
  redis?.disconnect();
});
emitEvent({ kind: 'ready' });
