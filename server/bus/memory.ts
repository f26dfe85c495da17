import { EventEmitter } from 'node:events';
import type { Bus } from './bus';

/** One process only: nothing crosses to another server process. */
export function createMemoryBus(prefix: string): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const hashes = new Map<string, Map<string, string>>();
  const counters = new Map<string, number>();
  const queues = new Map<string, (payloads: string[]) => Promise<void>>();
  return {
    kind: 'memory',
    describe: 'in-process (single server process only)',
    stats: { reconnects: 0 },
    async publish(channel, payload) {
      const buf = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
      // Asynchronous like Redis, so callers cannot come to depend on synchronous delivery.
      setImmediate(() => emitter.emit(prefix + channel, buf));
    },
    async subscribe(channel, onMessage) {
      emitter.on(prefix + channel, onMessage);
      return async () => void emitter.off(prefix + channel, onMessage);
    },
    async hset(key, fields) {
      let h = hashes.get(key);
      if (!h) hashes.set(key, (h = new Map()));
      for (const [k, v] of fields) h.set(k, v);
    },
    async hgetall(key) {
      return Object.fromEntries(hashes.get(key) ?? []);
    },
    async incr(key, by = 1) {
      const n = (counters.get(key) ?? 0) + by;
      counters.set(key, n);
      return n;
    },
    async enqueue(stream, payload) {
      const handler = queues.get(stream);
      if (handler) setImmediate(() => void handler([payload]).catch((e: Error) => console.error(`[bus] ${stream}:`, e.message)));
    },
    async consume(stream, onEntries) {
      queues.set(stream, onEntries);
      return async () => void queues.delete(stream);
    },
    onResume() {},
    async ping() {
      return true;
    },
    async close() {
      emitter.removeAllListeners();
      queues.clear();
    },
  };
}
