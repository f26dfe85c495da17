// Ingest while history is written (the issue: "ingest keeps its bench:live figures"): bench:live's
// own variant run (server, wall sockets, publisher at 1 Hz per unit) on the bench's cluster, once
// quiet and once while history queries loop and the retention job thins the raw day.
import type { Db } from '../../server/db/pool';
import { maintainPositions, type RetentionResult } from '../../server/jobs/retention';
import { snapshotAt, traces } from '../../server/history/queries';
import type { BenchOptions } from '../options';
import type { VariantResult } from '../results';
import { runVariant } from '../run';
import { createBenchScreens, spreadScreens } from '../screens';
import type { HistoryUnit } from './cluster';
import { DAY_MS, type HistoryDays } from './generate';
import { median } from './goals';
import type { HistoryOptions } from './options';

export interface IngestRun {
  label: string;
  result: VariantResult;
  /** Rows the history writer stored per second of publishing (warm-up and window). */
  historyRowsPerS: number;
}

export interface Load {
  queries: number;
  queryMedianMs: number;
  queryMaxMs: number;
  thinning?: { result: RetentionResult; startedAfterS: number; windowS: number };
  thinningError?: string;
}

async function rowsSince(db: Db, since: number): Promise<number> {
  return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM positions WHERE at >= $1`, [new Date(since)])).rows[0].n;
}

/**
 * History queries in a loop (a unit's day, a station's hour, a snapshot) and, once the warm-up
 * should be over, the retention job with POSITIONS_KEEP_DAYS=2, which thins the raw day (its
 * local days marked computed in coverage_days first, as the coverage job would have).
 */
function startLoad(db: Db, units: readonly HistoryUnit[], days: HistoryDays, thinAfterMs: number): { stop(): Promise<Load> } {
  let stopping = false;
  const ms: number[] = [];
  const station = units.filter((u) => u.stationId === units[0].stationId).slice(0, 80).map((u) => u.id);
  const R = days.raw;
  const loop = (async () => {
    for (let i = 0; !stopping; i++) {
      const t = performance.now();
      if (i % 3 === 0) await traces(db, [units[(i * 37) % units.length].id], new Date(R), new Date(R + DAY_MS));
      else if (i % 3 === 1) await traces(db, station, new Date(R + ((i % 20) + 1) * 3600_000), new Date(R + ((i % 20) + 2) * 3600_000));
      else await snapshotAt(db, station, new Date(R + 6 * 3600_000 + (i % 60) * 60_000));
      ms.push(performance.now() - t);
    }
  })();
  const t0 = performance.now();
  let thinning: Load['thinning'];
  let thinningError: string | undefined;
  const thin = (async () => {
    await new Promise((r) => setTimeout(r, thinAfterMs));
    if (stopping) return;
    const iso = (d: number) => new Date(d).toISOString().slice(0, 10);
    await db.query(`INSERT INTO coverage_days (day) VALUES ($1), ($2) ON CONFLICT DO NOTHING`, [iso(R), iso(R + DAY_MS)]);
    const startedAfterS = (performance.now() - t0) / 1000;
    try {
      const result = await maintainPositions(db, { keepDays: 2, thinKeepDays: 3650 });
      thinning = { result, startedAfterS, windowS: 0 };
    } catch (err) {
      thinningError = (err as Error).message;
    }
  })();
  return {
    async stop() {
      // The thinning is not cut short: its time is one of the figures.
      await thin;
      stopping = true;
      await loop;
      return { queries: ms.length, queryMedianMs: median(ms), queryMaxMs: Math.max(...ms), thinning, thinningError };
    },
  };
}

export async function ingestRuns(
  opts: HistoryOptions,
  db: Db,
  databaseUrl: string,
  units: readonly HistoryUnit[],
  days: HistoryDays,
  log: (line: string) => void,
): Promise<{ runs: IngestRun[]; load: Load }> {
  const bench: BenchOptions = {
    units: units.length,
    clients: opts.clients,
    clientProcs: Math.min(opts.clients, 2),
    districtWalls: 1,
    seconds: opts.ingestSeconds,
    warmup: opts.ingestWarmup,
    batch: Math.min(1000, Math.ceil(units.length / 20)),
    drain: 3,
    naive: false,
    naiveMaxRssMb: 2048,
    naiveMaxLagS: 20,
    databaseUrl,
    redisUrl: opts.redisUrl,
  };
  const screens = spreadScreens(opts.clients, 1, await createBenchScreens(databaseUrl));
  const runs: IngestRun[] = [];
  let load: Load | undefined;
  for (const label of ['quiet', 'with history queries and thinning']) {
    const since = Date.now();
    const loaded = label !== 'quiet';
    // The server child starts in a few seconds; the thinning starts about when the window opens.
    const running = loaded ? startLoad(db, units, days, (opts.ingestWarmup + 3) * 1000) : undefined;
    const result = await runVariant('ours', bench, units, screens, `bench:${process.pid}:history:${loaded ? 'loaded' : 'quiet'}:`, log);
    if (running) {
      log('ingest window over; waiting for the thinning to end …');
      load = await running.stop();
      if (load.thinning) load.thinning.windowS = result.windowS;
    }
    // Over the seconds the publisher published (warm-up and window), not the server's start.
    runs.push({ label, result, historyRowsPerS: (await rowsSince(db, since)) / (opts.ingestWarmup + result.windowS) });
  }
  if (!load) throw new Error('the loaded ingest run did not run');
  return { runs, load };
}
