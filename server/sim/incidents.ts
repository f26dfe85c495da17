import type { Rand } from '@/lib/sim/draw';
import { DEADLINE_MS } from '@/lib/sim/history';
import { draftIncident, type PlaceModel } from '@/lib/sim/incident';
import { nextArrival } from '@/lib/sim/rhythm';
import type { Bus } from '../bus/bus';
import type { Db } from '../db/pool';
import { createIncident } from '../events/incident';

export const SIM_SOURCE = 'simulator';
// Longer waits are re-armed in steps: setTimeout cannot wait beyond ~24.8 days.
const MAX_WAIT_MS = 3600_000;

/** Poisson arrivals on the day's rhythm, each committed and published by createIncident. */
export class IncidentFeed {
  created = 0;
  failed = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly bus: Bus,
    private readonly places: PlaceModel,
    private readonly perHour: number,
    private readonly rand: Rand,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    this.arm(nextArrival(Date.now(), this.perHour, this.rand));
  }

  private arm(at: number): void {
    if (this.stopped || !Number.isFinite(at)) return;
    const wait = at - Date.now();
    this.timer = wait > MAX_WAIT_MS ? setTimeout(() => this.arm(at), MAX_WAIT_MS) : setTimeout(() => this.fire(at), Math.max(0, wait));
  }

  private fire(at: number): void {
    if (this.stopped) return;
    const reportedAt = new Date(Math.min(Math.floor(at), Date.now()));
    const draft = draftIncident(this.rand, this.places);
    const done: Promise<void> = createIncident(this.db, this.bus, {
      ...draft,
      source: SIM_SOURCE,
      description: '演示模拟数据 (simulated for the demo)',
      reportedAt,
      deadlineAt: new Date(reportedAt.getTime() + DEADLINE_MS),
    })
      .then(() => void (this.created += 1))
      .catch((err: Error) => {
        this.failed += 1;
        this.log(`incident not created: ${err.message}`);
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
