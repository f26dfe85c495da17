import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Server } from 'socket.io';
import { child } from './log';

/**
 * The process's metrics (Prometheus, served at /metrics with the app's own series from
 * ./app-metrics). This module imports nothing of the app, so the hot path (fanout), the job runner
 * and the adapters can report here without import cycles.
 */
export const registry = new Registry();

// Event-loop delay (nodejs_eventloop_lag_p99_seconds & co., from perf_hooks.monitorEventLoopDelay),
// heap, GC, CPU, handles.
collectDefaultMetrics({ register: registry });

const log = child('metrics');

/** A source that does not answer within this is left out of the scrape rather than stalling it. */
const COLLECT_TIMEOUT_MS = 1000;

const jobRuns = new Counter({ name: 'liandong_job_runs_total', help: 'Runs of each background job, finished or failed.', labelNames: ['job'], registers: [registry] });
const jobFailures = new Counter({ name: 'liandong_job_failures_total', help: 'Runs of each background job that threw.', labelNames: ['job'], registers: [registry] });
const jobSeconds = new Histogram({
  name: 'liandong_job_duration_seconds',
  help: 'Time a run of each background job took.',
  labelNames: ['job'],
  buckets: [0.01, 0.05, 0.25, 1, 5, 30, 120],
  registers: [registry],
});

/** Times one run of a job; call the result with whether it failed. */
export function jobStarted(job: string): (failed: boolean) => void {
  const end = jobSeconds.startTimer({ job });
  return (failed) => {
    end();
    jobRuns.inc({ job });
    if (failed) jobFailures.inc({ job });
  };
}

const tickSeconds = new Histogram({
  name: 'liandong_fanout_tick_duration_seconds',
  help: 'Event-loop time one position tick took to pack and emit to this process’s sockets.',
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
  registers: [registry],
});
const tickUnits = new Histogram({
  name: 'liandong_fanout_tick_units',
  help: 'Units (moved since the previous tick) in one district tick.',
  buckets: [1, 10, 50, 100, 500, 1000, 5000, 10_000, 50_000],
  registers: [registry],
});
const tickAge = new Histogram({
  name: 'liandong_fanout_tick_delay_seconds',
  help: 'Time from a tick’s first position reaching this process to the tick going out (coalescing delay).',
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

/** The fanout's hook: one emitted tick. */
export function observeTick(seconds: number, units: number, delaySeconds: number): void {
  tickSeconds.observe(seconds);
  tickUnits.observe(units);
  tickAge.observe(delaySeconds);
}

type Collect = () => number | Promise<number>;
const gauges = new Map<string, { help: string; sources: Set<Collect> }>();

/**
 * A value read at each scrape, e.g. `gauge('liandong_outbox_depth', 'Messages waiting …', () => outbox.depth())`.
 * Registering a name again adds a source whose value is summed with the others (several buses or
 * outboxes in one process, as in tests); the returned function removes this source, and the
 * series with its last one. A source that throws or takes longer than a second is left out of
 * that scrape.
 */
export function gauge(name: string, help: string, collect: Collect): () => void {
  let entry = gauges.get(name);
  if (!entry) {
    const sources = new Set<Collect>();
    entry = { help, sources };
    gauges.set(name, entry);
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const values = await Promise.all([...sources].map((s) => readSource(name, s)));
        this.set(values.reduce((a, b) => a + b, 0));
      },
    });
  } else if (entry.help !== help) {
    throw new Error(`metric ${name} registered twice with different help texts`);
  }
  const own = entry;
  own.sources.add(collect);
  return () => {
    own.sources.delete(collect);
    if (own.sources.size > 0 || gauges.get(name) !== own) return;
    gauges.delete(name);
    registry.removeSingleMetric(name);
  };
}

async function readSource(name: string, source: Collect): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${COLLECT_TIMEOUT_MS} ms`)), COLLECT_TIMEOUT_MS);
    });
    const value = await Promise.race([Promise.resolve().then(source), late]);
    return Number.isFinite(value) ? value : 0;
  } catch (err) {
    log.warn({ metric: name, err }, 'metric source failed; left out of this scrape');
    return 0;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A counter its owner increments where the event happens, e.g.
 * `counter('liandong_redis_reconnects_total', 'Reconnections to Redis.', ['client']).inc({ client: 'bus' })`.
 * Asking again for the same name returns the same counter, so each bus or client may ask.
 */
export function counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing as Counter<L>;
  if (existing) throw new Error(`metric ${name} is already registered, and is not a counter`);
  return new Counter<L>({ name, help, labelNames, registers: [registry] });
}

const NAMESPACES = ['/live', '/field'] as const;
const ioServers = new Set<Server>();
new Gauge({
  name: 'liandong_sockets',
  help: 'Sockets connected to this process, by Socket.IO namespace.',
  labelNames: ['namespace'],
  registers: [registry],
  collect() {
    for (const namespace of NAMESPACES) {
      let n = 0;
      for (const io of ioServers) n += io.of(namespace).sockets.size;
      this.set({ namespace }, n);
    }
  },
});

/** Counts `io`'s sockets in `liandong_sockets` until the returned function is called. */
export function watchSockets(io: Server): () => void {
  ioServers.add(io);
  return () => void ioServers.delete(io);
}
