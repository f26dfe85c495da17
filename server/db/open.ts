import path from 'node:path';
import type { Config } from '../config';
import type { AppContext } from '../context';
import { createPool, describeUrl, type Db } from './pool';

export interface OpenDatabase {
  db: Db;
  info: AppContext['database'];
  close(): Promise<void>;
}

/** A real PostgreSQL when DATABASE_URL is set; otherwise the embedded one under DATA_DIR. */
export async function openDatabase(config: Config): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    const db = createPool(config.databaseUrl, config.dbPoolMax);
    return { db, info: { kind: 'postgresql', describe: describeUrl(config.databaseUrl) }, close: () => db.end() };
  }
  const { startEmbeddedPostgres, EMBEDDED_POOL_MAX } = await import('./embedded');
  const dataDir = path.join(config.dataDir, 'pglite');
  const embedded = await startEmbeddedPostgres({ dataDir, port: 0 });
  const db = createPool(embedded.url, EMBEDDED_POOL_MAX);
  return {
    db,
    info: { kind: 'embedded-pglite', describe: `PGlite + PostGIS at ${path.relative(process.cwd(), dataDir) || dataDir}` },
    async close() {
      await db.end();
      await embedded.stop();
    },
  };
}
