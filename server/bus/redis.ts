import os from 'node:os';
import { Redis } from 'ioredis';
import type { Bus } from './bus';

const GROUP = 'servers';
const STREAM_MAXLEN = 100_000;

/** Redis pub/sub, hashes and streams. A subscriber or blocking connection cannot do anything else, so there are several. */
export async function createRedisBus(url: string, prefix: string): Promise<Bus> {
  const options = { lazyConnect: true, maxRetriesPerRequest: 3 } as const;
  const pub = new Redis(url, options);
  const sub = new Redis(url, options);
  const blocking: Redis[] = [];
  for (const c of [pub, sub]) c.on('error', (err: Error) => console.error('[bus] redis:', err.message));
  await Promise.all([pub.connect(), sub.connect()]);
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
    async publish(channel, payload) {
      await pub.publish(prefix + channel, Buffer.isBuffer(payload) || typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
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
      if (fields.size) await pub.hset(prefix + key, fields);
    },
    async hgetall(key) {
      return pub.hgetall(prefix + key);
    },
    async incr(key, by = 1) {
      return pub.incrby(prefix + key, by);
    },
    async enqueue(stream, payload) {
      await pub.xadd(prefix + stream, 'MAXLEN', '~', STREAM_MAXLEN, '*', 'p', payload);
    },
    async consume(stream, onEntries) {
      const key = prefix + stream;
      await pub.xgroup('CREATE', key, GROUP, '$', 'MKSTREAM').catch((err: Error) => {
        if (!err.message.includes('BUSYGROUP')) throw err;
      });
      const reader = new Redis(url, { maxRetriesPerRequest: null });
      reader.on('error', (err: Error) => console.error('[bus] redis reader:', err.message));
      blocking.push(reader);
      let running = true;
      // First what this consumer took before a crash and never acknowledged ('0'), then new entries ('>').
      let cursor = '0';
      void (async () => {
        while (running && !closed) {
          try {
            const res = (await reader.xreadgroup('GROUP', GROUP, consumer, 'COUNT', 200, 'BLOCK', 1000, 'STREAMS', key, cursor)) as
              | [string, [string, string[]][]][]
              | null;
            const entries = res?.[0]?.[1] ?? [];
            if (cursor === '0' && entries.length === 0) cursor = '>';
            if (entries.length === 0) continue;
            const payloads = entries.map(([, fields]) => fields[fields.indexOf('p') + 1]).filter((p): p is string => p !== undefined);
            try {
              await onEntries(payloads);
            } catch (err) {
              console.error(`[bus] ${stream}: ${entries.length} entries:`, (err as Error).message);
            }
            await pub.xack(key, GROUP, ...entries.map(([id]) => id));
          } catch (err) {
            if (running && !closed) {
              console.error(`[bus] ${stream}:`, (err as Error).message);
              await new Promise((r) => setTimeout(r, 1000));
            }
          }
        }
      })();
      return async () => {
        running = false;
        reader.disconnect();
      };
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
