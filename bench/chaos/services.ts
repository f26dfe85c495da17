import pg from 'pg';
import { migrate } from '../../server/db/migrate';
import { createPool } from '../../server/db/pool';
import { seedDemo } from '../../server/seed/demo';
import { startOwnPostgres, type OwnPostgres } from '../../server/test/pg-cluster';
import { startOwnRedis, type OwnRedis } from '../../server/test/redis-server';

export interface ChaosServices {
  redis: OwnRedis;
  postgres: OwnPostgres;
  databaseUrl: string;
  close(): Promise<void>;
}

const DB = 'liandong_chaos';

/**
 * A Redis and a PostgreSQL of the drill's own, seeded with the demo district: the drill kills and
 * restarts them, so it never touches the machine's shared servers (nor anyone's tests on them).
 */
export async function startChaosServices(log: (line: string) => void): Promise<ChaosServices> {
  const redis = await startOwnRedis();
  let postgres: OwnPostgres | null = null;
  try {
    postgres = await startOwnPostgres();
    const admin = new pg.Client(postgres.urlOf('postgres'));
    await admin.connect();
    await admin.query(`CREATE DATABASE ${DB}`);
    await admin.end();
    const databaseUrl = postgres.urlOf(DB);
    const db = createPool(databaseUrl, 2);
    try {
      const t0 = Date.now();
      await migrate(db);
      await seedDemo(db);
      log(`own PostgreSQL and Redis up, demo district seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } finally {
      await db.end();
    }
    const pgs = postgres;
    return {
      redis,
      postgres: pgs,
      databaseUrl,
      async close() {
        await Promise.allSettled([redis.close(), pgs.close()]);
      },
    };
  } catch (err) {
    await redis.close();
    await postgres?.close();
    throw err;
  }
}
