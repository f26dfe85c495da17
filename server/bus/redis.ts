import os from 'node:os';
import { Redis } from 'ioredis';
import { Unavailable } from '../errors';
import type { Bus } from './bus';

const GROUP = 'servers';
const STREAM_MAXLEN = 100_000;
/** A paused or unreachable Redis answers no later than this: a request must not hang behind it. */
const COMMAND_TIMEOUT_MS = 2_000;

/** A failed command becomes Unavailable: the caller's request did not take effect and may be retried. */
function unavailable(err: unknown): never {
  throw new Unavailable('redis', `Redis: ${(err as Error).message}`);
}

/** Redis pub/sub, hashes and streams. A subscriber or blocking connection cannot do anything else, so there are several. */
/** An entry read by a consumer and not acknowledged for this long is taken over: that consumer died. */
const CLAIM_IDLE_MS = 60_000;

export async function createRedisBus(url: string, prefix: string, options: { claimIdleMs?: number } = {}): Promise<Bus> {
  const claimIdleMs = options.claimIdleMs ?? CLAIM_IDLE_MS;
  // No offline queue: while Redis is away a command fails at once rather than waiting, so an
  // answer never hangs on it (issue 11: intake and /healthz hung with Redis stopped).
  const pub = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: COMMAND_TIMEOUT_MS });
  // Subscriptions are restored by ioredis itself after a reconnect.
  const sub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const blocking: Redis[] = [];
  const stats = { reconnects: 0 };
  let down = false;
  for (const c of [pub, sub]) {
    // Logged once per outage, not at every reconnect attempt.
    c.on('error', (err: Error) => {
      if (!down) console.error('[bus] redis:', err.message);
      down = true;
    });
    c.on('ready', () => {
      if (down) console.warn('[bus] redis: connected again');
      down = false;
    });
    c.on('reconnecting', () => void (stats.reconnects += 1));
  }
  await Promise.all([pub.connect(), sub.connect()]);
  const resumed: (() => void)[] = [];
  let subLost = false;
  sub.on('close', () => void (subLost = true));
  sub.on('ready', () => {
    if (!subLost) return;
    subLost = false;
    // ioredis has sent the SUBSCRIBEs on 'ready'; give Redis a moment to take them before screens resync.
    setTimeout(() => resumed.forEach((h) => h()), 250).unref();
  });
  const handlers = new Map<string, Set<(payload: Buffer) => void>>();
  sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    for (const h of handlers.get(channel.toString()) ?? []) h(message);
  });
  const u = new URL(url);
  const consumer = `${os.hostname()}-${process.pid}`;
  let closed = false;

  return {
    kind: 'redis',
    describe: `redis://${u.host}${u.pathname === '/' ? '' : u.pathname}`,
    stats,
    async publish(channel, payload) {
      await pub
        .publish(prefix + channel, Buffer.isBuffer(payload) || typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength))
        .catch(unavailable);
    },
    async subscribe(channel, onMessage) {
      const name = prefix + channel;
      let set = handlers.get(name);
      if (!set) {
        set = new Set();
        handlers.set(name, set);
        await sub.subscribe(name);
      }
      set.add(onMessage);
      return async () => {
        set.delete(onMessage);
        if (set.size === 0 && handlers.get(name) === set) {
          handlers.delete(name);
          await sub.unsubscribe(name);
        }
      };
    },
    async hset(key, fields) {
      if (fields.size) await pub.hset(prefix + key, fields).catch(unavailable);
    },
    async hgetall(key) {
      return pub.hgetall(prefix + key).catch(unavailable);
    },
    async incr(key, by = 1) {
      return pub.incrby(prefix + key, by).catch(unavailable);
    },
    async enqueue(stream, payload) {
      await pub.xadd(prefix + stream, 'MAXLEN', '~', STREAM_MAXLEN, '*', 'p', payload).catch(unavailable);
    },
    async consume(stream, onEntries) {
      const key = prefix + stream;
      /**
       * The group is made at start from the stream's end ('$': no backlog from before we ran) and
       * made again from its start ('0') whenever Redis lost it (restarted without its data): what
       * other systems added since then is new and must be read (issue 11).
       */
      const ensureGroup = (from: '$' | '0') =>
        pub.xgroup('CREATE', key, GROUP, from, 'MKSTREAM').then(
          () => from === '0' && console.warn(`[bus] ${stream}: consumer group made again (Redis lost it)`),
          (err: Error) => {
            if (!err.message.includes('BUSYGROUP')) throw err;
          },
        );
      await ensureGroup('$').catch(unavailable);
      const reader = new Redis(url, { maxRetriesPerRequest: null });
      reader.on('error', () => undefined);
      blocking.push(reader);
      let running = true;
      // First what this consumer took before a crash and never acknowledged ('0'), then new entries ('>').
      let cursor = '0';
      let reconnected = false;
      reader.on('reconnecting', () => void (reconnected = true));
      let nextClaim = 0;
      void (async () => {
        while (running && !closed) {
          try {
            if (reconnected) {
              reconnected = false;
              await ensureGroup('0');
            }
            // Entries a process read and never acknowledged (it was killed) stay pending under its name
            // for ever: take them over now and then, and read them again from our own pending list.
            if (Date.now() >= nextClaim) {
              nextClaim = Date.now() + Math.max(1_000, claimIdleMs / 2);
              const [, claimed] = (await pub.xautoclaim(key, GROUP, consumer, claimIdleMs, '0-0', 'COUNT', 1000, 'JUSTID')) as [string, string[]];
              if (claimed.length > 0) cursor = '0';
            }
            const res = (await reader.xreadgroup('GROUP', GROUP, consumer, 'COUNT', 200, 'BLOCK', 1000, 'STREAMS', key, cursor)) as
              | [string, [string, string[]][]][]
              | null;
            const entries = res?.[0]?.[1] ?? [];
            if (cursor === '0' && entries.length === 0) cursor = '>';
            if (entries.length === 0) continue;
            const payloads = entries.map(([, fields]) => fields[fields.indexOf('p') + 1]).filter((p): p is string => p !== undefined);
            // Acknowledged only once handled (stored): on failure they stay pending and are read again from '0'.
            await onEntries(payloads);
            await pub.xack(key, GROUP, ...entries.map(([id]) => id));
          } catch (err) {
            if (!running || closed) break;
            const message = (err as Error).message;
            cursor = '0';
            if (message.includes('NOGROUP')) {
              await ensureGroup('0').catch(() => undefined);
              continue;
            }
            if (!down) console.error(`[bus] ${stream}:`, message);
            await new Promise((r) => setTimeout(r, 1000));
          }
        }
      })();
      return async () => {
        running = false;
        reader.disconnect();
      };
    },
    onResume(handler) {
      resumed.push(handler);
    },
    async ping() {
      try {
        return (await pub.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      closed = true;
      for (const r of blocking) r.disconnect();
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
