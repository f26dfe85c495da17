import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_DEVICE_TOKEN } from '../../server/config';
import { createPool } from '../../server/db/pool';
import { demoApiKey } from '../../server/seed/devices';
import { freePort } from '../../server/test/redis-server';
import { ChaosLoad, type Tally } from './load';
import { ChaosServer } from './server';
import { startChaosServices, type ChaosServices } from './services';
import { ChaosWall } from './wall';

export const FAULTS = ['server_kill', 'redis_restart', 'postgres_restart', 'redis_pause'] as const;
export type Fault = (typeof FAULTS)[number];

export const FAULT_LABEL: Record<Fault, string> = {
  server_kill: 'server kill -9, restarted',
  redis_restart: 'Redis restarted, data lost',
  postgres_restart: 'PostgreSQL crashed, restarted',
  redis_pause: 'Redis paused (CLIENT PAUSE)',
};

export interface ChaosOptions {
  eventsPerSecond: number;
  units: number;
  /** Seconds of steady load before each fault, the fault's length, and the time left to recover. */
  warmS: number;
  outageS: number;
  pauseS: number;
  recoverS: number;
  faults: readonly Fault[];
  log: (line: string) => void;
}

export interface FaultResult {
  fault: Fault;
  events: { acked: number; stored: number };
  fixes: { acked: number; stored: number };
  /** Answers while the fault lasted. */
  outage: Tally;
  /** Every answer of the phase (before, during and after the fault). */
  phase: Tally;
  positionsFlowS: number | null;
  wallLiveS: number | null;
  duplicates: { events: number; positions: number };
}

export interface ChaosReport {
  options: Omit<ChaosOptions, 'log'>;
  results: FaultResult[];
  refusedAs4xx: string[];
  unacked: { events: number; fixes: number };
  wall: { reconnects: number; resyncs: number };
  /** The server exiting on its own: never acceptable. */
  crashes: string[];
  durationS: number;
}

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

function merge(a: Tally | undefined, b: Tally | undefined): Tally {
  const out: Tally = { outcomes: { ...(a?.outcomes ?? {}) }, noRetryAfter: (a?.noRetryAfter ?? 0) + (b?.noRetryAfter ?? 0) };
  for (const [k, v] of Object.entries(b?.outcomes ?? {})) out.outcomes[k as keyof Tally['outcomes']] = (out.outcomes[k as keyof Tally['outcomes']] ?? 0) + v;
  return out;
}

async function inject(fault: Fault, services: ChaosServices, server: ChaosServer, o: ChaosOptions): Promise<void> {
  switch (fault) {
    case 'server_kill':
      await server.kill();
      await sleep(o.outageS);
      await server.start();
      return;
    case 'redis_restart':
      await services.redis.kill();
      await sleep(o.outageS);
      await services.redis.start();
      return;
    case 'postgres_restart':
      await services.postgres.crash();
      await sleep(o.outageS);
      await services.postgres.start();
      return;
    case 'redis_pause':
      await services.redis.pause(o.pauseS * 1000);
      await sleep(o.pauseS);
  }
}

/**
 * The fault drill (issue 11): a steady load of events and positions against the real stack on a
 * PostgreSQL and Redis of its own; each fault in turn; then every acknowledged event and fix is
 * looked up in the database. Stops everything it started, whatever happens.
 */
/** What a drill has started, for a clean-up after a signal (bench/children.ts runBench). */
export const running: { services: ChaosServices | null } = { services: null };

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const t0 = Date.now();
  const services = await startChaosServices(o.log);
  running.services = services;
  const port = await freePort();
  // The server's files (photos) under one directory the drill removes: a server killed with -9 leaves its own behind.
  const files = mkdtempSync(path.join(tmpdir(), 'liandong-chaos-'));
  const server = new ChaosServer(port, { TEST_DATABASE_URL: services.databaseUrl, TEST_REDIS_URL: services.redis.url, BUS_PREFIX: 'chaos:', STACK_DATA_PARENT: files });
  const wall = new ChaosWall(server.url);
  let load: ChaosLoad | null = null;
  try {
    await server.start();
    const db = createPool(services.databaseUrl, 2);
    const { rows: units } = await db.query<{ id: number; code: string; lon: number; lat: number }>(
      `SELECT id, code, ST_X(last_position) AS lon, ST_Y(last_position) AS lat FROM units WHERE last_position IS NOT NULL ORDER BY id LIMIT $1`,
      [o.units],
    );
    const { rows: villages } = await db.query<{ code: string }>(`SELECT village_code AS code FROM station_villages`);
    await db.end();
    await wall.open('demo-wall');
    load = new ChaosLoad({
      url: server.url, apiKey: demoApiKey('hotline_12345'), deviceToken: DEMO_DEVICE_TOKEN, eventsPerSecond: o.eventsPerSecond,
      units, villages: villages.map((v) => v.code), maxInFlight: 64,
    });
    load.start();
    const windows: { fault: Fault; from: number; to: number; end: number }[] = [];
    for (const fault of o.faults) {
      load.phase = fault;
      load.window = 'normal';
      const from = Date.now();
      await sleep(o.warmS);
      o.log(`${fault}: ${FAULT_LABEL[fault]} …`);
      load.window = 'outage';
      await inject(fault, services, server, o);
      const end = Date.now();
      load.window = 'normal';
      await sleep(o.recoverS);
      windows.push({ fault, from, to: Date.now(), end });
    }
    o.log('load stopped; waiting for the last retries …');
    await load.stop(30_000);
    // A graceful stop sends nothing the acknowledgements did not already cover: they waited for the commit.
    await server.stop();

    const check = createPool(services.databaseUrl, 2);
    try {
      const results: FaultResult[] = [];
      for (const w of windows) {
        const keys = [...load.events].filter(([, a]) => a.phase === w.fault).map(([k]) => k);
        const fixes = [...load.fixes.values()].filter((f) => f.phase === w.fault);
        const { rows: ev } = await check.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM events WHERE source = 'hotline_12345' AND idempotency_key = ANY($1::text[])`,
          [keys],
        );
        const { rows: fx } = await check.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM unnest($1::int[], $2::float8[]) AS a(u, t)
            WHERE EXISTS (SELECT 1 FROM positions p WHERE p.unit_id = a.u AND p.at = to_timestamp(a.t / 1000.0))`,
          [fixes.map((f) => f.unitId), fixes.map((f) => f.t)],
        );
        const { rows: dupP } = await check.query<{ n: number }>(
          `SELECT (count(*) - count(DISTINCT (unit_id, at)))::int AS n FROM positions WHERE at >= to_timestamp($1 / 1000.0) AND at < to_timestamp($2 / 1000.0)`,
          [w.from, w.to],
        );
        const { rows: dupE } = await check.query<{ n: number }>(
          `SELECT (count(*) - count(DISTINCT idempotency_key))::int AS n FROM events
            WHERE source = 'hotline_12345' AND reported_at >= to_timestamp($1 / 1000.0) AND reported_at < to_timestamp($2 / 1000.0)`,
          [w.from, w.to + 120_000],
        );
        results.push({
          fault: w.fault,
          events: { acked: keys.length, stored: ev[0].n },
          fixes: { acked: fixes.length, stored: fx[0].n },
          outage: merge(load.tallies.get(`${w.fault}|outage`), undefined),
          phase: merge(load.tallies.get(`${w.fault}|outage`), load.tallies.get(`${w.fault}|normal`)),
          positionsFlowS: load.positionsFlowAfter(w.end),
          wallLiveS: wall.liveAfter(w.end),
          duplicates: { events: dupE[0].n, positions: dupP[0].n },
        });
      }
      const { log, ...options } = o;
      void log;
      return {
        options, results, refusedAs4xx: load.refusedAs4xx.slice(0, 20), unacked: load.unacked,
        wall: { reconnects: wall.reconnects, resyncs: wall.resyncs }, crashes: server.crashes, durationS: (Date.now() - t0) / 1000,
      };
    } finally {
      await check.end();
    }
  } finally {
    wall.close();
    await load?.stop(0);
    await server.kill();
    await services.close();
    running.services = null;
    rmSync(files, { recursive: true, force: true });
  }
}
