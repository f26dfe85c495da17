import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** postgres:// URL for `new pg.Pool({ connectionString, max: EMBEDDED_POOL_MAX })`. */
  url: string;
  /** Idempotent, so a signal handler and the normal shutdown path may both call it. */
  stop(): Promise<void>;
}

/**
 * PGlite is a single backend session shared by every socket. The socket server multiplexes
 * connections per protocol message, so two busy connections can swap unnamed prepared
 * statements (measured: wrong rows for parameters over ~150 kB) and share SETs, advisory locks
 * and NOTIFYs. Only one pool client at a time is correct.
 */
export const EMBEDDED_POOL_MAX = 1;

// One more than the pool: pg replaces a broken client before the server has reaped the old
// socket, and at the limit that reconnect is refused (measured: half of all reconnects).
const MAX_CONNECTIONS = EMBEDDED_POOL_MAX + 1;

/** Runs PGlite + PostGIS persisted in `dataDir`, served on 127.0.0.1 to the ordinary `pg` driver. */
export async function startEmbeddedPostgres(opts: { dataDir: string; port?: number }): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const unlock = await lockDataDir(dataDir);
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir, extensions: { postgis } });
  } catch (err) {
    await unlock();
    throw err;
  }
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: opts.port ?? 0, maxConnections: MAX_CONNECTIONS });
  try {
    // The server owns the extension so that PostGIS queries work before migrations run.
    await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
    await server.start();
  } catch (err) {
    await db.close().catch(() => undefined);
    await unlock();
    throw err;
  }

  const shutdown = async (): Promise<void> => {
    await server.stop();
    // Sockets that closed just before stop() detach on a later tick and ROLLBACK their open
    // transaction; after close() that detach throws and crashes the process. Let them run,
    // then queue behind their ROLLBACK.
    await new Promise((resolve) => setImmediate(resolve));
    await db.query('SELECT 1');
    // close() takes no lock of its own; holding the query lock keeps it from cutting a write.
    await db.runExclusive(() => db.close());
    await unlock();
  };
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= shutdown());

  return { url: `postgres://postgres@${server.getServerConn()}/postgres`, stop };
}

const lockedHere = new Set<string>();

/**
 * PGlite takes no lock on its data directory, and a second process writing the same files
 * corrupts them (e.g. two dev servers). A lock left by a killed process is taken over; one
 * naming our own or our parent's pid is stale too, since a restarted container reuses pids.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = `${dataDir}.lock`;
  if (lockedHere.has(lockFile)) throw new Error(`${dataDir} is already open in this process`);
  for (;;) {
    try {
      await writeFile(lockFile, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number(await readFile(lockFile, 'utf8').catch(() => ''));
    if (owner && owner !== process.pid && owner !== process.ppid && isAlive(owner))
      throw new Error(`${dataDir} is in use by process ${owner}; stop it or set DATA_DIR elsewhere`);
    await rm(lockFile, { force: true });
  }
  lockedHere.add(lockFile);
  return async () => {
    lockedHere.delete(lockFile);
    await rm(lockFile, { force: true });
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
