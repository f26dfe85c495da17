/**
 * Latency counts in fixed buckets: 1 ms wide up to 10 s, 100 ms wide up to 10 min. A client sees
 * ~10^4 latencies a second per socket; keeping every sample would cost more than the measurement.
 */
const FINE_MS = 10_000;
const COARSE_STEP_MS = 100;
const MAX_MS = 600_000;
export const BUCKETS = FINE_MS + (MAX_MS - FINE_MS) / COARSE_STEP_MS + 1;

function bucketOf(ms: number): number {
  if (ms < 0) return 0;
  if (ms < FINE_MS) return Math.floor(ms);
  return Math.min(BUCKETS - 1, FINE_MS + Math.floor((ms - FINE_MS) / COARSE_STEP_MS));
}

function lowerBoundOf(bucket: number): number {
  return bucket < FINE_MS ? bucket : FINE_MS + (bucket - FINE_MS) * COARSE_STEP_MS;
}

export class LatencyHistogram {
  constructor(
    readonly counts: Uint32Array = new Uint32Array(BUCKETS),
    public count = 0,
    public max = 0,
  ) {}

  record(ms: number): void {
    this.counts[bucketOf(ms)] += 1;
    this.count += 1;
    if (ms > this.max) this.max = ms;
  }

  add(other: LatencyHistogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] += other.counts[i];
    this.count += other.count;
    this.max = Math.max(this.max, other.max);
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.max = 0;
  }

  /** The q-quantile in ms (bucket lower bound: exact to 1 ms below 10 s); NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return lowerBoundOf(i);
    }
    return this.max;
  }

  /** What crosses the IPC channel. */
  toWire(): HistogramWire {
    return { counts: this.counts, count: this.count, max: this.max };
  }

  static fromWire(w: HistogramWire): LatencyHistogram {
    return new LatencyHistogram(w.counts, w.count, w.max);
  }
}

export interface HistogramWire {
  counts: Uint32Array;
  count: number;
  max: number;
}
