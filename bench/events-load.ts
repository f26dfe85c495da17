// bench:events — a load generator process: reports over HTTP/1.1 keep-alive to the server under test.
// Open loop: new events on a fixed schedule (latency counted from the SCHEDULED time, so a slow
// server cannot hide its queue by slowing the client down), at most `concurrency` in flight, the
// rest waiting in the client. Closed loop: `concurrency` workers, each sending as soon as its last
// answer arrived. Some requests re-send an acknowledged report (same key and body): they must be
// answered 200 with the first id. Every key and the id it was acknowledged with is kept for the
// orchestrator's zero-loss check.
import http from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { CATEGORIES, type CategorySeed } from '@/lib/categories';
import { emitEvent, followParent, serveRequests } from './ipc';
import {
  AckHistogram,
  type LoadLedger,
  type LoadProgress,
  type LoadSetup,
  type PhaseRequest,
  type PhaseResult,
} from './events-protocol';

interface Receipt {
  id?: number;
  created?: boolean;
  gridCode?: string | null;
  duplicateOf?: number | null;
}

interface Job {
  retry: boolean;
  key: string;
  body: string;
  /** Grid the point was sampled in (new events). */
  grid: number;
  /** The id the first answer gave (retries). */
  expectedId: number;
  scheduledAt: number;
}

type Outcome = { status: number; receipt: Receipt | null } | { error: 'timeout' | 'socket' };

let setup: LoadSetup | null = null;
/** Set by a `stop` request: the orchestrator ends the phase early (another generator fell behind). */
let stopRequested: string | null = null;
let agent: http.Agent | null = null;
let target: URL | null = null;
let seq = 0;

// xorshift32: reproducible choices for a given seed.
let state = 1;
const rnd = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4294967296;
};

let acc = 0;
const mix = CATEGORIES.map((c) => ({ c, cum: (acc += c.share) }));
function category(): CategorySeed {
  const r = rnd() * acc;
  return (mix.find((m) => m.cum >= r) ?? mix[mix.length - 1]).c;
}

const ledger: LoadLedger = { ackedKeys: [], ackedIds: [], unansweredKeys: [], failedKeys: [] };
/** Acknowledged reports to re-send: body and id, the most recent few thousand. */
const RING = 4096;
const ring: { key: string; body: string; id: number }[] = [];
let ringNext = 0;

function newJob(scheduledAt: number): Job {
  const s = setup!;
  const n = seq++;
  const key = `${s.keyPrefix}${n}`;
  const p = Math.floor(rnd() * s.points.grid.length);
  const grid = s.points.grid[p];
  const c = category();
  const sub = c.subcategories.length > 0 && rnd() < 0.7 ? c.subcategories[Math.floor(rnd() * c.subcategories.length)] : undefined;
  const place = s.points.gridNames[grid];
  const label = sub?.label ?? c.label;
  const body = JSON.stringify({
    v: 1,
    idempotencyKey: key,
    category: c.code,
    ...(sub ? { subcategory: `${c.code}.${sub.code}` } : {}),
    title: `${label}：${place}`,
    description: `热线来电反映${place}一带存在${label}问题，来电人希望尽快核实处理并回复。`,
    location: { lon: s.points.lonLat[2 * p], lat: s.points.lonLat[2 * p + 1] },
    reporter: { name: '热线来电人', phone: `138${String(n % 1e8).padStart(8, '0')}` },
    externalId: `12345-${n}`,
  });
  return { retry: false, key, body, grid, expectedId: 0, scheduledAt };
}

function retryJob(scheduledAt: number): Job | null {
  if (ring.length === 0) return null;
  const r = ring[Math.floor(rnd() * ring.length)];
  return { retry: true, key: r.key, body: r.body, grid: -1, expectedId: r.id, scheduledAt };
}

function post(body: string): Promise<Outcome> {
  const s = setup!;
  return new Promise((resolve) => {
    let settled = false;
    const done = (o: Outcome) => {
      if (!settled) {
        settled = true;
        resolve(o);
      }
    };
    const req = http.request(
      {
        agent: agent!,
        hostname: target!.hostname,
        port: target!.port,
        path: s.path,
        method: 'POST',
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let receipt: Receipt | null = null;
          try {
            receipt = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Receipt;
          } catch {
            receipt = null;
          }
          done({ status: res.statusCode ?? 0, receipt });
        });
        res.on('error', () => done({ error: 'socket' }));
      },
    );
    req.setTimeout(s.timeoutMs, () => {
      done({ error: 'timeout' });
      req.destroy();
    });
    req.on('error', () => done({ error: 'socket' }));
    req.end(body);
  });
}

/** One phase's tallies; `record` is called for every finished request. */
class Tally {
  readonly ack = new AckHistogram();
  readonly service = new AckHistogram();
  second = new AckHistogram();
  readonly status: Record<string, number> = {};
  offered = 0;
  retriesOffered = 0;
  created = 0;
  retriesOk = 0;
  retryMismatch = 0;
  newAsReplay = 0;
  createdInWindow = 0;
  retriesInWindow = 0;
  timeouts = 0;
  socketErrors = 0;
  placedIn = 0;
  placedElsewhere = 0;
  unplaced = 0;
  duplicates = 0;
  sent = 0;
  answered = 0;
  maxBacklog = 0;
  maxSendDelay = 0;
  abandoned = 0;
  retriesSent = 0;

  constructor(public windowEnd: number) {}

  record(job: Job, sentAt: number, o: Outcome): void {
    const now = performance.now();
    this.answered += 1;
    if ('error' in o) {
      if (o.error === 'timeout') this.timeouts += 1;
      else this.socketErrors += 1;
      this.status[o.error] = (this.status[o.error] ?? 0) + 1;
      if (!job.retry) ledger.unansweredKeys.push(job.key);
      return;
    }
    this.status[o.status] = (this.status[o.status] ?? 0) + 1;
    this.ack.record(now - job.scheduledAt);
    this.second.record(now - job.scheduledAt);
    this.service.record(now - sentAt);
    const ok = o.status >= 200 && o.status < 300 && typeof o.receipt?.id === 'number';
    if (!ok) {
      if (!job.retry) {
        ledger.unansweredKeys.push(job.key);
        ledger.failedKeys.push(job.key);
      }
      return;
    }
    const r = o.receipt!;
    const inWindow = now <= this.windowEnd;
    if (job.retry) {
      if (o.status === 200 && r.created === false && r.id === job.expectedId) this.retriesOk += 1;
      else this.retryMismatch += 1;
      if (inWindow) this.retriesInWindow += 1;
      return;
    }
    if (o.status === 201 && r.created === true) this.created += 1;
    else this.newAsReplay += 1;
    if (inWindow) this.createdInWindow += 1;
    ledger.ackedKeys.push(job.key);
    ledger.ackedIds.push(r.id!);
    const entry = { key: job.key, body: job.body, id: r.id! };
    if (ring.length < RING) ring.push(entry);
    else ring[ringNext++ % RING] = entry;
    if (!r.gridCode) this.unplaced += 1;
    else if (r.gridCode === setup!.points.gridCodes[job.grid]) this.placedIn += 1;
    else this.placedElsewhere += 1;
    if (r.duplicateOf != null) this.duplicates += 1;
  }
}

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

async function runPhase(p: PhaseRequest): Promise<PhaseResult> {
  if (!setup) throw new Error('phase before setup');
  const start = p.startAt - performance.timeOrigin;
  const end = start + p.seconds * 1000;
  const t = new Tally(end);
  let stoppedEarly: string | undefined;
  stopRequested = null;
  const retryEvery = setup.retryShare > 0 ? (1 - setup.retryShare) / setup.retryShare : Infinity;
  let retryDebt = 0;
  let inflight = 0;
  const queue: Job[] = [];
  let head = 0;

  const progress = setInterval(() => {
    const msg: LoadProgress = {
      kind: 'progress',
      phase: p.name,
      sent: t.sent,
      answered: t.answered,
      inflight,
      backlog: queue.length - head,
      errors: t.timeouts + t.socketErrors + Object.entries(t.status).filter(([k]) => !/^2/.test(k) && !/^[a-z]/.test(k)).reduce((a, [, v]) => a + v, 0),
      p50: t.second.quantile(0.5),
      p99: t.second.quantile(0.99),
    };
    t.second = new AckHistogram();
    emitEvent(msg);
  }, 1000);

  const send = (job: Job): Promise<void> => {
    inflight += 1;
    t.sent += 1;
    if (job.retry) t.retriesSent += 1;
    const sentAt = performance.now();
    t.maxSendDelay = Math.max(t.maxSendDelay, sentAt - job.scheduledAt);
    return post(job.body).then((o) => {
      inflight -= 1;
      t.record(job, sentAt, o);
    });
  };

  /** A new event, and now and then a retry of an acknowledged one. */
  const jobsAt = (at: number): Job[] => {
    const jobs = [newJob(at)];
    t.offered += 1;
    retryDebt += 1;
    if (retryDebt >= retryEvery) {
      const r = retryJob(at);
      if (r) {
        retryDebt -= retryEvery;
        t.retriesOffered += 1;
        jobs.push(r);
      }
    }
    return jobs;
  };

  await new Promise((r) => setTimeout(r, Math.max(0, start - performance.now())));
  loopDelay.reset();

  if (p.mode === 'open') {
    let slots = Math.round(p.rate * p.seconds);
    const interval = 1000 / p.rate;
    let next = 0;
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (inflight < p.concurrency && head < queue.length) {
          const job = queue[head++];
          void send(job).then(pump);
        }
        if (head > 4096 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        if (next >= slots && head >= queue.length && inflight === 0) resolve();
      };
      const tick = () => {
        const now = performance.now();
        const due = Math.min(slots, Math.floor((now - start) / interval) + 1);
        while (next < due) queue.push(...jobsAt(start + next++ * interval));
        pump();
        t.maxBacklog = Math.max(t.maxBacklog, queue.length - head);
        if (next < slots && !stoppedEarly && queue.length - head > p.maxBacklogS * p.rate) {
          stoppedEarly = `the server fell behind: ${queue.length - head} requests (${p.maxBacklogS} s of the schedule) waited in the client`;
          emitEvent({ kind: 'stopped', phase: p.name, reason: stoppedEarly });
        }
        if (next < slots && !stoppedEarly && stopRequested) stoppedEarly = stopRequested;
        if (stoppedEarly && next < slots) {
          slots = next;
          t.windowEnd = now;
          // What still waits in the client was never sent: dropped here, so the drain is only what is in flight.
          t.abandoned = queue.length - head;
          queue.length = 0;
          head = 0;
          pump();
        }
        if (next < slots) setTimeout(tick, Math.max(0, Math.min(interval, start + next * interval - performance.now())));
      };
      tick();
    });
  } else {
    const worker = async () => {
      while (performance.now() < end) for (const job of jobsAt(performance.now())) await send(job);
    };
    await Promise.all(Array.from({ length: p.concurrency }, worker));
  }
  clearInterval(progress);

  return {
    name: p.name,
    mode: p.mode,
    windowS: (t.windowEnd - start) / 1000,
    stoppedEarly,
    abandoned: t.abandoned,
    offered: t.offered,
    retriesOffered: t.retriesOffered,
    retriesSent: t.retriesSent,
    created: t.created,
    retriesOk: t.retriesOk,
    retryMismatch: t.retryMismatch,
    newAsReplay: t.newAsReplay,
    createdInWindow: t.createdInWindow,
    retriesInWindow: t.retriesInWindow,
    status: t.status,
    timeouts: t.timeouts,
    socketErrors: t.socketErrors,
    ack: t.ack.toWire(),
    service: t.service.toWire(),
    placedInSampledGrid: t.placedIn,
    placedElsewhere: t.placedElsewhere,
    unplaced: t.unplaced,
    duplicatesFlagged: t.duplicates,
    maxBacklog: t.maxBacklog,
    maxSendDelayMs: t.maxSendDelay,
    loadgenLoopDelayP99: loopDelay.percentile(99) / 1e6,
  };
}

serveRequests<LoadSetup | PhaseRequest | { kind: 'ledger' } | { kind: 'stop'; reason: string }>(async (req) => {
  if (req.kind === 'stop') {
    stopRequested = req.reason;
    return { ok: true };
  }
  if (req.kind === 'setup') {
    setup = req;
    target = new URL(req.url);
    state = req.seed >>> 0 || 1;
    agent = new http.Agent({ keepAlive: true, maxSockets: req.maxSockets, maxFreeSockets: req.maxSockets, scheduling: 'fifo' });
    return { ok: true };
  }
  if (req.kind === 'phase') return runPhase(req);
  return ledger;
});
followParent(async () => agent?.destroy());
emitEvent({ kind: 'ready' });
