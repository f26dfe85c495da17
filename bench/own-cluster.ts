// A bench's own PostgreSQL cluster (bench:history, bench:analytics): settings a deployment holding
// that much data would have (the defaults are for a laptop), applied with a restart right after
// initdb, when there is nothing to recover; and the bench's database in it.
import pg from 'pg';
import { startOwnPostgres, type OwnPostgres } from '../server/test/pg-cluster';

export async function startBenchCluster(database: string, settings: Record<string, string>, log: (line: string) => void): Promise<OwnPostgres> {
  const cluster = await startOwnPostgres();
  try {
    const admin = new pg.Client({ connectionString: cluster.urlOf('postgres') });
    await admin.connect();
    try {
      for (const [k, v] of Object.entries(settings)) await admin.query(`ALTER SYSTEM SET ${k} = '${v}'`);
      await admin.query('CHECKPOINT');
      await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
    // OwnPostgres has no restart; an immediate stop right after a checkpoint recovers in no time.
    await cluster.crash();
    await cluster.start();
    log(`own PostgreSQL cluster at ${cluster.urlOf(database)} (${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(', ')})`);
    return cluster;
  } catch (err) {
    await cluster.close();
    throw err;
  }
}
