// bench:events — one variant end to end: its server process on its own copy of the database, the
// load generators, the phases (warm-up, open loop at the target rate, closed-loop max), /proc and
// PostgreSQL sampled through each phase, then everything stopped and the zero-loss check.
import path from 'node:path';
import { Redis } from 'ioredis';
import { demoApiKey } from '../server/seed/devices';
import { spawnTs, type Child } from './children';
import { checkLoss, PgMonitor, type LossCheck } from './events-db';
import type { EventsBenchOptions } from './events-options';
import {
  AckHistogram,
  type EventsVariant,
  type LoadLedger,
  type LoadProgress,
  type PhaseRequest,
  type PhaseResult,
  type PointSet,
  type ServerSample,
} from './events-protocol';
import { NAIVE_PATH } from './naive-ingest';
import { cpuPercent, machinePercent, pidsNamed, rssBytes, sampleCpu, type CpuSample } from './proc';

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
export const SOURCE = 'hotline_12345';

export interface PhaseSummary {
  name: string;
  mode: 'open' | 'closed';
  windowS: number;
  stoppedEarly?: string;
  abandoned: number;
  concurrency: number;
  offeredNewPerS: number;
  offeredReqPerS: number;
  /** New events answered 201 inside the window, a second. */
  ackedPerS: number;
  retriesPerS: number;
  offered: number;
  created: number;
  retriesOffered: number;
  retriesSent: number;
  retriesOk: number;
  retryMismatch: number;
  newAsReplay: number;
  errors: Record<string, number>;
  ack: { p50: number; p95: number; p99: number; max: number; n: number };
  service: { p50: number; p99: number };
  serverCpuPct: number;
  serverRssEndMb: number;
  serverRssPeakMb: number;
  loopDelayP99: number;
  loopDelayMax: number;
  poolWaitingMax: number;
  pgConnMax: number;
  pgBusyMax: number;
  /** The bench database's backends (the server's connections). */
  pgCpuPct: number;
  /** Every other postgres process: WAL writer, checkpointer, other databases' backends. */
  pgRestCpuPct: number;
  commitsPerS: number;
  walBytesPerEvent: number;
  loadgenCpuPct: number;
  loadgenLoopDelayP99: number;
  maxSendDelayMs: number;
  maxBacklog: number;
  redisCpuPct: number;
  machinePct: number;
  otherPct: number;
  placedIn: number;
  placedElsewhere: number;
  unplaced: number;
  duplicates: number;
}

export interface VariantRun {
  variant: EventsVariant;
  poolMax: number;
  phases: PhaseSummary[];
  loss: LossCheck;
  retries: { sent: number; ok: number; mismatch: number };
  newAsReplay: number;
}

const readyEvent = (body: unknown): { url?: string; poolMax?: number } | undefined =>
  typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'ready' ? (body as { url?: string; poolMax?: number }) : undefined;

function merge(results: PhaseResult[]): PhaseResult {
  const [first, ...rest] = results;
  const ack = AckHistogram.fromWire(first.ack);
  const service = AckHistogram.fromWire(first.service);
  const out: PhaseResult = { ...first, status: { ...first.status } };
  for (const r of rest) {
    ack.add(AckHistogram.fromWire(r.ack));
    service.add(AckHistogram.fromWire(r.service));
    for (const k of [
      'offered', 'retriesOffered', 'retriesSent', 'created', 'retriesOk', 'retryMismatch', 'newAsReplay', 'createdInWindow', 'retriesInWindow',
      'timeouts', 'socketErrors', 'abandoned', 'placedInSampledGrid', 'placedElsewhere', 'unplaced', 'duplicatesFlagged', 'maxBacklog',
    ] as const)
      out[k] += r[k];
    for (const [k, v] of Object.entries(r.status)) out.status[k] = (out.status[k] ?? 0) + v;
    out.maxSendDelayMs = Math.max(out.maxSendDelayMs, r.maxSendDelayMs);
    out.windowS = Math.max(out.windowS, r.windowS);
    out.stoppedEarly ??= r.stoppedEarly;
    out.loadgenLoopDelayP99 = Math.max(out.loadgenLoopDelayP99, r.loadgenLoopDelayP99);
  }
  out.ack = ack.toWire();
  out.service = service.toWire();
  return out;
}

/** Splits n into k near-equal integer parts. */
const split = (n: number, k: number) => Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));

export async function runEventsVariant(
  variant: EventsVariant,
  opts: EventsBenchOptions,
  databaseUrl: string,
  points: PointSet,
  busPrefix: string,
  log: (line: string) => void,
): Promise<VariantRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    LIANDONG_MODE: 'demo',
    DATABASE_URL: databaseUrl,
    REDIS_URL: opts.redisUrl,
    BUS_PREFIX: busPrefix,
    SIMULATE: '0',
    DB_POOL_MAX: String(opts.pool),
    BENCH_EVENTS_VARIANT: variant,
  };
  const execArgv = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(opts.profileDir, variant)}`] : [];
  const children: Child[] = [];
  const pgm = await PgMonitor.open(databaseUrl);
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 3 });
  redis.on('error', (err: Error) => console.error('[bench] redis:', err.message));
  try {
    const server = spawnTs(`${variant} server`, 'events-server.ts', env, execArgv);
    children.push(server);
    const ready = await server.waitEvent(readyEvent);
    if (!ready.url) throw new Error('server gave no url');
    const loadgens = Array.from({ length: opts.loadgens }, (_, i) => spawnTs(`loadgen ${i + 1}`, 'events-load.ts', process.env));
    children.push(...loadgens);
    await Promise.all(loadgens.map((l) => l.waitEvent(readyEvent)));
    const sockets = split(opts.concurrency, opts.loadgens);
    await Promise.all(
      loadgens.map((l, i) =>
        l.request({
          kind: 'setup',
          url: ready.url,
          path: variant === 'naive' ? NAIVE_PATH : '/api/v1/events',
          token: demoApiKey(SOURCE),
          points,
          keyPrefix: `bench-${variant}-${process.pid}-${i}-`,
          retryShare: opts.retryShare,
          timeoutMs: opts.timeoutMs,
          maxSockets: sockets[i],
          seed: opts.seed + 7919 * i,
        }),
      ),
    );
    log(`${variant}: server pid ${server.pid} at ${ready.url} (DB_POOL_MAX ${ready.poolMax}); ${opts.loadgens} load generator(s), pid ${loadgens.map((l) => l.pid).join(', ')}`);

    const progress = new Map<Child, LoadProgress>();
    for (const l of loadgens) l.onEvent((b) => (b as { kind?: string }).kind === 'progress' && progress.set(l, b as LoadProgress));
    // One generator fell behind: the phase ends for all of them, and the sampling window with it.
    let stopped: { phase: string; at: number } | null = null;
    for (const l of loadgens)
      l.onEvent((b) => {
        const e = b as { kind?: string; phase?: string; reason?: string };
        if (e.kind !== 'stopped' || stopped?.phase === e.phase) return;
        stopped = { phase: e.phase ?? '', at: Date.now() };
        log(`${variant} · ${e.phase}: stopped early — ${e.reason}`);
        for (const other of loadgens) void other.request({ kind: 'stop', reason: `stopped with another generator: ${e.reason}` }).catch(() => undefined);
      });
    const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1] ?? -1);

    const phases: { name: string; mode: 'open' | 'closed'; seconds: number }[] = [
      ...(opts.warmup > 0 ? [{ name: 'warm-up', mode: 'open' as const, seconds: opts.warmup }] : []),
      { name: `target ${opts.rate.toLocaleString('en-US')}/s`, mode: 'open', seconds: opts.seconds },
      ...(opts.maxSeconds > 0 ? [{ name: 'max (closed loop)', mode: 'closed' as const, seconds: opts.maxSeconds }] : []),
    ];
    const summaries: PhaseSummary[] = [];
    for (const ph of phases) {
      const startAt = Date.now() + 300;
      let endAt = startAt + ph.seconds * 1000;
      const rates = loadgens.map(() => opts.rate / opts.loadgens);
      const done = Promise.all(
        loadgens.map((l, i) =>
          l.request<PhaseResult>(
            {
              kind: 'phase', name: ph.name, mode: ph.mode, rate: rates[i], startAt, seconds: ph.seconds, concurrency: sockets[i],
              maxBacklogS: opts.maxBacklogS,
            } satisfies PhaseRequest,
            (ph.seconds + opts.timeoutMs / 1000 + 120) * 1000,
          ),
        ),
      );
      done.catch(() => undefined);
      await sleep(startAt - Date.now());
      const pgPids = pidsNamed('postgres');
      // The backends of the bench database, apart from the rest of the cluster (other work may use it).
      const dbPids = new Set(await pgm.backendPids());
      const pids = () => [server.pid, ...loadgens.map((l) => l.pid), redisPid, ...new Set([...pgPids, ...dbPids])];
      const cpu0: CpuSample = sampleCpu(pids());
      const pg0 = await pgm.counters();
      await server.request<ServerSample>({ kind: 'sample', reset: true });
      let rssPeak = 0;
      let connMax = 0;
      let busyMax = 0;
      let poolWaitingMax = 0;
      let lastPrint = Date.now();
      while (Date.now() < endAt - 50) {
        await sleep(Math.min(1000, endAt - Date.now()));
        const early = stopped as { phase: string; at: number } | null;
        if (early?.phase === ph.name) endAt = Math.min(endAt, early.at);
        rssPeak = Math.max(rssPeak, rssBytes(server.pid) ?? 0);
        const c = await pgm.connections();
        for (const pid of await pgm.backendPids()) dbPids.add(pid);
        connMax = Math.max(connMax, c.total);
        busyMax = Math.max(busyMax, c.busy);
        const s = await server.request<ServerSample>({ kind: 'sample', reset: false });
        poolWaitingMax = Math.max(poolWaitingMax, s.poolWaiting);
        if (Date.now() - lastPrint >= 5000 || Date.now() >= endAt - 50) {
          lastPrint = Date.now();
          const p = [...progress.values()];
          const sum = (f: (x: LoadProgress) => number) => p.reduce((a, x) => a + f(x), 0);
          log(
            `${variant} · ${ph.name} ${Math.round((Date.now() - startAt) / 1000)} s · sent ${sum((x) => x.sent)} · answered ${sum((x) => x.answered)} · ` +
              `in flight ${sum((x) => x.inflight)} · waiting in client ${sum((x) => x.backlog)} · errors ${sum((x) => x.errors)} · ` +
              `last second p50 ${Math.max(...p.map((x) => x.p50)).toFixed(1)} ms p99 ${Math.max(...p.map((x) => x.p99)).toFixed(1)} ms · ` +
              `pg connections ${c.total} (${c.busy} busy) · pool queue ≤ ${poolWaitingMax}`,
          );
        }
      }
      const cpu1 = sampleCpu(pids());
      const pg1 = await pgm.counters();
      const s1 = await server.request<ServerSample>({ kind: 'sample', reset: true });
      const rssEnd = rssBytes(server.pid) ?? 0;
      rssPeak = Math.max(rssPeak, rssEnd);
      const r = merge(await done);
      const windowS = r.windowS;
      const ack = AckHistogram.fromWire(r.ack);
      const service = AckHistogram.fromWire(r.service);
      const errors = Object.fromEntries(Object.entries(r.status).filter(([k]) => !/^2\d\d$/.test(k)));
      const listed = [server.pid, ...loadgens.map((l) => l.pid), redisPid, ...new Set([...pgPids, ...dbPids])];
      // A backend born during the window counts from zero.
      const dbCpu = [...dbPids].reduce((a, pid) => a + Math.max(0, (cpu1.perPid.get(pid) ?? 0) - (cpu0.perPid.get(pid) ?? 0)), 0);
      const cpu1s = (cpu1.at - cpu0.at) / 1000;
      const otherPg = pgPids.filter((pid) => !dbPids.has(pid));
      const machine = machinePercent(cpu0, cpu1);
      const summary: PhaseSummary = {
        name: ph.name,
        mode: ph.mode,
        windowS,
        stoppedEarly: r.stoppedEarly,
        concurrency: opts.concurrency,
        // Offered: what the schedule asked for in the window, including what an early stop left unsent.
        offeredNewPerS: r.offered / windowS,
        offeredReqPerS: (r.offered + r.retriesOffered) / windowS,
        abandoned: r.abandoned,
        ackedPerS: r.createdInWindow / windowS,
        retriesPerS: r.retriesInWindow / windowS,
        offered: r.offered,
        created: r.created,
        retriesOffered: r.retriesOffered,
        retriesSent: r.retriesSent,
        retriesOk: r.retriesOk,
        retryMismatch: r.retryMismatch,
        newAsReplay: r.newAsReplay,
        errors,
        ack: { p50: ack.quantile(0.5), p95: ack.quantile(0.95), p99: ack.quantile(0.99), max: ack.max, n: ack.count },
        service: { p50: service.quantile(0.5), p99: service.quantile(0.99) },
        serverCpuPct: cpuPercent(cpu0, cpu1, [server.pid]),
        serverRssEndMb: rssEnd / MB,
        serverRssPeakMb: rssPeak / MB,
        loopDelayP99: s1.loopDelayP99,
        loopDelayMax: s1.loopDelayMax,
        poolWaitingMax: Math.max(poolWaitingMax, s1.poolWaiting),
        pgConnMax: connMax,
        pgBusyMax: busyMax,
        pgCpuPct: (100 * dbCpu) / cpu1s,
        pgRestCpuPct: cpuPercent(cpu0, cpu1, otherPg),
        commitsPerS: (pg1.commits - pg0.commits) / ((cpu1.at - cpu0.at) / 1000),
        walBytesPerEvent: r.createdInWindow > 0 ? (pg1.walBytes - pg0.walBytes) / r.createdInWindow : Number.NaN,
        loadgenCpuPct: cpuPercent(cpu0, cpu1, loadgens.map((l) => l.pid)),
        loadgenLoopDelayP99: r.loadgenLoopDelayP99,
        maxSendDelayMs: r.maxSendDelayMs,
        maxBacklog: r.maxBacklog,
        redisCpuPct: cpuPercent(cpu0, cpu1, [redisPid]),
        machinePct: machine,
        otherPct: Math.max(0, machine - cpuPercent(cpu0, cpu1, listed)),
        placedIn: r.placedInSampledGrid,
        placedElsewhere: r.placedElsewhere,
        unplaced: r.unplaced,
        duplicates: r.duplicatesFlagged,
      };
      summaries.push(summary);
      log(
        `${variant} · ${ph.name} done: ${Math.round(summary.ackedPerS)} events/s acked, ack p50/p99 ${summary.ack.p50.toFixed(1)}/${summary.ack.p99.toFixed(1)} ms, ` +
          `errors ${JSON.stringify(errors)}, server ${summary.serverCpuPct.toFixed(0)} % CPU, postgres ${summary.pgCpuPct.toFixed(0)} %`,
      );
    }

    const ledgers = await Promise.all(loadgens.map((l) => l.request<LoadLedger>({ kind: 'ledger' }, 120_000)));
    const ledger: LoadLedger = {
      ackedKeys: ledgers.flatMap((l) => l.ackedKeys),
      ackedIds: ledgers.flatMap((l) => l.ackedIds),
      unansweredKeys: ledgers.flatMap((l) => l.unansweredKeys),
      failedKeys: ledgers.flatMap((l) => l.failedKeys),
    };
    // Nothing may still be writing when the rows are counted.
    await Promise.all(loadgens.map((l) => l.stop()));
    await server.stop();
    const loss = await checkLoss(databaseUrl, SOURCE, `bench-${variant}-${process.pid}-%`, ledger);
    log(
      `${variant}: zero-loss check — ${loss.acked} acknowledged, ${loss.rows} rows, ${loss.ackedMissing} acknowledged but missing, ` +
        `${loss.extraUnexplained} rows never acknowledged (+${loss.extraExplained} of timed-out requests)`,
    );
    return {
      variant,
      poolMax: ready.poolMax ?? opts.pool,
      phases: summaries,
      loss,
      retries: {
        sent: summaries.reduce((a, s) => a + s.retriesSent, 0),
        ok: summaries.reduce((a, s) => a + s.retriesOk, 0),
        mismatch: summaries.reduce((a, s) => a + s.retryMismatch, 0),
      },
      newAsReplay: summaries.reduce((a, s) => a + s.newAsReplay, 0),
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await pgm.close().catch(() => undefined);
    redis.disconnect();
  }
}
