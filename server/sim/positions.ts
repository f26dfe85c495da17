import { MAX_BATCH, type PositionV1, type RejectReason, type Rejection } from '@/lib/contracts/live';
import { readTick } from '@/lib/live/pack';
import type { Fix } from '@/lib/live/validate';
import { dueReports, hold, isQuiet } from '@/lib/sim/cadence';
import type { Rand } from '@/lib/sim/draw';
import type { LonLat } from '@/lib/sim/geometry';
import { advance, release, steer } from '@/lib/sim/mover';
import type { SimUnit } from './roster';

/** The live hot path's one door for positions. */
export interface PositionDoor {
  ingest(items: readonly unknown[]): Promise<{ accepted: number; rejected: Rejection[] }>;
}

/** The newest fix of every unit the live path holds (what the validator compares with). */
export interface LatestSource {
  snapshot(): Uint8Array;
}

/** Matches the live tick: one ingest call per slice carries every unit due in it. */
export const SLICE_MS = 250;
/** A unit a real phone or another system reports is left to it until that has been silent this long. */
export const HANDOVER_MS = 10 * 60_000;
const HANDOVER_CHECK_MS = 2_000;
const REJECT_LOG_MS = 30_000;

export function latestFixes(snapshot: Uint8Array): Map<number, Fix> {
  const out = new Map<number, Fix>();
  readTick(snapshot).forEach((id, lon, lat, t) => out.set(id, { t, lon, lat }));
  return out;
}

export interface PositionStats {
  reports: number;
  accepted: number;
  rejected: Partial<Record<RejectReason, number>>;
  slices: number;
  handovers: number;
}

/** Moves every simulated unit in JS and hands their due reports to the ingest, batched per slice. */
export class PositionFeed {
  readonly stats: PositionStats = { reports: 0, accepted: 0, rejected: {}, slices: 0, handovers: 0 };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private nextHandoverCheck = 0;
  private recentRejects: Rejection[] = [];
  private lastRejectLog = 0;
  private readonly byId: Map<number, SimUnit>;

  constructor(
    private readonly units: readonly SimUnit[],
    private readonly door: PositionDoor,
    private readonly latest: LatestSource,
    private readonly periodMs: number,
    private readonly rand: Rand,
    private readonly log: (line: string) => void,
  ) {
    this.byId = new Map(units.map((u) => [u.id, u]));
  }

  start(): void {
    this.timer = setInterval(() => this.slice(), SLICE_MS);
  }

  /** A dispatched unit heads for `to` at `speed` m/s (issue 5); null sends it back to its patrol. */
  steer(unitId: number, to: LonLat | null, speed: number, t = Date.now()): boolean {
    const u = this.byId.get(unitId);
    if (!u) return false;
    if (to) steer(u.mover, t, to, speed, this.rand);
    else release(u.mover, t, this.rand);
    return true;
  }

  /** Units whose phone is off now. */
  quiet(now = Date.now()): number {
    return this.units.filter((u) => isQuiet(u.cadence, now)).length;
  }

  private slice(): void {
    // A slow ingest makes the next slice larger instead of overlapping it.
    if (this.running) return;
    this.running = this.run()
      .catch((err: Error) => this.log(`position slice failed: ${err.message}`))
      .finally(() => (this.running = null));
  }

  private async run(): Promise<void> {
    const now = Date.now();
    if (now >= this.nextHandoverCheck) {
      this.handOver();
      this.nextHandoverCheck = now + HANDOVER_CHECK_MS;
    }
    const batch: PositionV1[] = [];
    const report = (u: SimUnit, t: number) => {
      const s = advance(u.mover, t, this.rand);
      batch.push({
        unit: u.code,
        t,
        lon: s.at[0],
        lat: s.at[1],
        speed: Math.round(s.speed * 10) / 10,
        heading: Math.round(s.heading) % 360,
        accuracy: u.accuracy,
      });
      u.lastSent = Math.max(u.lastSent, t);
    };
    for (const u of this.units) {
      if (u.lastWords !== null) {
        report(u, u.lastWords);
        u.lastWords = null;
      }
      for (const t of dueReports(u.cadence, now, this.periodMs, this.rand)) report(u, t);
    }
    this.stats.slices += 1;
    for (let i = 0; i < batch.length; i += MAX_BATCH) {
      const part = batch.slice(i, i + MAX_BATCH);
      const r = await this.door.ingest(part);
      this.stats.reports += part.length;
      this.stats.accepted += r.accepted;
      for (const x of r.rejected) {
        this.stats.rejected[x.reason] = (this.stats.rejected[x.reason] ?? 0) + 1;
        this.recentRejects.push({ ...x, message: `${part[x.index].unit}: ${x.message}` });
      }
    }
    if (this.recentRejects.length > 0 && now - this.lastRejectLog >= REJECT_LOG_MS) this.logRejects(now);
  }

  /**
   * A fix newer than anything sent here came from elsewhere (a gridder's real phone, another
   * system): the simulator steps back for that unit, and later resumes from where it was left.
   */
  private handOver(): void {
    const latest = latestFixes(this.latest.snapshot());
    for (const u of this.units) {
      const fix = latest.get(u.id);
      if (!fix || fix.t <= u.lastSent) continue;
      this.stats.handovers += 1;
      u.lastSent = fix.t;
      hold(u.cadence, fix.t + HANDOVER_MS);
      u.respawn(fix.t, fix);
    }
  }

  private logRejects(now: number): void {
    const byReason = new Map<string, number>();
    for (const r of this.recentRejects) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
    const counts = [...byReason].map(([k, v]) => `${k} ${v}`).join(', ');
    this.log(`${this.recentRejects.length} simulated positions rejected (${counts}); first: ${this.recentRejects[0].message}`);
    this.recentRejects = [];
    this.lastRejectLog = now;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    if (this.recentRejects.length > 0) this.logRejects(Date.now());
  }
}
