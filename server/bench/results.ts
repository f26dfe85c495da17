// Reduces what one variant's run collected (publisher log, socket reports, server counters, /proc
// samples) to the figures the report prints.
import { LatencyHistogram } from './histogram';
import type { PublisherReport, ServerStats, SocketReport, Variant } from './protocol';

export interface ProcessLoad {
  name: string;
  cpuPct: number;
  /** Main thread runnable but without a core, ms per second of window. */
  waitMsPerS?: number;
  rssMb?: number;
}

export interface Spread {
  mean: number;
  min: number;
  max: number;
}

export interface VariantResult {
  variant: Variant;
  windowS: number;
  aborted?: string;
  publishedPerS: number;
  acceptedPerS: number;
  rejected: Record<string, number>;
  /** Unit updates the server emitted per socket, per second. */
  emittedPerS: number;
  ticksPerS: number;
  outPerClient: Spread;
  bytesPerClient: Spread;
  latency: { p50: number; p95: number; p99: number; max: number; samples: number };
  worstClientP99: number;
  publishedInWindow: number;
  dropped: Spread;
  superseded: Spread;
  seqJumps: number;
  missedTicks: number;
  backwards: number;
  duplicates: number;
  disconnects: number;
  serverCpuPct: number;
  serverRssEndMb: number;
  serverRssPeakMb: number;
  loopDelay: { p50: number; p99: number; max: number };
  streamLagEnd: number;
  /** Positions per stream entry, to turn lag into positions. */
  batch: number;
  publisherMaxLateMs: number;
  loads: ProcessLoad[];
  clients: number;
}

const MB = 1024 * 1024;

function spread(values: number[]): Spread {
  if (values.length === 0) return { mean: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, min: Math.min(...values), max: Math.max(...values) };
}

/** What one variant's run collected, before it is reduced to figures. */
export interface Measured {
  variant: Variant;
  t1: number;
  windowS: number;
  aborted?: string;
  publisher: PublisherReport;
  sockets: SocketReport[];
  stats0: ServerStats;
  stats1: ServerStats;
  loads: ProcessLoad[];
  rssEnd: number;
  rssPeak: number;
  streamLagEnd: number;
  batch: number;
}

export function summarize(m: Measured): VariantResult {
  const { variant, t1, windowS, aborted, publisher: pub, sockets, stats0, stats1, loads, rssEnd, rssPeak, streamLagEnd } = m;
  let publishedInWindow = 0;
  for (let i = 0; i < pub.windowCount; i++) if (pub.windowTs[i] < t1) publishedInWindow += 1;
  const dropped: number[] = [];
  const superseded: number[] = [];
  const all = new LatencyHistogram();
  const p99s: number[] = [];
  for (const s of sockets) {
    // A fix counts as delivered if it, or a later fix of the same unit, reached this client:
    // a tick carries only a unit's newest fix, so coalescing legitimately merges fixes.
    let d = 0;
    for (let i = 0; i < pub.windowCount; i++) {
      const t = pub.windowTs[i];
      if (t < t1 && !(s.maxT[pub.windowIds[i]] >= t)) d += 1;
    }
    dropped.push(d);
    superseded.push(publishedInWindow - d - s.exact);
    const h = LatencyHistogram.fromWire(s.latency);
    all.add(h);
    p99s.push(h.quantile(0.99));
  }
  const diff = (k: 'accepted' | 'emitted' | 'ticks') => stats1[k] - stats0[k];
  const rejected = Object.fromEntries(
    Object.entries(stats1.rejected)
      .map(([k, v]) => [k, v - (stats0.rejected[k] ?? 0)] as const)
      .filter(([, v]) => v > 0),
  );
  const sum = (f: (s: (typeof sockets)[number]) => number) => sockets.reduce((a, s) => a + f(s), 0);

  return {
    variant,
    windowS,
    aborted,
    publishedPerS: publishedInWindow / windowS,
    acceptedPerS: diff('accepted') / windowS,
    rejected,
    emittedPerS: diff('emitted') / windowS,
    ticksPerS: diff('ticks') / windowS,
    outPerClient: spread(sockets.map((s) => s.updates / windowS)),
    bytesPerClient: spread(sockets.map((s) => s.bytes / windowS)),
    latency: { p50: all.quantile(0.5), p95: all.quantile(0.95), p99: all.quantile(0.99), max: all.max, samples: all.count },
    worstClientP99: Math.max(...p99s.filter((x) => Number.isFinite(x))),
    publishedInWindow,
    dropped: spread(dropped),
    superseded: spread(superseded),
    seqJumps: sum((s) => s.seqJumps),
    missedTicks: sum((s) => s.missedTicks),
    backwards: sum((s) => s.backwards),
    duplicates: sum((s) => s.duplicates),
    disconnects: sum((s) => s.disconnects),
    serverCpuPct: loads[0].cpuPct,
    serverRssEndMb: rssEnd / MB,
    serverRssPeakMb: rssPeak / MB,
    loopDelay: { p50: stats1.loopDelayP50, p99: stats1.loopDelayP99, max: stats1.loopDelayMax },
    streamLagEnd,
    batch: m.batch,
    publisherMaxLateMs: pub.maxLateMs,
    loads,
    clients: sockets.length,
  };
}
