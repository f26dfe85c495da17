// Checks (and where possible prepares) the external services a configured start or a test run uses.
import { aptInstall, fail, say } from './steps.mjs';

async function pgClient(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  return client;
}

function maintenanceUrl(url) {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

function dbName(url) {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

function quoteIdent(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

async function connectOrFail(url) {
  try {
    return await pgClient(url);
  } catch (err) {
    const u = new URL(url);
    fail([
      `PostgreSQL is not reachable at ${u.host} (${err.message}).`,
      'Start it (Debian: pg_ctlcluster <version> main start) or set DATABASE_URL to a PostgreSQL with PostGIS.',
    ]);
  }
}

/** PostGIS must be installable in the server; installs Debian's package when the server is local. */
export async function ensurePostgis(url) {
  const client = await connectOrFail(maintenanceUrl(url));
  try {
    const has = async () =>
      (await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'`)).rowCount > 0;
    if (await has()) return;
    const major = Math.floor(Number((await client.query('SHOW server_version_num')).rows[0].server_version_num) / 10000);
    const pkg = `postgresql-${major}-postgis-3`;
    const host = new URL(url).hostname;
    if (!['localhost', '127.0.0.1', '::1', '[::1]'].includes(host))
      fail([`PostgreSQL at ${host} has no PostGIS.`, `Install PostGIS 3 on that server (Debian: apt-get install ${pkg}).`]);
    await aptInstall([pkg], `PostGIS is not installed in the local PostgreSQL ${major}`);
    if (!(await has())) fail([`${pkg} installed, but PostgreSQL still lists no postgis extension.`]);
  } finally {
    await client.end();
  }
}

/** Creates the database named in the URL when it does not exist (or anew when `fresh`). */
export async function ensureDatabase(url, { fresh = false } = {}) {
  const name = dbName(url);
  const client = await connectOrFail(maintenanceUrl(url));
  try {
    if (fresh) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    const exists = (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount > 0;
    if (!exists) {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      say(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

export async function ensureRedis(url) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    if ((await redis.ping()) !== 'PONG') throw new Error('no PONG');
  } catch (err) {
    fail([
      `Redis is not reachable at ${new URL(url).host} (${err.message}).`,
      'Start it (redis-server --daemonize yes) or set REDIS_URL.',
    ]);
  } finally {
    redis.disconnect();
  }
}
