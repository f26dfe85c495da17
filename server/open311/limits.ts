import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { DomainError } from '../errors';

/*
 * What one Open311 client application may post (review M7): a leaked key must not flood a
 * station's queue (S14: the channel is open, so what comes in is counted). Per key here; per address
 * and per resident through the citizens' own budget (server/citizen/limits.ts, called from
 * submit.ts), so one address gets one budget across /m and Open311. The shape of
 * server/citizen/limits.ts: Redis when configured (every process counts together), memory otherwise.
 */
const WINDOW_S = 10 * 60;

/** Requests per key per 10 minutes, before CITIZEN_LIMITS_SCALE: a district's civic platform at a busy hour, well under a flood. */
export const OPEN311_POSTS_PER_KEY = 600;

const isLimit = (e: unknown): e is RateLimiterRes => typeof e === 'object' && e !== null && 'msBeforeNext' in e;

const clients = new WeakMap<Config, Redis | null>();
const cache = new WeakMap<Config, Map<number, RateLimiterAbstract>>();

function clientOf(config: Config): Redis | null {
  if (clients.has(config)) return clients.get(config) ?? null;
  // Fails fast while Redis is away: a request must not hang on a counter.
  const client = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 1_000 }) : null;
  let down = false;
  client?.on('error', (err: Error) => {
    if (!down) console.error('[open311 limits] redis:', err.message);
    down = true;
  });
  client?.on('ready', () => void (down = false));
  clients.set(config, client);
  return client;
}

function limiterOf(config: Config): RateLimiterAbstract {
  const scale = config.citizenLimitsScale ?? 1;
  let byScale = cache.get(config);
  if (!byScale) cache.set(config, (byScale = new Map()));
  const hit = byScale.get(scale);
  if (hit) return hit;
  const points = Math.max(1, Math.round(OPEN311_POSTS_PER_KEY * scale));
  const memory = new RateLimiterMemory({ keyPrefix: `open311:key:${scale}`, points, duration: WINDOW_S });
  const client = clientOf(config);
  const limiter = client
    ? new RateLimiterRedis({
        storeClient: client, keyPrefix: `${config.busPrefix}open311:key:${scale}`, points, duration: WINDOW_S,
        rejectIfRedisNotReady: true, insuranceLimiter: memory,
      })
    : memory;
  byScale.set(scale, limiter);
  return limiter;
}

/** Counts one POST of this key; 429 with Retry-After (the spec's error body) once the key's budget is spent. */
export async function countKeyPost(config: Config, keyId: number): Promise<void> {
  try {
    await limiterOf(config).consume(String(keyId));
  } catch (err) {
    if (!isLimit(err)) {
      // The store is down and the insurance counter too: let the request through rather than shut residents out.
      console.error('[open311 limits] counter unavailable:', (err as Error).message);
      return;
    }
    const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    throw new DomainError('too_many', 'too_many_requests', `api_key: 本应用提交过于频繁，请 ${Math.ceil(seconds / 60)} 分钟后再试`, undefined, {
      'retry-after': String(seconds),
    });
  }
}
