import { LATEST_KEY } from '@/lib/contracts/live';
import type { PackedFix } from '@/lib/live/pack';
import type { Bus } from '../bus/bus';
import type { Db } from '../db/pool';

/** The newest fix of every unit, in this process; Redis holds the same for any process to start from. */
export class LatestFixes {
  private fixes = new Map<number, PackedFix>();

  get(unitId: number): PackedFix | undefined {
    return this.fixes.get(unitId);
  }

  /** Keeps the newer of the stored and the given fix; returns whether the given one won. */
  offer(f: PackedFix): boolean {
    const had = this.fixes.get(f.unitId);
    if (had && had.t >= f.t) return false;
    this.fixes.set(f.unitId, f);
    return true;
  }

  all(): PackedFix[] {
    return [...this.fixes.values()];
  }

  get size(): number {
    return this.fixes.size;
  }

  /** A new process starts from Redis; with the in-process bus, from the units table. */
  async load(bus: Bus, db: Db): Promise<void> {
    const stored = await bus.hgetall(LATEST_KEY);
    for (const [id, value] of Object.entries(stored)) {
      const [t, lon, lat, speed, heading] = JSON.parse(value) as [number, number, number, number | null, number | null];
      this.offer({ unitId: Number(id), t, lon, lat, speed, heading });
    }
    if (this.fixes.size > 0) return;
    const { rows } = await db.query<{ id: number; t: number; lon: number; lat: number }>(
      `SELECT id, extract(epoch FROM last_seen_at) * 1000 AS t, ST_X(last_position) AS lon, ST_Y(last_position) AS lat
         FROM units WHERE last_seen_at IS NOT NULL AND last_position IS NOT NULL`,
    );
    for (const r of rows) this.offer({ unitId: r.id, t: r.t, lon: r.lon, lat: r.lat, speed: null, heading: null });
  }
}

export function latestValue(f: PackedFix): string {
  return JSON.stringify([f.t, f.lon, f.lat, f.speed, f.heading]);
}
