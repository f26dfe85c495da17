import type { Logger } from 'pino';
import type { AcceptedPosition } from '@/lib/live/validate';
import type { Db } from '../db/pool';
import { Unavailable } from '../errors';
import { child } from '../obs/log';

/** While the database is away, a retry this often; otherwise each flush follows the last at once. */
export const FLUSH_MS = 1000;
/** Flushes start at most this often, so a stream of small posts still shares statements. */
const GROUP_MS = 50;
/** Rows kept while the database is unreachable: ~50 s at bench:live's 10,000 positions/s, ~60 MB. */
export const MAX_BUFFER = 500_000;

const INSERT = `INSERT INTO positions (unit_id, at, geom, speed, heading, accuracy)
  SELECT b.u, to_timestamp(b.t / 1000.0), ST_SetSRID(ST_MakePoint(b.x, b.y), 4326), b.s, b.h, b.a
    FROM json_to_recordset($1::json) AS b(u int, t float8, x float8, y float8, s real, h real, a real)
  ON CONFLICT DO NOTHING`;

/**
 * SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): the rows are at
 * fault and will be refused again, however often they are retried. Anything else (no connection,
 * the server shutting down, too many clients) passes, and the same rows go in later.
 */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

function sqlState(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

export interface HistoryOptions {
  maxBuffer?: number;
  log?: Pick<Logger, 'error' | 'warn'>;
}

/** Not acknowledged: the source sends the rows again later. */
const notStored = () => new Unavailable('postgres', '位置历史暂时无法写入数据库，请稍后重发');

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * Position history goes to PostGIS by group commit: one INSERT of arrays per flush, never one
 * statement per position, each flush taking all that arrived during the last. A report is
 * acknowledged once its flush committed (issue 11: acknowledged = stored, also under kill -9);
 * a fix is its unit and time, so a source that sends a batch again writes nothing twice. A row
 * PostgreSQL refuses is set aside, so it cannot hold back the others (one fix with speed 1e39,
 * retried forever, stopped the history of every unit); rows the database could not take while
 * it was away wait, up to a bound, for sources that cannot retry — but are not acknowledged.
 */
export class HistoryWriter {
  private buffer: AcceptedPosition[] = [];
  /** Who waits for the rows now in `buffer` (none for rows kept from a failed flush). */
  private waiters: Waiter[] = [];
  private soon: NodeJS.Timeout | undefined;
  private lastStart = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private busy = false;
  private outage = false;
  private dropping = false;
  /** SQLSTATEs already logged: a device repeating one fault must not fill the log. */
  private readonly refusalsLogged = new Set<string>();
  private readonly maxBuffer: number;
  private readonly log: Pick<Logger, 'error' | 'warn'>;
  written = 0;
  /** Flushes that could not reach the database; their rows wait for the next one. */
  failed = 0;
  /** Rows PostgreSQL refused, kept in positions_set_aside instead. */
  setAside = 0;
  /** Rows given up: the buffer's bound was reached while the database was away, or even the set-aside table refused them. */
  dropped = 0;

  constructor(
    private readonly db: Db,
    options: HistoryOptions = {},
  ) {
    this.maxBuffer = options.maxBuffer ?? MAX_BUFFER;
    this.log = options.log ?? child('history');
  }

  start(): void {
    // A flush waiting on a dead database takes up to the pool's connect timeout; ticks meanwhile are skipped, not queued.
    this.timer = setInterval(() => {
      if (!this.busy) void this.flush();
    }, FLUSH_MS);
    this.timer.unref();
  }

  /**
   * Resolves once these rows are committed (or set aside); rejects with Unavailable when the
   * database cannot take them now. Rejected rows may still be written later (they wait, up to a
   * bound): the source sends them again and the unique (unit, time) keeps one of each.
   */
  add(positions: readonly AcceptedPosition[]): Promise<void> {
    for (const p of positions) this.buffer.push(p);
    // Trimmed only a tenth past the bound, so a long outage costs one copy per tenth, not per report.
    if (this.buffer.length > this.maxBuffer * 1.1) this.trim();
    // Known to be away: say so now rather than after the next failed attempt.
    if (this.outage) return Promise.reject(notStored());
    const stored = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.schedule();
    return stored;
  }

  private schedule(): void {
    if (this.soon || this.busy) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.flush();
    }, Math.max(0, this.lastStart + GROUP_MS - Date.now()));
  }

  /** Rows waiting for the next flush. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Writes what is buffered; flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.buffer.length === 0) return;
      this.busy = true;
      this.lastStart = Date.now();
      const batch = this.buffer;
      const waiters = this.waiters;
      this.buffer = [];
      this.waiters = [];
      try {
        const left = await this.write(batch).catch((err: Error) => ({ rows: batch, error: err }));
        if (!left) {
          for (const w of waiters) w.resolve();
          if (this.outage) this.log.warn({ dropped: this.dropped }, 'writing position history again');
          this.outage = false;
          this.dropping = false;
          return;
        }
        const refusal = notStored();
        for (const w of waiters) w.reject(refusal);
        // Kept for the next flush: history must not be lost to a passing database error.
        this.failed += 1;
        this.buffer = left.rows.concat(this.buffer);
        this.trim();
        if (!this.outage) this.log.error({ err: left.error, pending: this.buffer.length }, 'position history flush failed; its rows wait for the next one');
        this.outage = true;
      } finally {
        this.busy = false;
        // What arrived meanwhile goes next (while the database is away, the timer retries instead).
        if (this.waiters.length > 0) this.schedule();
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.soon);
    this.soon = undefined;
    await this.flush();
  }

  /** Keeps the newest rows: the wall and replay care most about the last minutes. */
  private trim(): void {
    const excess = this.buffer.length - this.maxBuffer;
    if (excess <= 0) return;
    this.buffer = this.buffer.slice(excess);
    this.dropped += excess;
    if (!this.dropping) this.log.error({ maxBuffer: this.maxBuffer }, 'the database has been away too long: dropping the oldest positions beyond the bound (counted in dropped)');
    this.dropping = true;
  }

  /**
   * Writes `batch`; when PostgreSQL refuses it for its data, halves it until the refused rows are
   * alone and sets them aside (k bad rows among n cost ~2k·log2(n) statements, nothing when all
   * are good). Returns the rows a connection error left unwritten, in their order, or null.
   */
  private async write(batch: AcceptedPosition[]): Promise<{ rows: AcceptedPosition[]; error: Error } | null> {
    // Last in, first out: the first half is written before the second, so time order is kept.
    const todo: AcceptedPosition[][] = [batch];
    for (let rows = todo.pop(); rows; rows = todo.pop()) {
      try {
        // Counted as inserted: a fix sent again finds its row there and adds nothing.
        this.written += await this.insert(rows);
      } catch (err) {
        if (!isDataError(err)) return { rows: rows.concat(...todo.reverse()), error: err as Error };
        if (rows.length > 1) {
          const mid = rows.length >>> 1;
          todo.push(rows.slice(mid), rows.slice(0, mid));
          continue;
        }
        try {
          await this.setAsideRow(rows[0], err as Error);
        } catch (again) {
          if (!isDataError(again)) return { rows: rows.concat(...todo.reverse()), error: again as Error };
          this.dropped += 1;
          this.logRefusal(`aside:${sqlState(again)}`, again as Error, 'dropped a position even positions_set_aside refuses');
        }
      }
    }
    return null;
  }

  private async insert(rows: readonly AcceptedPosition[]): Promise<number> {
    // One JSON text parameter: the driver's escaping of seven parameter arrays cost ~50 ms of
    // event loop a flush at 10k positions/s (bench:live profile); JSON.stringify is native.
    const r = await this.db.query(INSERT, [JSON.stringify(rows.map((p) => ({ u: p.unitId, t: p.t, x: p.lon, y: p.lat, s: p.speed, h: p.heading, a: p.accuracy })))]);
    return r.rowCount ?? 0;
  }

  private async setAsideRow(row: AcceptedPosition, err: Error): Promise<void> {
    await this.db.query(`INSERT INTO positions_set_aside (raw, error) VALUES ($1::jsonb, $2)`, [JSON.stringify(row), `${sqlState(err)} ${err.message}`]);
    this.setAside += 1;
    this.logRefusal(sqlState(err), err, 'PostgreSQL refuses a position: it and any more refused for this reason go to positions_set_aside, counted in setAside, not logged');
  }

  private logRefusal(key: string, err: Error, message: string): void {
    if (this.refusalsLogged.has(key)) return;
    this.refusalsLogged.add(key);
    this.log.error({ sqlstate: sqlState(err), err }, message);
  }
}
