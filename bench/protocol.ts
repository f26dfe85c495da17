import type { HistogramWire } from './histogram';

/** What the orchestrator and its children say to each other (see ipc.ts for the envelope). */

export interface BenchUnit {
  id: number;
  code: string;
  lon: number;
  lat: number;
  /** Null: a unit of no station, which only the district's walls see. */
  stationId: number | null;
}

/** A wall display row of the bench database: a socket opens `/wall?display=<token>` as this screen. */
export interface BenchScreen {
  token: string;
  /** Null: a district wall. */
  stationId: number | null;
}

/** One position as the naive relay sends it: one Socket.IO event of JSON each. */
export interface NaivePosition {
  unitId: number;
  t: number;
  lon: number;
  lat: number;
  speed: number;
  heading: number | null;
}

/** The two server variants under test. */
export type Variant = 'ours' | 'naive';

// ── server children (server.ts, naive-relay.ts) ─────────────────────────────

export interface ServerReady {
  kind: 'ready';
  url: string;
}

export interface ServerStatsRequest {
  kind: 'stats';
  /** Restart the event-loop delay histogram (at the start of the window). */
  resetLoopDelay: boolean;
}

export interface ServerStats {
  accepted: number;
  rejected: Record<string, number>;
  /** Positions this process took off the pub/sub channel. */
  fannedIn: number;
  /** Unit updates emitted per socket (ours: units in ticks; naive: one event each). */
  emitted: number;
  ticks: number;
  historyWritten: number;
  historyFailed: number;
  sockets: number;
  /** Event-loop delay since the last reset, ms. */
  loopDelayP50: number;
  loopDelayP99: number;
  loopDelayMax: number;
  heapUsed: number;
}

// ── client processes (client.ts) ────────────────────────────────────────────

export interface ClientConnect {
  kind: 'connect';
  url: string;
  /** One per socket of this process. */
  screens: BenchScreen[];
  variant: Variant;
  /** Station of each unit by id (-1: none), so a socket can tell its own units from foreign ones. */
  unitStation: Int32Array;
}

/**
 * The measured window [t0, t1): latencies and rates count what ARRIVES in it, "dropped" what was
 * PUBLISHED in it; nothing arriving after `until` (the end of the drain) counts at all.
 */
export interface ClientWindow {
  kind: 'window';
  t0: number;
  t1: number;
  until: number;
}

export type ClientRequest = ClientConnect | ClientWindow | { kind: 'report' };

/** Once a second: enough for the orchestrator to print progress and to stop a runaway baseline. */
export interface ClientProgress {
  kind: 'progress';
  connected: number;
  updates: number;
  p50: number;
  max: number;
}

/** One socket's view of the window. */
export interface SocketReport {
  /** The screen's station; null for a district wall. */
  stationId: number | null;
  /** Fixes of units this screen may not see, over the whole run: must stay 0 for ours (issue 10). */
  foreign: number;
  /** Unit updates of its own scope received during the window (by arrival time). */
  updates: number;
  /** Engine.io payload bytes received during the window (WebSocket framing not included). */
  bytes: number;
  ticks: number;
  /** Fixes published in the window that arrived as themselves (not superseded). */
  exact: number;
  /** Fixes whose time equals the last seen for the unit: the same fix twice. */
  duplicates: number;
  /** Fixes older than one already seen for the unit. */
  backwards: number;
  /** Ticks whose seq was not last + 1, and how many ticks those jumps skipped. */
  seqJumps: number;
  missedTicks: number;
  disconnects: number;
  /** Newest fix time seen per unit id, over the whole run including the drain. */
  maxT: Float64Array;
  latency: HistogramWire;
}

export interface ClientReport {
  sockets: SocketReport[];
}

// ── publisher (publisher.ts) ────────────────────────────────────────────────

export interface PublisherStart {
  kind: 'start';
  redisUrl: string;
  stream: string;
  units: BenchUnit[];
  batch: number;
  /** When the first batch goes out, when the window opens and when publishing ends (epoch ms). */
  startAt: number;
  t0: number;
  t1: number;
}

export type PublisherRequest = PublisherStart | { kind: 'stop' } | { kind: 'report' };

export interface PublisherProgress {
  kind: 'progress';
  published: number;
  /** How far behind its schedule the publisher ran in the last second, ms. */
  lateMs: number;
  inflight: number;
}

export interface PublisherReport {
  published: number;
  /** Every fix published from t0 on: unit id and time, in publishing order. */
  windowIds: Uint32Array;
  windowTs: Float64Array;
  windowCount: number;
  maxLateMs: number;
  maxInflight: number;
  errors: number;
  bytes: number;
}
