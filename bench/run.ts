import path from 'node:path';
import { Redis } from 'ioredis';
import { CHANNELS } from '@/lib/contracts/live';
import { spawnTs, type Child } from './children';
import type { BenchOptions } from './options';
import { CORES, cpuPercent, machinePercent, pidsNamed, rssBytes, sampleCpu, waitMsPerSecond, type CpuSample } from './proc';
import type {
  BenchScreen,
  BenchUnit,
  ClientProgress,
  ClientReport,
  ClientWindow,
  PublisherProgress,
  PublisherReport,
  ServerStats,
  Variant,
} from './protocol';
import { deleteKeys, streamLag } from './redis-keys';
import { summarize, type ProcessLoad, type VariantResult } from './results';
import { unitStations } from './screens';

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : Number.NaN;
}

const readyEvent = (body: unknown): { url?: string } | undefined =>
  typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'ready' ? (body as { url?: string }) : undefined;

function isProgress<T extends { kind: 'progress' }>(body: unknown): body is T {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'progress';
}

/**
 * One variant end to end: its server, client processes and publisher, a warm-up, the measured
 * window, a drain, and the reports, then every process of the variant stopped and its keys deleted.
 */
export async function runVariant(
  variant: Variant,
  opts: BenchOptions,
  units: readonly BenchUnit[],
  /** The screen of each socket. */
  screens: readonly BenchScreen[],
  prefix: string,
  log: (line: string) => void,
): Promise<VariantResult> {
  const env = { ...process.env, TEST_DATABASE_URL: opts.databaseUrl, TEST_REDIS_URL: opts.redisUrl, BUS_PREFIX: prefix };
  // Node's default profile names carry the thread id: tsx's loader thread writes a profile of its own.
  const execArgv = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(opts.profileDir, variant)}`] : [];
  const children: Child[] = [];
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 3 });
  redis.on('error', (err: Error) => console.error('[bench] redis:', err.message));
  try {
    const server = spawnTs(`${variant} server`, variant === 'ours' ? 'server.ts' : 'naive-relay.ts', env, execArgv);
    children.push(server);
    const { url } = await server.waitEvent(readyEvent);
    if (!url) throw new Error('server gave no url');

    const clientProcs = Array.from({ length: opts.clientProcs }, (_, i) => spawnTs(`client ${i + 1}`, 'client.ts', env));
    children.push(...clientProcs);
    const publisher = spawnTs('publisher', 'publisher.ts', env);
    children.push(publisher);
    await Promise.all([...clientProcs, publisher].map((c) => c.waitEvent(readyEvent)));

    const unitStation = unitStations(units);
    // Dealt like cards, so district walls and each station's screens fall in different processes.
    const screensOf = clientProcs.map((_, i) => screens.filter((_s, k) => k % opts.clientProcs === i));
    const socketsOf = screensOf.map((s) => s.length);
    await Promise.all(clientProcs.map((c, i) => c.request({ kind: 'connect', url, screens: screensOf[i], variant, unitStation })));
    log(`${variant}: server pid ${server.pid} at ${url}; ${opts.clients} sockets in ${opts.clientProcs} client processes; publisher pid ${publisher.pid}`);

    const clientProgress = new Map<Child, ClientProgress>();
    for (const c of clientProcs) c.onEvent((b) => isProgress<ClientProgress>(b) && clientProgress.set(c, b));
    let publisherProgress: PublisherProgress | undefined;
    publisher.onEvent((b) => isProgress<PublisherProgress>(b) && (publisherProgress = b));

    const startAt = Date.now() + 500;
    const t0 = startAt + opts.warmup * 1000;
    let t1 = t0 + opts.seconds * 1000;
    const windowFor = (end: number): ClientWindow => ({ kind: 'window', t0, t1: end, until: end + opts.drain * 1000 });
    await Promise.all(clientProcs.map((c) => c.request(windowFor(t1))));
    const stream = `${prefix}${CHANNELS.positionsIn}`;
    await publisher.request({ kind: 'start', redisUrl: opts.redisUrl, stream, units, batch: opts.batch, startAt, t0, t1 });
    log(`${variant}: publishing ${units.length} units at 1 Hz in batches of ${opts.batch}; warm-up ${opts.warmup} s, window ${opts.seconds} s`);

    const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1] ?? -1);
    const clientPids = clientProcs.map((c) => c.pid);
    let pgPids: number[] = [];
    const allPids = () => [server.pid, publisher.pid, ...clientPids, redisPid, process.pid, ...pgPids];
    let cpu0: CpuSample | undefined;
    let stats0: ServerStats | undefined;
    let aborted: string | undefined;
    let rssPeak = 0;
    let lastPrint = 0;

    for (;;) {
      const now = Date.now();
      if (!cpu0 && now >= t0) {
        pgPids = pidsNamed('postgres');
        cpu0 = sampleCpu(allPids());
        stats0 = await server.request<ServerStats>({ kind: 'stats', resetLoopDelay: true });
      }
      if (now >= t1) break;
      const rss = rssBytes(server.pid) ?? 0;
      rssPeak = Math.max(rssPeak, rss);
      const lag = await streamLag(redis, stream);
      const progress = [...clientProgress.values()];
      const perClient = progress.reduce((a, p) => a + p.updates, 0) / opts.clients;
      const p50 = median(progress.map((p) => p.p50));
      const max = Math.max(0, ...progress.map((p) => p.max));
      if (now - lastPrint >= 5000) {
        lastPrint = now;
        const phase = now < t0 ? `warm-up ${Math.round((now - startAt) / 1000)} s` : `window ${Math.round((now - t0) / 1000)} s`;
        log(
          `${variant}: ${phase} · published ${publisherProgress?.published ?? 0} · per client ${Math.round(perClient)} upd/s · ` +
            `latency p50 ${Number.isFinite(p50) ? Math.round(p50) : '—'} ms max ${Math.round(max)} ms · stream lag ${lag} entries · server rss ${Math.round(rss / MB)} MB`,
        );
      }
      if (variant === 'naive' && now >= startAt + 5000) {
        // Seconds of input queued in the stream, not yet read by the server.
        const backlogS = (lag * opts.batch) / units.length;
        if (rss > opts.naiveMaxRssMb * MB) aborted = `server RSS ${Math.round(rss / MB)} MB passed the ${opts.naiveMaxRssMb} MB cap`;
        else if (p50 > opts.naiveMaxLagS * 1000) aborted = `clients' median latency ${(p50 / 1000).toFixed(1)} s passed the ${opts.naiveMaxLagS} s cap`;
        else if (backlogS > opts.naiveMaxLagS) aborted = `input backlog of ${lag} stream entries (${backlogS.toFixed(1)} s of input) passed the ${opts.naiveMaxLagS} s cap`;
        if (aborted) {
          t1 = Date.now();
          log(`${variant}: stopped early after ${((t1 - t0) / 1000).toFixed(1)} s of the window: ${aborted}`);
          await Promise.all([publisher.request({ kind: 'stop' }), ...clientProcs.map((c) => c.request(windowFor(t1)))]);
          break;
        }
      }
      const nextSecond = now + 1000 - ((now - startAt) % 1000);
      await sleep(Math.min(nextSecond, cpu0 ? t1 : t0) - Date.now());
    }
    if (!cpu0 || !stats0) throw new Error('the window never opened');

    const cpu1 = sampleCpu(allPids());
    const rssEnd = rssBytes(server.pid) ?? 0;
    rssPeak = Math.max(rssPeak, rssEnd);
    const streamLagEnd = await streamLag(redis, stream);
    const stats1 = await server.request<ServerStats>({ kind: 'stats', resetLoopDelay: false }, 120_000);
    const windowS = (t1 - t0) / 1000;
    const load = (name: string, pids: number[], rss?: number): ProcessLoad => ({
      name,
      cpuPct: cpuPercent(cpu0, cpu1, pids),
      waitMsPerS: waitMsPerSecond(cpu0, cpu1, pids),
      rssMb: rss === undefined ? undefined : rss / MB,
    });
    const loads: ProcessLoad[] = [
      load('server', [server.pid], rssEnd),
      load('publisher', [publisher.pid], rssBytes(publisher.pid)),
      ...clientProcs.map((c, i) => load(`${c.name} (${socketsOf[i]} sockets)`, [c.pid], rssBytes(c.pid))),
      load('redis-server', [redisPid], rssBytes(redisPid)),
      load('postgres (all processes)', pgPids),
      load('bench orchestrator', [process.pid], rssBytes(process.pid)),
    ];
    const machine = machinePercent(cpu0, cpu1);
    const listed = loads.reduce((a, l) => a + l.cpuPct, 0);
    // Other engineers' processes share this machine: show what the listed ones do not explain.
    loads.push({ name: 'other processes on the machine', cpuPct: Math.max(0, machine - listed) });
    loads.push({ name: `whole machine (${CORES} cores = ${CORES * 100} %)`, cpuPct: machine });

    log(`${variant}: window closed; draining ${opts.drain} s`);
    await sleep(t1 + opts.drain * 1000 - Date.now());
    const pub = await publisher.request<PublisherReport>({ kind: 'report' });
    // The server goes first so the clients' event loops are free to answer.
    await server.stop();
    const reports = await Promise.all(clientProcs.map((c) => c.request<ClientReport>({ kind: 'report' }, 180_000)));

    return summarize({
      variant,
      t1,
      windowS,
      aborted,
      publisher: pub,
      sockets: reports.flatMap((r) => r.sockets),
      stats0,
      stats1,
      loads,
      rssEnd,
      rssPeak,
      streamLagEnd,
      batch: opts.batch,
      unitStation,
    });
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    // The variant's stream holds every batch it was sent: free it before the next variant runs.
    await deleteKeys(redis, prefix).catch((err: Error) => console.error('[bench] deleting keys:', err.message));
    redis.disconnect();
  }
}
