import { CHANNELS, LATEST_KEY, REJECT_REASONS, type RejectReason, type Rejection } from '@/lib/contracts/live';
import type { Bounds } from '@/lib/geo/distance';
import { packTick } from '@/lib/live/pack';
import { validatePositions } from '@/lib/live/validate';
import type { Bus } from '../bus/bus';
import { Unavailable } from '../errors';
import type { HistoryWriter } from './history';
import { latestValue, type LatestFixes } from './latest';
import type { UnitDirectory } from './units';

const NO_AREA_WARNING = '[live] no district outline in the database: every position is refused until it is imported (npm run geo:import -- FILE --level district)';

export type Counters = Record<RejectReason | 'accepted', number>;

/**
 * The one door for positions from every source (field sockets, HTTP, the Redis stream, the
 * simulator): validate, keep the latest in Redis, publish to every process, batch into history.
 */
export class PositionIngest {
  readonly counters: Counters = Object.fromEntries([...REJECT_REASONS, 'accepted'].map((r) => [r, 0])) as Counters;
  /** Accepted fixes that moved a unit but could not be shown live (Redis away): stored all the same. */
  unpublished = 0;

  constructor(
    private readonly bus: Bus,
    private readonly units: UnitDirectory,
    private readonly latest: LatestFixes,
    private readonly history: HistoryWriter,
    private area: Bounds | null,
    private readonly now: () => number = Date.now,
  ) {
    if (!area) console.warn(NO_AREA_WARNING);
  }

  /** The district may be imported or replaced while the server runs; its reload hands the new area here. */
  setArea(area: Bounds | null): void {
    if (!this.area !== !area) console.warn(area ? '[live] district outline loaded: positions are checked against it' : NO_AREA_WARNING);
    this.area = area;
  }

  /** `only`: a device bound to one unit reports that unit; a station's gateway, that station's units (issue 10). */
  async ingest(items: readonly unknown[], only?: number | { station: number }): Promise<{ accepted: number; rejected: Rejection[] }> {
    const { accepted, rejected } = validatePositions(items, {
      now: this.now(),
      area: this.area,
      unitId: (code) => {
        const id = this.units.idOf(code);
        if (id === undefined || only === undefined) return id;
        if (typeof only === 'number') return id === only ? id : undefined;
        return this.units.get(id)?.stationId === only.station ? id : undefined;
      },
      lastFix: (id) => this.latest.get(id),
    });
    for (const r of rejected) this.counters[r.reason] += 1;
    this.counters.accepted += accepted.length;
    if (accepted.length === 0) return { accepted: 0, rejected };

    // The record decides the answer (issue 11): accepted means committed to the history.
    const stored = this.history.add(accepted);
    stored.catch(() => undefined);
    const moved = accepted.filter((a) => a.latest && this.latest.offer(a));
    if (moved.length > 0) {
      try {
        await this.bus.hset(LATEST_KEY, new Map(moved.map((m) => [String(m.unitId), latestValue(m)])));
        await this.bus.publish(CHANNELS.positions, packTick(0, moved));
      } catch (err) {
        // The live view is not the record: with Redis away the wall misses these moves (it resyncs when Redis is back).
        if (!(err instanceof Unavailable)) throw err;
        this.unpublished += moved.length;
      }
    }
    await stored;
    return { accepted: accepted.length, rejected };
  }
}
