import type { Rand } from '@/lib/sim/draw';
import { nextArrival } from '@/lib/sim/rhythm';

// Longer waits are re-armed in steps: setTimeout cannot wait beyond ~24.8 days.
const MAX_WAIT_MS = 3600_000;

/**
 * Poisson arrivals on the day's rhythm (lib/sim/rhythm), each handed to `send` with its time and
 * sequence number; the simulator's incidents and residents' requests are two of these. stop()
 * waits for the sends under way, so a test or a shutdown never leaves a write half done.
 */
export class Arrivals {
  sent = 0;
  failed = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private seq = 0;
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(
    private readonly perHour: number,
    private readonly rand: Rand,
    private readonly send: (at: number, seq: number) => Promise<unknown>,
    private readonly onError: (err: Error) => void,
  ) {}

  start(): void {
    if (this.perHour > 0) this.arm(nextArrival(Date.now(), this.perHour, this.rand));
  }

  /** The next sequence number, for a send made outside the arrivals (tests). */
  next(): number {
    return (this.seq += 1);
  }

  private arm(at: number): void {
    if (this.stopped || !Number.isFinite(at)) return;
    const wait = at - Date.now();
    this.timer = wait > MAX_WAIT_MS ? setTimeout(() => this.arm(at), MAX_WAIT_MS) : setTimeout(() => this.fire(at), Math.max(0, wait));
  }

  private fire(at: number): void {
    if (this.stopped) return;
    const done: Promise<unknown> = this.send(at, this.next())
      .then(() => void (this.sent += 1))
      .catch((err: Error) => {
        this.failed += 1;
        this.onError(err);
      })
      .finally(() => this.inflight.delete(done));
    this.inflight.add(done);
    this.arm(nextArrival(at, this.perHour, this.rand));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all(this.inflight);
  }
}
