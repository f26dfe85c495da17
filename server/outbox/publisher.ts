import pg from 'pg';
import type { Bus } from '../bus/bus';
import { inTransaction, type Db } from '../db/pool';
import { messagesFor, type OutboxRow } from './messages';

const BATCH = 500;
const POLL_MS = 500;
const RELISTEN_MS = 5_000;
/** One drainer at a time across all server processes, so messages go out in commit order. */
const LOCK_KEY = 0x6c64_6f62; // 'ldob'

/**
 * Drains the outbox to the bus (issue 11). Woken by the commit's NOTIFY on every process, polled
 * as a fallback; the process that gets the advisory lock sends a batch and deletes it in one
 * transaction, so a batch is sent at least once and deleted only after Redis took it. While Redis
 * is away the rows wait (and are counted); nothing that committed is lost. The outbox belongs to
 * the database: processes on one database are one deployment and must share its BUS_PREFIX, or a
 * message may go out under another's prefix (the e2e servers share theirs for this reason).
 */
export class OutboxPublisher {
  readonly stats = { sent: 0, batches: 0, failures: 0 };
  private timer: NodeJS.Timeout | undefined;
  private listener: pg.Client | null = null;
  private relisten: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failingSince: number | null = null;

  constructor(
    private readonly db: Db,
    private readonly bus: Bus,
    /** The database to LISTEN on; null (the embedded database) polls only. */
    private readonly listenUrl: string | null,
  ) {}

  async start(): Promise<void> {
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    await this.listen();
    this.kick();
  }

  /** Runs a drain now, or once more after the one running. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = null;
    });
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      try {
        const sent = await this.drainOnce();
        if (this.failingSince !== null) {
          console.warn(`[outbox] sending again after ${((Date.now() - this.failingSince) / 1000).toFixed(1)} s`);
          this.failingSince = null;
        }
        if (sent === BATCH) this.again = true;
      } catch (err) {
        this.stats.failures += 1;
        // Once per outage, not once per poll: the rows wait and the poll retries.
        if (this.failingSince === null) {
          this.failingSince = Date.now();
          console.error('[outbox] cannot send, retrying:', (err as Error).message);
        }
        return;
      }
    } while (this.again && !this.stopped);
  }

  /** Sends one batch; returns how many rows it took (0: empty or another process is sending). */
  async drainOnce(): Promise<number> {
    return inTransaction(this.db, async (tx) => {
      const { rows: lock } = await tx.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock($1) AS ok`, [LOCK_KEY]);
      if (!lock[0].ok) return 0;
      const { rows } = await tx.query<OutboxRow>(`SELECT id, kind, ref FROM outbox ORDER BY id LIMIT ${BATCH}`);
      if (rows.length === 0) return 0;
      const messages = await messagesFor(tx, rows);
      // One connection keeps their order; all are sent before the rows go.
      await Promise.all(messages.map((m) => this.bus.publish(m.channel, m.payload)));
      await tx.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      this.stats.sent += messages.length;
      this.stats.batches += 1;
      return rows.length;
    });
  }

  private async listen(): Promise<void> {
    if (!this.listenUrl || this.stopped) return;
    const client = new pg.Client({ connectionString: this.listenUrl });
    const retry = () => {
      if (this.listener === client) this.listener = null;
      client.end().catch(() => undefined);
      if (!this.stopped && !this.relisten) {
        this.relisten = setTimeout(() => {
          this.relisten = undefined;
          void this.listen();
        }, RELISTEN_MS);
        this.relisten.unref();
      }
    };
    // A lost listener costs latency only: the poll goes on.
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', () => this.kick());
    try {
      await client.connect();
      await client.query('LISTEN liandong_outbox');
      this.listener = client;
    } catch {
      retry();
    }
  }

  /** Stops waking, then sends what is left for up to `graceMs` (graceful shutdown). Returns what is still waiting. */
  async stop(graceMs = 3_000): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.relisten);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    await this.running;
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
      try {
        if ((await this.drainOnce()) === 0) return;
      } catch {
        return;
      }
    }
  }
}
