import path from 'node:path';
import { z } from 'zod';
import { readBasemapSettings, type BasemapSetting } from '@/lib/basemap/settings';

export const DEMO_SESSION_SECRET = 'liandong-demo-session-secret-not-for-production';
export const DEMO_DISPLAY_TOKEN = 'demo-wall';
export const DEMO_PASSWORD = 'demo1234';
export const DEMO_DEVICE_TOKEN = 'demo-device-token';

const Env = z.object({
  LIANDONG_MODE: z.enum(['demo', 'production']).default('demo'),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('data'),
  SESSION_SECRET: z.string().optional(),
  DISPLAY_TOKEN: z.string().optional(),
  /** Prefix of every Redis channel and key, so several deployments (or test runs) share one Redis. */
  BUS_PREFIX: z.string().regex(/^[a-z0-9:_-]*$/).default('ld:'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  NEXT_DEV: z.enum(['0', '1']).default('0'),
  /** Demo only: simulated units and incidents (production never simulates). */
  SIMULATE: z.enum(['0', '1']).default('1'),
  SIM_REPORT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  SIM_INCIDENTS_PER_HOUR: z.coerce.number().min(0).max(100_000).default(40),
  /** Soak tests: multiplies the report and incident rates (movement stays real-time, so fixes stay plausible). */
  SIM_SPEEDUP: z.coerce.number().positive().max(1000).default(1),
  SIM_BACKFILL_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  /** A dispatched unit that has not acknowledged within this many seconds is flagged (S12). */
  DISPATCH_ACK_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
  /** Days of raw position history kept; older days are thinned to one fix per unit and minute (server/jobs/retention.ts). */
  POSITIONS_KEEP_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Days a thinned day is kept (two years by default); older days are dropped whole. */
  POSITIONS_THIN_KEEP_DAYS: z.coerce.number().int().min(1).max(7300).default(730),
  /** Addresses of reverse proxies (TLS terminators) whose X-Forwarded-For names the real client, comma-separated. */
  TRUST_PROXY: z.string().regex(/^[0-9a-fA-F:.,\s]*$/, 'comma-separated IP addresses').default(''),
  /** Bearer token a Prometheus scraper sends to /metrics; without it only an administrator's session reads them. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters (e.g. `openssl rand -hex 16`)').optional(),
  /** server/obs/log.ts reads it itself (it logs before the configuration exists); checked here so a typo stops the start. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  /** Optional basemap (issue 13), checked by lib/basemap/settings.ts: an XYZ template on another host, or a file in DATA_DIR/basemap/. */
  BASEMAP_URL: z.string().optional(),
  BASEMAP_PMTILES: z.string().optional(),
  BASEMAP_DATUM: z.string().optional(),
  BASEMAP_ATTRIBUTION: z.string().optional(),
  /** Multiplies the citizens' channel's rate limits (server/citizen/limits.ts): bench:citizen runs 200 residents from one address. */
  CITIZEN_LIMITS_SCALE: z.coerce.number().positive().max(100_000).default(1),
}).refine((e) => e.POSITIONS_THIN_KEEP_DAYS >= e.POSITIONS_KEEP_DAYS, {
  // Thinning keeps a day longer than its raw fixes, never shorter: a day past both is dropped unthinned.
  path: ['POSITIONS_THIN_KEEP_DAYS'],
  message: 'must be at least POSITIONS_KEEP_DAYS',
});

export interface SimConfig {
  reportMs: number;
  incidentsPerHour: number;
  speedup: number;
  backfillDays: number;
}

export interface Config {
  mode: 'demo' | 'production';
  databaseUrl?: string;
  redisUrl?: string;
  port: number;
  host: string;
  dataDir: string;
  sessionSecret: string;
  displayToken: string;
  busPrefix: string;
  dbPoolMax: number;
  dev: boolean;
  /** True only in demo mode with SIMULATE=1. */
  simulate: boolean;
  sim: SimConfig;
  dispatchAckSeconds: number;
  /** Days of raw position history kept before the retention job thins them to one fix a minute. */
  positionsKeepDays: number;
  /** Days (counted from today, like positionsKeepDays) a thinned day is kept before it is dropped; never fewer than positionsKeepDays. */
  positionsThinKeepDays: number;
  /** Proxies whose X-Forwarded-For is believed (throttling and the audit log need the real client's address). */
  trustProxy: string[];
  /** Bearer token of the Prometheus scraper (undefined: /metrics for administrators only). */
  metricsToken?: string;
  /** The basemap under every map; `none` unless configured, and then no request leaves our origin. */
  basemap: BasemapSetting;
  /** Multiplier of the citizens' channel's rate limits (issue 14); absent: 1. */
  citizenLimitsScale?: number;
}

export class ConfigError extends Error {}

/** Reads the environment; a production start refuses demo secrets and says how to set real ones. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const demo = e.LIANDONG_MODE === 'demo';
  const basemap = readBasemapSettings(e, { production: !demo });
  if (!basemap.ok) throw new ConfigError(`invalid environment:\n${basemap.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
  const sessionSecret = e.SESSION_SECRET ?? (demo ? DEMO_SESSION_SECRET : '');
  const displayToken = e.DISPLAY_TOKEN ?? (demo ? DEMO_DISPLAY_TOKEN : '');
  if (!demo) {
    const problems: string[] = [];
    if (sessionSecret.length < 32 || sessionSecret === DEMO_SESSION_SECRET)
      problems.push('SESSION_SECRET must be set to a random string of at least 32 characters (e.g. `openssl rand -hex 32`).');
    if (displayToken.length < 16 || displayToken === DEMO_DISPLAY_TOKEN)
      problems.push('DISPLAY_TOKEN must be set to a random string of at least 16 characters; wall screens open /wall?display=<token>.');
    if (!e.DATABASE_URL) problems.push('DATABASE_URL must point at PostgreSQL with PostGIS (the embedded database is for demos).');
    if (problems.length) throw new ConfigError(`production start refused:\n  ${problems.join('\n  ')}`);
  }
  return {
    mode: e.LIANDONG_MODE,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    sessionSecret,
    displayToken,
    busPrefix: e.BUS_PREFIX,
    dbPoolMax: e.DB_POOL_MAX,
    dev: e.NEXT_DEV === '1',
    simulate: demo && e.SIMULATE === '1',
    dispatchAckSeconds: e.DISPATCH_ACK_SECONDS,
    positionsKeepDays: e.POSITIONS_KEEP_DAYS,
    positionsThinKeepDays: e.POSITIONS_THIN_KEEP_DAYS,
    trustProxy: e.TRUST_PROXY.split(',').map((a) => a.trim()).filter(Boolean),
    metricsToken: e.METRICS_TOKEN,
    basemap: basemap.basemap,
    citizenLimitsScale: e.CITIZEN_LIMITS_SCALE,
    sim: { reportMs: e.SIM_REPORT_MS, incidentsPerHour: e.SIM_INCIDENTS_PER_HOUR, speedup: e.SIM_SPEEDUP, backfillDays: e.SIM_BACKFILL_DAYS },
  };
}

function stripEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => !!kv[1]));
}
