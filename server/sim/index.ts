import { pastIncidents } from '@/lib/sim/history';
import { placeModel, type PlaceModel } from '@/lib/sim/incident';
import { seededRandom } from '@/lib/random';
import type { SimConfig } from '../config';
import type { AppContext } from '../context';
import { backfillIfEmpty } from './backfill';
import { inTransaction } from '../db/pool';
import { seedMediation } from '../seed/mediation';
import { ResidentFeed } from './residents';
import { IncidentFeed } from './incidents';
import { SimWorkflow } from './workflow';
import { latestFixes, PositionFeed, type LatestSource, type PositionDoor, type PositionStats } from './positions';
import { buildRoster } from './roster';
import { withSimDuty } from './duty';
import { loadWorld, type World } from './world';

// A fixed seed: the demo behaves the same on every run. One stream per concern, so more units never reshuffle the incidents.
const DEFAULT_SEED = 20_260_506;
const DAY_MS = 24 * 3600_000;
/** Mediation cases go back this far (the cockpit's quarter), before the incidents' window by walk-ins. */
const CASE_HISTORY_DAYS = 90;
/** Of the incidents, the share residents send through /m (lib/sim/history CITIZEN_SHARE). */
const RESIDENT_SHARE = 0.25;

export interface SimStats {
  units: number;
  positions: PositionStats;
  quiet: number;
  incidentsCreated: number;
  incidentsFailed: number;
  workflowSteps: number;
  workflowFailed: number;
  backfilled: number;
  casesBackfilled: number;
  residentRequests: number;
  residentFailed: number;
}

export interface Simulator {
  /** One line for the log: what is simulated, and how fast. */
  describe: string;
  stats(): SimStats;
  stop(): Promise<void>;
}

/** What the simulator needs of the live path (server/live: `Live` has both). */
export interface LiveDoors {
  ingest: PositionDoor;
  fanout: LatestSource;
}

export function incidentPlaces(world: World): PlaceModel {
  const grids = [...world.grids.values()].map((g) => ({ name: g.villageName, points: g.points, weight: Math.max(1, g.population) }));
  return placeModel(grids, world.hotspots.map((h) => ({ name: h.label, points: h.points, weight: 0, share: h.share })));
}

/**
 * Demo mode's district in motion: units walking their grids and driving their stations' villages,
 * reporting through the live ingest, and incidents arriving on the day's rhythm. The first start
 * on an empty events table also writes the past weeks' incidents.
 */
export async function startSimulator(
  app: Pick<AppContext, 'db' | 'bus' | 'reference' | 'live' | 'config'>,
  live: LiveDoors,
  options: SimConfig & { seed?: number },
  log: (line: string) => void = (line) => console.log(`[sim] ${line}`),
): Promise<Simulator> {
  const seed = options.seed ?? DEFAULT_SEED;
  const world = await loadWorld(app.db);
  const places = incidentPlaces(world);
  // A demo database seeded before mediation existed gets its studios and mediators too (idempotent).
  await inTransaction(app.db, (tx) => seedMediation(tx));
  let backfilled = 0;
  let casesBackfilled = 0;
  if (options.backfillDays > 0) {
    const now = Date.now();
    const rand = seededRandom(seed + 3);
    const done = await backfillIfEmpty(app.db, () => ({
      incidents: pastIncidents(now - options.backfillDays * DAY_MS, now, options.incidentsPerHour, rand, places),
      now,
      casesFrom: now - Math.max(CASE_HISTORY_DAYS, options.backfillDays) * DAY_MS,
      seed: seed + 5,
    }));
    backfilled = done.incidents;
    casesBackfilled = done.cases;
  }

  const periodMs = Math.max(20, options.reportMs / options.speedup);
  const perHour = options.incidentsPerHour * options.speedup;
  const roster = buildRoster(world, latestFixes(live.fanout.snapshot()), Date.now(), periodMs, seededRandom(seed));
  const positions = new PositionFeed(roster.units, withSimDuty(app.db, roster.units, live.ingest), live.fanout, periodMs, seededRandom(seed + 1), log);
  const incidents = new IncidentFeed(app, places, perHour, seededRandom(seed + 2), log);
  const residents = new ResidentFeed(app, places, perHour * RESIDENT_SHARE, seededRandom(seed + 6), log);
  const workflow = new SimWorkflow(app, options.speedup, seededRandom(seed + 4), log, positions);
  positions.start();
  incidents.start();
  residents.start();
  workflow.start();

  const n = roster.units.length;
  const describe =
    `simulating ${n} units (${roster.walkers} on foot in their grids, ${roster.vehicles} vehicles${roster.skipped ? `, ${roster.skipped} without a place skipped` : ''}), ` +
    `each reporting every ${(periodMs / 1000).toFixed(periodMs < 1000 ? 2 : 1)} s ±15 % (~${Math.round((n * 1000) / periodMs)} positions/s), ` +
    `${perHour} incidents/h on the Asia/Shanghai day rhythm with ${world.hotspots.length} hotspots, worked along the closed loop` +
    (options.speedup !== 1 ? `, ×${options.speedup} speed-up` : '') +
    (perHour > 0 ? `, ~${Math.round(perHour * RESIDENT_SHARE * 10) / 10} residents' requests/h through /m's path, answered and rated` : '') +
    (backfilled ? `; ${backfilled} past incidents written for ${options.backfillDays} days, ${casesBackfilled} mediation cases for ${Math.max(CASE_HISTORY_DAYS, options.backfillDays)} days` : '');

  return {
    describe,
    stats: () => ({
      units: n,
      positions: { ...positions.stats, rejected: { ...positions.stats.rejected } },
      quiet: positions.quiet(),
      incidentsCreated: incidents.created,
      incidentsFailed: incidents.failed,
      workflowSteps: workflow.stepped,
      workflowFailed: workflow.failed,
      backfilled,
      casesBackfilled,
      residentRequests: residents.sent,
      residentFailed: residents.failed,
    }),
    async stop() {
      await Promise.all([positions.stop(), incidents.stop(), residents.stop(), workflow.stop()]);
    },
  };
}
