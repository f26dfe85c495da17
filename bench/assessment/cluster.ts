// The bench's own PostgreSQL cluster and database (as bench:analytics'): the demo district, its
// roster, and the year's 考评细则 of the scored month.
import pg from 'pg';
import { migrate } from '../../server/db/migrate';
import type { Db } from '../../server/db/pool';
import { seedAssessmentRules } from '../../server/assessment/seed';
import { seedDemo } from '../../server/seed/demo';
import type { OwnPostgres } from '../../server/test/pg-cluster';
import { parsePeriod, instantsOfPeriod } from '../../lib/assessment/periods';
import { SETTINGS } from '../analytics/cluster';
import { startBenchCluster } from '../own-cluster';

export const DATABASE = 'liandong_bench_assessment';

export function startCluster(log: (line: string) => void): Promise<OwnPostgres> {
  // bench:analytics' settings: a deployment holding a year of a district's events.
  return startBenchCluster(DATABASE, SETTINGS, log);
}

/**
 * Migrates and seeds the demo district; the migration seeds the rules of today's year, and the
 * scored month may lie in the year before (a January run scores December).
 */
export async function prepareDatabase(db: Db, period: string, log: (line: string) => void): Promise<void> {
  await migrate(db);
  await seedDemo(db, (line) => log(`seed: ${line}`));
  const p = parsePeriod(period);
  if (!p) throw new Error(`not a period: ${period}`);
  await seedAssessmentRules(db, instantsOfPeriod(p).from);
}

/** A pool on the bench database, named in pg_stat_activity. */
export function benchPool(cluster: OwnPostgres, max: number, applicationName: string): Db {
  const db = new pg.Pool({ connectionString: cluster.urlOf(DATABASE), max, application_name: applicationName });
  db.on('error', () => undefined);
  db.on('connect', (c) => c.on('error', () => undefined));
  return db;
}
