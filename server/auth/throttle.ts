import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../errors';

/*
 * Login throttling (issue 10). Failures count per username (a guessed password for one account)
 * and per address (one machine trying many accounts); a success clears the username's count.
 * On Redis when configured, so every server process counts together; in memory otherwise (one
 * process, the embedded demo), the same way the bus is chosen.
 */
/** Attempts at one account from one address. */
export const USERNAME_FAILS = 5;
/**
 * Attempts at one account from anywhere: high enough that a stranger's five tries cannot lock a
 * chief out (the strict count is per account AND address), low enough to stop a spread-out guess.
 */
export const ACCOUNT_FAILS = 50;
// A station's desks often share one address behind NAT: generous enough for a shift's typos, not for guessing.
export const ADDRESS_FAILS = 100;
const WINDOW_S = 15 * 60;

export interface LoginThrottle {
  /**
   * Counts the attempt before the password is checked, so a burst of parallel guesses is counted
   * as it arrives, and throws 429 with Retry-After once either counter is spent.
   */
  attempt(username: string, ip: string): Promise<void>;
  /** A correct password gives the attempt back and clears the username's count. */
  succeeded(username: string, ip: string): Promise<void>;
  close(): Promise<void>;
}

const userKey = (username: string) => `u:${username.trim().toLowerCase()}`;
const userIpKey = (username: string, ip: string) => `${userKey(username)}@${ip}`;
const ipKey = (ip: string) => `ip:${ip}`;

export function createLoginThrottle(redisUrl: string | undefined, prefix: string): LoginThrottle {
  // Fails fast while Redis is away (issue 11: a login must not hang on it) …
  const client = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 1_000 }) : null;
  let down = false;
  client?.on('error', (err: Error) => {
    if (!down) console.error('[throttle] redis:', err.message);
    down = true;
  });
  client?.on('ready', () => void (down = false));
  const memory = (points: number, name: string) => new RateLimiterMemory({ keyPrefix: `login:${name}`, points, duration: WINDOW_S });
  const make = (points: number, name: string): RateLimiterAbstract =>
    client
      ? // … and counts in this process meanwhile, so guessing does not become free while it is away.
        new RateLimiterRedis({
          storeClient: client, keyPrefix: `${prefix}login:${name}`, points, duration: WINDOW_S,
          rejectIfRedisNotReady: true, insuranceLimiter: memory(points, name),
        })
      : memory(points, name);
  const byUserIp = make(USERNAME_FAILS, 'userip');
  const byUser = make(ACCOUNT_FAILS, 'user');
  const byIp = make(ADDRESS_FAILS, 'ip');

  const refuse = (res: RateLimiterRes) => {
    const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    return new DomainError('too_many', 'too_many_attempts', `登录失败次数过多，请 ${Math.ceil(seconds / 60)} 分钟后再试`, undefined, { 'retry-after': String(seconds) });
  };
  const isLimit = (e: unknown): e is RateLimiterRes => typeof e === 'object' && e !== null && 'msBeforeNext' in e;

  return {
    async attempt(username, ip) {
      const results = await Promise.allSettled([byUserIp.consume(userIpKey(username, ip)), byUser.consume(userKey(username)), byIp.consume(ipKey(ip))]);
      for (const r of results) {
        if (r.status === 'fulfilled') continue;
        if (isLimit(r.reason)) throw refuse(r.reason);
        // The store is down: fail closed would lock everyone out; say so and let the password decide.
        console.error('[throttle] counter unavailable:', (r.reason as Error).message);
      }
    },
    async succeeded(username, ip) {
      await Promise.allSettled([byUserIp.delete(userIpKey(username, ip)), byUser.delete(userKey(username)), byIp.reward(ipKey(ip), 1)]);
    },
    async close() {
      client?.disconnect();
    },
  };
}
