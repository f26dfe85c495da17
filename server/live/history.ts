import type { AcceptedPosition } from '@/lib/live/validate';
import type { Db } from '../db/pool';

export const FLUSH_MS = 1000;

/**
 * Position history goes to PostGIS in batches at most once a second: one INSERT of arrays per
 * flush (unnest), never one statement per position.
 */
export class HistoryWriter {
  private buffer: AcceptedPosition[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  written = 0;
  failed = 0;

  constructor(private readonly db: Db) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  add(positions: readonly AcceptedPosition[]): void {
    for (const p of positions) this.buffer.push(p);
  }

  /** Writes what is buffered; flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.buffer.length === 0) return;
      const batch = this.buffer;
      this.buffer = [];
      try {
        await this.db.query(
          `INSERT INTO positions (unit_id, at, geom, speed, heading, accuracy)
           SELECT u, to_timestamp(t / 1000.0), ST_SetSRID(ST_MakePoint(x, y), 4326), s, h, a
             FROM unnest($1::int[], $2::float8[], $3::float8[], $4::float8[], $5::real[], $6::real[], $7::real[])
                  AS b(u, t, x, y, s, h, a)`,
          [
            batch.map((p) => p.unitId),
            batch.map((p) => p.t),
            batch.map((p) => p.lon),
            batch.map((p) => p.lat),
            batch.map((p) => p.speed),
            batch.map((p) => p.heading),
            batch.map((p) => p.accuracy),
          ],
        );
        this.written += batch.length;
      } catch (err) {
        // Keep the batch for the next flush: history must not be lost to a passing database error.
        this.failed += 1;
        this.buffer = batch.concat(this.buffer).slice(-500_000);
        console.error('[history] flush failed:', (err as Error).message);
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
