/**
 * The live backbone between sources and every server process. Redis in a real deployment;
 * an in-process stand-in when there is one process and no Redis. Names are unprefixed here:
 * each implementation adds the deployment's prefix. A Redis that cannot answer makes an operation
 * fail fast with Unavailable (server/errors.ts), never hang.
 */
export interface Bus {
  readonly kind: 'redis' | 'memory';
  /** Where it lives, for logs and /healthz (no credentials). */
  readonly describe: string;
  /** Connections lost and made again, for /metrics. */
  readonly stats: { reconnects: number };
  /** Fan-out to every subscribed process (Redis pub/sub). */
  publish(channel: string, payload: string | Uint8Array): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(channel: string, onMessage: (payload: Buffer) => void): Promise<() => Promise<void>>;
  /** Latest-state hashes any process can read (the snapshot of every unit). */
  hset(key: string, fields: Map<string, string>): Promise<void>;
  hgetall(key: string): Promise<Record<string, string>>;
  /** Adds `by` (default 1) to a counter and returns it; `by` 0 reads it. */
  incr(key: string, by?: number): Promise<number>;
  /** Work queue (Redis stream + consumer group): each entry is handled by one process. */
  enqueue(stream: string, payload: string): Promise<void>;
  /** Entries arrive in batches (all one read returned), so a consumer can do its I/O once per batch. */
  consume(stream: string, onEntries: (payloads: string[]) => Promise<void>): Promise<() => Promise<void>>;
  /**
   * Called when the subscriptions are back after Redis was away: messages published meanwhile
   * never reached this process, so its screens must resync from the record.
   */
  onResume(handler: () => void): void;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
