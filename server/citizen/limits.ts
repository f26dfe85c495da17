import { isIPv6 } from 'node:net';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { DomainError } from '../errors';

/*
 * The citizens' channel is open to anyone (issue 14, S14), so what one address or one phone may
 * send is counted: on Redis when configured, so every server process counts together; in memory
 * otherwise (the embedded demo) — the shape of server/auth/throttle.ts. A phone's id is its own
 * choosing, so the address limits are the ones that hold against a script; the device limits keep
 * one resident's phone from flooding a station's queue.
 */
const WINDOW_S = 10 * 60;
const DAY_S = 24 * 60 * 60;

/** Points per 10 minutes, before CITIZEN_LIMITS_SCALE (bench:citizen runs 200 residents from one loopback address). */
export const CITIZEN_LIMITS = {
  submitPerAddress: 20,
  submitPerDevice: 6,
  photoPerAddress: 40,
  photoPerDevice: 12,
  readPerAddress: 60,
} as const;

/**
 * Per day, before CITIZEN_LIMITS_SCALE (review M2, L6). A 6-digit PIN is short: wrong guesses are
 * counted per phone number, so one number cannot be tried from many addresses, and per address.
 * An address may upload so many bytes a day whatever device ids it claims.
 */
export const CITIZEN_DAILY = {
  secretFailuresPerPhone: 10,
  secretFailuresPerAddress: 30,
  photoKiBPerAddress: 100 * 1024,
} as const;

export interface CitizenLimits {
  /** A request sent (POST /api/v1/citizen/requests); 429 with Retry-After once either count is spent. */
  submit(ip: string, deviceId: string): Promise<void>;
  /**
   * A request an Open311 client application files for one of its residents: counted per resident
   * only. The application's server is one address for a whole city's residents, so its own budget
   * is its key's (server/open311/limits.ts), not an address's.
   */
  submitForClient(deviceId: string): Promise<void>;
  photo(ip: string, deviceId: string): Promise<void>;
  /** An upload's size, counted against its address's bytes of the day (429 once spent). */
  photoBytes(ip: string, bytes: number): Promise<void>;
  /** A tracking read or a phone-and-PIN lookup. */
  read(ip: string): Promise<void>;
  /** Before a PIN is compared: 429 once this phone number (or this address) has failed too often today. */
  secretAllowed(ip: string, phone: string | null): Promise<void>;
  /** A wrong PIN (or rating credential): counted per phone number and per address; 429 when it spends the day's budget. */
  secretFailed(ip: string, phone: string | null): Promise<void>;
}

const WHAT = { submit: '提交', photo: '上传照片', read: '查询', secret: '查询密码错误次数过多，' } as const;

const isLimit = (e: unknown): e is RateLimiterRes => typeof e === 'object' && e !== null && 'msBeforeNext' in e;

function refuse(what: keyof typeof WHAT, res: RateLimiterRes): DomainError {
  const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  const wait = seconds >= 3600 ? `${Math.ceil(seconds / 3600)} 小时` : `${Math.ceil(seconds / 60)} 分钟`;
  const message = what === 'secret' ? `${WHAT.secret}请 ${wait}后再试，或联系工作站` : `${WHAT[what]}过于频繁，请 ${wait}后再试`;
  return new DomainError('too_many', 'too_many_requests', message, undefined, { 'retry-after': String(seconds) });
}

/**
 * The key an address is counted under: an IPv4 address as it is, an IPv6 one by its /64 (review M2):
 * one household or one phone holds a whole /64 and may pick any address in it.
 */
export function addressKey(ip: string): string {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIPv6(bare)) return bare;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1];
  const [head, tail = ''] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::1.2.3.4) is two groups; the /64 is the first four either way.
  const groups = bare.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16)).join(':')}::/64`;
}

const clients = new WeakMap<Config, Redis | null>();
const cache = new WeakMap<Config, Map<number, CitizenLimits>>();

function clientOf(config: Config): Redis | null {
  if (clients.has(config)) return clients.get(config) ?? null;
  // Fails fast while Redis is away: a resident's request must not hang on a counter.
  const client = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 1_000 }) : null;
  let down = false;
  client?.on('error', (err: Error) => {
    if (!down) console.error('[citizen limits] redis:', err.message);
    down = true;
  });
  client?.on('ready', () => void (down = false));
  clients.set(config, client);
  return client;
}

/** The limits of this configuration, at its current scale (a test or bench may change the scale; each scale counts apart). */
export function citizenLimits(config: Config): CitizenLimits {
  const scale = config.citizenLimitsScale ?? 1;
  let byScale = cache.get(config);
  if (!byScale) cache.set(config, (byScale = new Map()));
  const hit = byScale.get(scale);
  if (hit) return hit;
  const client = clientOf(config);
  const make = (points: number, name: string, duration = WINDOW_S): RateLimiterAbstract => {
    const scaled = Math.max(1, Math.round(points * scale));
    const memory = new RateLimiterMemory({ keyPrefix: `citizen:${name}:${scale}`, points: scaled, duration });
    return client
      ? new RateLimiterRedis({
          storeClient: client, keyPrefix: `${config.busPrefix}citizen:${name}:${scale}`, points: scaled, duration,
          rejectIfRedisNotReady: true, insuranceLimiter: memory,
        })
      : memory;
  };
  const L = CITIZEN_LIMITS;
  const D = CITIZEN_DAILY;
  const submitIp = make(L.submitPerAddress, 'submit-ip');
  const submitDevice = make(L.submitPerDevice, 'submit-device');
  const photoIp = make(L.photoPerAddress, 'photo-ip');
  const photoDevice = make(L.photoPerDevice, 'photo-device');
  const photoBytesIp = make(D.photoKiBPerAddress, 'photo-kib-ip', DAY_S);
  const readIp = make(L.readPerAddress, 'read-ip');
  const secretPhone = make(D.secretFailuresPerPhone, 'secret-fail-phone', DAY_S);
  const secretIp = make(D.secretFailuresPerAddress, 'secret-fail-ip', DAY_S);

  const consume = async (what: keyof typeof WHAT, pairs: [RateLimiterAbstract, string, number?][]) => {
    const results = await Promise.allSettled(pairs.map(([limiter, key, points]) => limiter.consume(key, points ?? 1)));
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      if (isLimit(r.reason)) throw refuse(what, r.reason);
      // The store is down and the insurance counter too: let the request through rather than shut residents out.
      console.error('[citizen limits] counter unavailable:', (r.reason as Error).message);
    }
  };
  const secretPairs = (ip: string, phone: string | null): [RateLimiterAbstract, string][] =>
    phone ? [[secretIp, addressKey(ip)], [secretPhone, phone.replace(/\D/g, '')]] : [[secretIp, addressKey(ip)]];
  const limits: CitizenLimits = {
    submit: (ip, device) => consume('submit', [[submitIp, addressKey(ip)], [submitDevice, device]]),
    submitForClient: (device) => consume('submit', [[submitDevice, device]]),
    photo: (ip, device) => consume('photo', [[photoIp, addressKey(ip)], [photoDevice, device]]),
    photoBytes: (ip, bytes) => consume('photo', [[photoBytesIp, addressKey(ip), Math.max(1, Math.ceil(bytes / 1024))]]),
    read: (ip) => consume('read', [[readIp, addressKey(ip)]]),
    secretAllowed: async (ip, phone) => {
      // Spent is spent: even the right PIN is refused until the day's window passes (the lock of review M2).
      for (const [limiter, key] of secretPairs(ip, phone)) {
        const res = await limiter.get(key).catch((err: Error) => {
          console.error('[citizen limits] counter unavailable:', err.message);
          return null;
        });
        if (res && res.consumedPoints >= limiter.points) throw refuse('secret', res);
      }
    },
    secretFailed: (ip, phone) => consume('secret', secretPairs(ip, phone)),
  };
  byScale.set(scale, limits);
  return limits;
}
