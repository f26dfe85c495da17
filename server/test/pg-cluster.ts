import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-server';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of its own (Debian's binaries, PostGIS available), on a free port, that a
 * fault drill may crash and start again without touching the machine's shared server (issue 11).
 */
export interface OwnPostgres {
  /** postgres://postgres@127.0.0.1:<port>/<db> */
  urlOf(db: string): string;
  /** pg_ctl stop -m immediate: the server process dies as in a crash; start() recovers it. */
  crash(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  let versions: string[];
  try {
    versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  } catch {
    versions = [];
  }
  if (!versions[0]) throw new Error(`no PostgreSQL server binaries under ${root} (Debian package postgresql)`);
  return path.join(root, versions[0], 'bin');
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'liandong-pg-'));
  const root = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres account.
  if (root) chownSync(dir, Number((await run('id', ['-u', 'postgres'])).stdout), Number((await run('id', ['-g', 'postgres'])).stdout));
  const pg = (tool: string, args: string[]) => (root ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : run(path.join(bin, tool), args));
  const data = path.join(dir, 'data');
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const start = async () => {
    await pg('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  };
  await start();
  return {
    urlOf: (db) => `postgres://postgres@127.0.0.1:${port}/${db}`,
    crash: async () => void (await pg('pg_ctl', ['-D', data, '-m', 'immediate', 'stop'])),
    start,
    async close() {
      await pg('pg_ctl', ['-D', data, '-m', 'fast', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
