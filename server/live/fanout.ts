import type { Namespace } from 'socket.io';
import { CHANNELS } from '@/lib/contracts/live';
import { packTick, readTick, type PackedFix } from '@/lib/live/pack';
import type { Bus } from '../bus/bus';
import type { LatestFixes } from './latest';

export const TICK_MS = 250;

/**
 * Each process forwards the backbone to its OWN sockets (`local`): every process receives the
 * whole stream from Redis, so letting the adapter re-broadcast would send everything N times.
 * Positions are coalesced into ticks that carry only the units that moved since the last one.
 */
export class TickFanout {
  private changed = new Map<number, PackedFix>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  seq = 0;
  ticks = 0;
  positionsIn = 0;
  positionsOut = 0;

  constructor(
    private readonly bus: Bus,
    private readonly latest: LatestFixes,
    private readonly live: Namespace,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(CHANNELS.positions, (payload) => this.receive(payload));
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  private receive(payload: Buffer): void {
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
    const fixes = [...this.changed.values()];
    this.changed.clear();
    this.seq += 1;
    this.ticks += 1;
    this.positionsOut += fixes.length;
    // Volatile: a socket that cannot keep up skips a tick, sees the gap in `seq` and asks for a snapshot.
    this.live.local.volatile.emit('pos', packTick(this.seq, fixes));
  }

  /** Sockets of this process on the live namespace: a soak run watches it for leaks. */
  get clients(): number {
    return this.live.sockets.size;
  }

  /** Everything this process knows, stamped with the tick it is current to. */
  snapshot(): Uint8Array {
    return packTick(this.seq, this.latest.all());
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.unsubscribe?.();
  }
}
