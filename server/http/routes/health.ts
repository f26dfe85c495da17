import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../../context';
import { isShuttingDown } from '../../obs/shutdown';
import type { JsonSchema, Router } from '../router';

/** A probe never waits longer than this for one dependency: a down Redis once made /healthz hang. */
const CHECK_MS = 1000;
const RETRY_AFTER_S = '5';
const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../db/migrations');
/** Next's build id, written by `next build`: a new one means the pages were rebuilt, i.e. the server was upgraded. */
const BUILD_ID_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../.next/BUILD_ID');

type Outcome = { ok: true; ms: number } | { ok: false; error: string };

/** `what`, or an error once `ms` have passed; what it was doing is left to finish on its own. */
async function within<T>(ms: number, what: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    });
    const value = await Promise.race([what(), late]);
    return { value, ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/** Concurrent probes share one check in flight, so a slow dependency does not pile them up. */
function shared<T>(check: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  return () => (running ??= check().finally(() => (running = null)));
}

let migrationFiles: Promise<string[]> | null = null;
/** The migrations this build ships (the same files server/db/migrate.ts applies). */
function shippedMigrations(): Promise<string[]> {
  migrationFiles ??= readdir(MIGRATIONS_DIR).then((files) => files.filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort());
  return migrationFiles;
}

let buildId: Promise<string> | null = null;
/** Read once per process: an upgrade restarts the process, and the running one keeps serving its own build. */
function currentBuild(): Promise<string> {
  buildId ??= readFile(BUILD_ID_FILE, 'utf8').then((s) => s.trim(), () => 'development');
  return buildId;
}

const VERSION: JsonSchema = { type: 'object', properties: { build: { type: 'string' } }, required: ['build'] };
const HEALTH: JsonSchema = { type: 'object', properties: { status: { const: 'ok' } }, required: ['status'] };
const READY: JsonSchema = { type: 'object', properties: { status: { type: 'string', enum: ['ready', 'not_ready'] } }, required: ['status'] };

export function healthRoutes(router: Router, app: AppContext): void {
  // pg's own read timeout as well: a query abandoned by `within` would otherwise hold a pool client.
  const timed = (text: string) => ({ text, query_timeout: CHECK_MS });

  const busCheck = shared(async (): Promise<Outcome> => {
    try {
      const { value, ms } = await within(CHECK_MS, () => app.bus.ping());
      return value ? { ok: true, ms } : { ok: false, error: 'no PONG' };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  });

  // Liveness: this process answers. Dependencies are reported to the administrator but never
  // fail it, or a Redis outage would have every process restarted; /readyz takes it out of rotation.
  const details = shared(async () => {
    const [database, bus] = await Promise.all([
      within(CHECK_MS, () => app.db.query<{ v: string }>(timed('SELECT postgis_lib_version() AS v'))).then(
        ({ value, ms }) => ({ ok: true, ms, postgis: value.rows[0].v }),
        (err: Error) => ({ ok: false, error: err.message }),
      ),
      busCheck(),
    ]);
    return { database, bus };
  });

  router.add('GET', '/healthz', 'public', {
    doc: {
      summary: '存活检查',
      description: '本进程能否应答；依赖的服务不影响其结果。探针只得到 status；管理员会话另见模式、数据库与总线的状态。',
      response: HEALTH,
    },
  }, async ({ session }) => {
    // Probes need only the status; database user, host and name and error texts help an attacker.
    if (session?.role !== 'admin') return { body: { status: 'ok' } };
    const { database, bus } = await details();
    return {
      body: {
        status: 'ok',
        mode: app.config.mode,
        shuttingDown: isShuttingDown(app),
        database: { ...app.database, ...database },
        bus: { kind: app.bus.kind, describe: app.bus.describe, ...bus },
      },
    };
  });

  // An unattended wall reloads itself when this changes (issue 13). The id is no secret: every page's
  // asset paths carry it already.
  router.add('GET', '/version', 'public', {
    doc: {
      summary: '当前版本',
      description: '本进程所服务的页面构建号（Next.js BUILD_ID）；大屏每分钟询问一次，与载入时不同即自行刷新。',
      response: VERSION,
    },
  }, async () => ({ body: { build: await currentBuild() }, headers: { 'cache-control': 'no-store' } }));

  const readiness = shared(async () => {
    const [database, bus] = await Promise.all([
      within(CHECK_MS, async () => {
        const [{ rows }, shipped] = await Promise.all([app.db.query<{ name: string }>(timed('SELECT name FROM schema_migrations')), shippedMigrations()]);
        const applied = new Set(rows.map((r) => r.name));
        return shipped.filter((f) => !applied.has(f));
      }).then(
        ({ value, ms }) => ({ ok: true, ms, pendingMigrations: value }),
        (err: Error) => ({ ok: false, error: err.message }),
      ),
      // Without REDIS_URL the bus lives in this process and cannot be down.
      app.config.redisUrl ? busCheck() : Promise.resolve<Outcome>({ ok: true, ms: 0 }),
    ]);
    return { database, bus };
  });

  // Readiness: send this process traffic. 503 while a dependency is down, a migration is missing or it is shutting down.
  router.add('GET', '/readyz', 'public', {
    doc: {
      summary: '就绪检查',
      description: '数据库与消息总线可用、迁移已全部执行且不在关停中时答 200；否则 503 并带 Retry-After，负载均衡据此摘除本进程。管理员会话另见各项详情。',
      responses: {
        200: { description: '就绪', schema: READY },
        503: { description: '未就绪', schema: READY, headers: { 'Retry-After': { description: '建议的重试间隔（秒）', schema: { type: 'integer' } } } },
      },
    },
  }, async ({ session }) => {
    const { database, bus } = await readiness();
    const migrated = 'pendingMigrations' in database && database.pendingMigrations.length === 0;
    // Asked after the checks: a shutdown that began while they ran already counts.
    const shuttingDown = isShuttingDown(app);
    const ready = database.ok && migrated && bus.ok && !shuttingDown;
    const status = ready ? 'ready' : 'not_ready';
    const headers: Record<string, string> = ready ? {} : { 'retry-after': RETRY_AFTER_S };
    const body = session?.role === 'admin' ? { status, shuttingDown, database: { ...database, migrated }, bus: { kind: app.bus.kind, ...bus } } : { status };
    return { status: ready ? 200 : 503, body, headers };
  });
}
