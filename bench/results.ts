// Reduces what one variant's run collected (publisher log, socket reports, server counters, /proc
// samples) to the figures the report prints.
import { LatencyHistogram } from './histogram';
import type { PublisherReport, ServerStats, SocketReport, Variant } from './protocol';
import { unitsInScope } from './screens';

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
  /** Unit updates the server emitted per second to each district socket (naive: to every socket). */
  emittedPerS: number;
  ticksPerS: number;
  districtWalls: number;
  stationScreens: number;
  /** Unit updates of its own scope a socket received per second. */
  outPerDistrictWall: Spread;
  outPerStationScreen: Spread;
  /** The lowest share of what it should receive that any socket received (updates ÷ fixes in its scope). */
  slowestShare: number;
  bytesPerDistrictWall: Spread;
  bytesPerStationScreen: Spread;
  /** Engine.io bytes of all sockets ÷ updates of their own scope: what one useful update cost on the wire. */
  bytesPerUpdate: number;
  latency: { p50: number; p95: number; p99: number; max: number; samples: number };
  worstClientP99: number;
  publishedInWindow: number;
  /** Fixes published in the window that each station screen should receive (its station's units). */
  expectedPerStationScreen: Spread;
  /** Dropped of all sockets ÷ fixes they expected. */
  droppedShare: number;
  dropped: Spread;
  superseded: Spread;
  seqJumps: number;
  missedTicks: number;
  backwards: number;
  duplicates: number;
  disconnects: number;
  /** Fixes of other stations' (or no station's) units that reached station screens, over the whole run. */
  foreign: number;
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
  /** Station of each unit by id (-1: none): what each socket should have received follows from it. */
  unitStation: Int32Array;
}

export function summarize(m: Measured): VariantResult {
  const { variant, t1, windowS, aborted, publisher: pub, sockets, stats0, stats1, loads, rssEnd, rssPeak, streamLagEnd } = m;
  let publishedInWindow = 0;
  for (let i = 0; i < pub.windowCount; i++) if (pub.windowTs[i] < t1) publishedInWindow += 1;
  const expected: number[] = [];
  const dropped: number[] = [];
  const superseded: number[] = [];
  const all = new LatencyHistogram();
  const p99s: number[] = [];
  for (const s of sockets) {
    // A client expects only the fixes of its scope: a station screen its station's units, a district wall all.
    const { mine, unknown } = unitsInScope(s.stationId, m.unitStation);
    // A fix counts as delivered if it, or a later fix of the same unit, reached this client:
    // a tick carries only a unit's newest fix, so coalescing legitimately merges fixes.
    let e = 0;
    let d = 0;
    for (let i = 0; i < pub.windowCount; i++) {
      const t = pub.windowTs[i];
      const id = pub.windowIds[i];
      if (t >= t1 || (mine[id] ?? unknown) !== 1) continue;
      e += 1;
      if (!(s.maxT[id] >= t)) d += 1;
    }
    expected.push(e);
    dropped.push(d);
    superseded.push(e - d - s.exact);
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
  const walls = sockets.filter((s) => s.stationId === null);
  const stationScreens = sockets.filter((s) => s.stationId !== null);
  const perS = (list: SocketReport[], f: (s: SocketReport) => number) => spread(list.map((s) => f(s) / windowS));
  const total = (values: number[]) => values.reduce((a, b) => a + b, 0);

  return {
    variant,
    windowS,
    aborted,
    publishedPerS: publishedInWindow / windowS,
    acceptedPerS: diff('accepted') / windowS,
    rejected,
    emittedPerS: diff('emitted') / windowS,
    ticksPerS: diff('ticks') / windowS,
    districtWalls: walls.length,
    stationScreens: stationScreens.length,
    outPerDistrictWall: perS(walls, (s) => s.updates),
    outPerStationScreen: perS(stationScreens, (s) => s.updates),
    slowestShare: Math.min(...sockets.map((s, i) => (expected[i] ? s.updates / expected[i] : 1))),
    bytesPerDistrictWall: perS(walls, (s) => s.bytes),
    bytesPerStationScreen: perS(stationScreens, (s) => s.bytes),
    bytesPerUpdate: sum((s) => s.bytes) / sum((s) => s.updates),
    latency: { p50: all.quantile(0.5), p95: all.quantile(0.95), p99: all.quantile(0.99), max: all.max, samples: all.count },
    worstClientP99: Math.max(...p99s.filter((x) => Number.isFinite(x))),
    publishedInWindow,
    expectedPerStationScreen: spread(expected.filter((_, i) => sockets[i].stationId !== null)),
    droppedShare: total(dropped) / total(expected),
    dropped: spread(dropped),
    superseded: spread(superseded),
    seqJumps: sum((s) => s.seqJumps),
    missedTicks: sum((s) => s.missedTicks),
    backwards: sum((s) => s.backwards),
    duplicates: sum((s) => s.duplicates),
    disconnects: sum((s) => s.disconnects),
    foreign: sum((s) => s.foreign),
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
