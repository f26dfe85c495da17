import type { Namespace } from 'socket.io';
import { CHANNELS } from '@/lib/contracts/live';
import { DISTRICT_ROOM, stationFeedRooms, type Reach } from '@/lib/access/scope';
import { packTick, readTick, type PackedFix } from '@/lib/live/pack';
import type { Bus } from '../bus/bus';
import { observeTick } from '../obs/metrics';
import type { LatestFixes } from './latest';

export const TICK_MS = 250;

/** One position feed: the district's, or one station's (its screens and its department staff). */
type Feed = 'district' | number;

/**
 * Each process forwards the backbone to its OWN sockets (`local`): every process receives the
 * whole stream from Redis, so letting the adapter re-broadcast would send everything N times.
 * Positions are coalesced into ticks that carry only the units that moved since the last one.
 * Each feed is scoped (issue 10): a station's screens get their station's units only, and each
 * feed numbers its own ticks, so a station screen sees no gap when another station's unit moves.
 */
export class TickFanout {
  private changed = new Map<number, PackedFix>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private seqs = new Map<Feed, number>();
  /** When the oldest position waiting for the next tick arrived (performance.now()). */
  private pendingSince = 0;
  /** The district feed's tick number (the benches and /api/v1/live/stats read it). */
  seq = 0;
  ticks = 0;
  positionsIn = 0;
  positionsOut = 0;

  constructor(
    private readonly bus: Bus,
    private readonly latest: LatestFixes,
    private readonly live: Namespace,
    /** The station of a unit (null: none, seen by district screens only). */
    private readonly stationOf: (unitId: number) => number | null,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(CHANNELS.positions, (payload) => this.receive(payload));
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  private receive(payload: Buffer): void {
    if (this.changed.size === 0) this.pendingSince = performance.now();
    readTick(payload).forEach((unitId, lon, lat, t, speed, heading) => {
      this.positionsIn += 1;
      const fix = { unitId, lon, lat, t, speed, heading };
      this.latest.offer(fix);
      const pending = this.changed.get(unitId);
      if (!pending || pending.t < t) this.changed.set(unitId, fix);
    });
  }

  private tick(): void {
    if (this.changed.size === 0) return;
    const started = performance.now();
    const fixes = [...this.changed.values()];
    this.changed.clear();
    this.ticks += 1;
    this.positionsOut += fixes.length;
    const byStation = new Map<number, PackedFix[]>();
    for (const f of fixes) {
      const s = this.stationOf(f.unitId);
      if (s === null) continue;
      const list = byStation.get(s);
      if (list) list.push(f);
      else byStation.set(s, [f]);
    }
    this.seq = this.next('district');
    // Volatile: a socket that cannot keep up skips a tick, sees the gap in `seq` and asks for a snapshot.
    this.live.local.to(DISTRICT_ROOM).volatile.emit('pos', packTick(this.seq, fixes));
    for (const [station, list] of byStation) this.live.local.to(stationFeedRooms(station)).volatile.emit('pos', packTick(this.next(station), list));
    observeTick((performance.now() - started) / 1000, fixes.length, (started - this.pendingSince) / 1000);
  }

  private next(feed: Feed): number {
    const n = (this.seqs.get(feed) ?? 0) + 1;
    this.seqs.set(feed, n);
    return n;
  }

  /** Sockets of this process on the live namespace: a soak run watches it for leaks. */
  get clients(): number {
    return this.live.sockets.size;
  }

  /** Everything this process knows (the simulator starts from it). */
  snapshot(): Uint8Array {
    return this.snapshotFor({ kind: 'district' }).positions;
  }

  /** What the viewer may see, stamped with the tick of the viewer's feed. */
  snapshotFor(reach: Reach): { seq: number; positions: Uint8Array } {
    if (reach.kind === 'district') {
      const seq = this.seqs.get('district') ?? 0;
      return { seq, positions: packTick(seq, this.latest.all()) };
    }
    if (reach.kind !== 'station' && reach.kind !== 'department') return { seq: 0, positions: packTick(0, []) };
    const station = reach.stationId;
    const seq = this.seqs.get(station) ?? 0;
    return { seq, positions: packTick(seq, this.latest.all().filter((f) => this.stationOf(f.unitId) === station)) };
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.unsubscribe?.();
  }
}
