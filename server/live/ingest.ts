import { CHANNELS, LATEST_KEY, REJECT_REASONS, type RejectReason, type Rejection } from '@/lib/contracts/live';
import type { Bounds } from '@/lib/geo/distance';
import { packTick } from '@/lib/live/pack';
import { validatePositions } from '@/lib/live/validate';
import type { Bus } from '../bus/bus';
import type { HistoryWriter } from './history';
import { latestValue, type LatestFixes } from './latest';
import type { UnitDirectory } from './units';

export type Counters = Record<RejectReason | 'accepted', number>;

/**
 * The one door for positions from every source (field sockets, HTTP, the Redis stream, the
 * simulator): validate, keep the latest in Redis, publish to every process, batch into history.
 */
export class PositionIngest {
  readonly counters: Counters = Object.fromEntries([...REJECT_REASONS, 'accepted'].map((r) => [r, 0])) as Counters;

  constructor(
    private readonly bus: Bus,
    private readonly units: UnitDirectory,
    private readonly latest: LatestFixes,
    private readonly history: HistoryWriter,
    private readonly area: Bounds,
    private readonly now: () => number = Date.now,
  ) {}

  async ingest(items: readonly unknown[], onlyUnit?: number): Promise<{ accepted: number; rejected: Rejection[] }> {
    const { accepted, rejected } = validatePositions(items, {
      now: this.now(),
      area: this.area,
      // A device bound to one unit may only report that unit.
      unitId: (code) => {
        const id = this.units.idOf(code);
        return onlyUnit === undefined || id === onlyUnit ? id : undefined;
      },
      lastFix: (id) => this.latest.get(id),
    });
    for (const r of rejected) this.counters[r.reason] += 1;
    this.counters.accepted += accepted.length;
    if (accepted.length === 0) return { accepted: 0, rejected };

    this.history.add(accepted);
    const moved = accepted.filter((a) => a.latest && this.latest.offer(a));
    if (moved.length > 0) {
      await this.bus.hset(LATEST_KEY, new Map(moved.map((m) => [String(m.unitId), latestValue(m)])));
      await this.bus.publish(CHANNELS.positions, packTick(0, moved));
    }
    return { accepted: accepted.length, rejected };
  }
}
