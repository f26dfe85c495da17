// What the bench:events orchestrator and its children (server, load generators) say to each other.
import { LatencyHistogram, type HistogramWire } from './histogram';

/** ours: POST /api/v1/events as it is. naive: the baseline of naive-ingest.ts. */
export type EventsVariant = 'ours' | 'naive';
export const EVENTS_VARIANTS: readonly EventsVariant[] = ['ours', 'naive'];

/**
 * Ack latencies with 0.1 ms resolution below 1 s (10 ms up to 60 s): LatencyHistogram counts whole
 * milliseconds, too coarse for a 2 ms ack, so this one records tenths of a millisecond in it.
 */
export class AckHistogram {
  static SCALE = 10;
  constructor(readonly h: LatencyHistogram = new LatencyHistogram()) {}
  record(ms: number): void {
    this.h.record(ms * AckHistogram.SCALE);
  }
  add(other: AckHistogram): void {
    this.h.add(other.h);
  }
  get count(): number {
    return this.h.count;
  }
  get max(): number {
    return this.h.max / AckHistogram.SCALE;
  }
  quantile(q: number): number {
    return this.h.quantile(q) / AckHistogram.SCALE;
  }
  toWire(): HistogramWire {
    return this.h.toWire();
  }
  static fromWire(w: HistogramWire): AckHistogram {
    return new AckHistogram(LatencyHistogram.fromWire(w));
  }
}

/** Points to report at: lon/lat interleaved, each with the index of the grid it was sampled in. */
export interface PointSet {
  lonLat: Float64Array;
  grid: Int32Array;
  gridCodes: string[];
  gridNames: string[];
}

export interface LoadSetup {
  kind: 'setup';
  url: string;
  path: string;
  token: string;
  points: PointSet;
  /** Unique per load generator and variant: keys are `${keyPrefix}${n}`. */
  keyPrefix: string;
  retryShare: number;
  timeoutMs: number;
  /** Sockets of the keep-alive agent (the generator's share of the concurrency). */
  maxSockets: number;
  seed: number;
}

export interface PhaseRequest {
  kind: 'phase';
  name: string;
  mode: 'open' | 'closed';
  /** Open loop: new events a second from this generator. */
  rate: number;
  /** Epoch ms at which the phase starts (one clock for every process of the machine). */
  startAt: number;
  seconds: number;
  concurrency: number;
  /** Open loop: stop scheduling once this many seconds of the schedule wait in the client (the server fell behind). */
  maxBacklogS: number;
}

export interface PhaseResult {
  name: string;
  mode: 'open' | 'closed';
  /** Seconds from the start to the end of the schedule, or to the early stop. */
  windowS: number;
  stoppedEarly?: string;
  /** Scheduled requests still waiting in the client at an early stop: never sent, not counted as offered. */
  abandoned: number;
  /** New events scheduled (open loop) or started (closed loop) in the window. */
  offered: number;
  retriesOffered: number;
  retriesSent: number;
  /** 201 answers for new events; 200 answers for retries that carried the first id. */
  created: number;
  retriesOk: number;
  /** Retries answered 2xx but not as a replay of the first id (must be 0). */
  retryMismatch: number;
  /** New events answered 200 (created: false) — a fresh key seen as known (must be 0). */
  newAsReplay: number;
  /** 2xx answers received inside the window, new events and retries apart. */
  createdInWindow: number;
  retriesInWindow: number;
  status: Record<string, number>;
  /** Requests that got no answer: timed out, or the connection failed. */
  timeouts: number;
  socketErrors: number;
  /** Scheduled time (open loop) or send time (closed loop) → answer, every answered request. */
  ack: HistogramWire;
  /** Send → answer (without the wait in the client when the cap was reached). */
  service: HistogramWire;
  /** The placement the server answered vs the grid the point was sampled in. */
  placedInSampledGrid: number;
  placedElsewhere: number;
  unplaced: number;
  duplicatesFlagged: number;
  /** Open loop: most requests waiting in the client for a free slot, and the worst sending delay. */
  maxBacklog: number;
  maxSendDelayMs: number;
  loadgenLoopDelayP99: number;
}

export interface LoadProgress {
  kind: 'progress';
  phase: string;
  sent: number;
  answered: number;
  inflight: number;
  backlog: number;
  errors: number;
  /** Ack latency of the last second. */
  p50: number;
  p99: number;
}

/** Everything the generator knows about what it sent, for the zero-loss check. */
export interface LoadLedger {
  /** Acknowledged new events: key and id (201). */
  ackedKeys: string[];
  ackedIds: number[];
  /** Keys of new events that got no 2xx answer (timeout, connection error, 4xx/5xx). */
  unansweredKeys: string[];
  /** …of which got an error status (the server answered, e.g. 500 or 503). */
  failedKeys: string[];
}

export interface ServerSample {
  loopDelayP99: number;
  loopDelayMax: number;
  heapUsed: number;
  poolTotal: number;
  poolIdle: number;
  poolWaiting: number;
}
