import pg from 'pg';

// PostgreSQL's bigint and numeric arrive as strings by default; our ids and counts fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
// bigint[] too (ARRAY(SELECT id …)): its default parser yields strings.
const INT8_ARRAY = 1016 as Parameters<typeof pg.types.getTypeParser>[0];
const parseInt8Array = pg.types.getTypeParser(INT8_ARRAY);
pg.types.setTypeParser(INT8_ARRAY, (v: string) => (parseInt8Array(v) as (string | null)[]).map((x) => (x === null ? null : Number(x))));

export type Db = pg.Pool;
export type Tx = pg.PoolClient;

export function createPool(url: string, max: number): Db {
  // A wait for a free client beyond 10 s is a bug (e.g. a pool call inside a transaction on the embedded pool of one).
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (err) => console.error('[db] idle client error:', err.message));
  // Nor one checked out between two queries (a transaction's, when PostgreSQL restarts): with no
  // listener its 'error' event would end the process (issue 11, found by the chaos drill). The
  // query in flight, or the next, fails on its own and is answered 503.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Runs `fn` in one transaction: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** "postgres://user@host:5432/db" without the password, for logs and /healthz. */
export function describeUrl(url: string): string {
  const u = new URL(url);
  u.password = '';
  return `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname}`;
}
