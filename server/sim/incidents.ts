import type { Rand } from '@/lib/sim/draw';
import { draftIncident, type PlaceModel } from '@/lib/sim/incident';
import { nextArrival } from '@/lib/sim/rhythm';
import { reportEvent, type ReportDeps } from '../events/report';

export const SIM_SOURCE = 'simulator';
// Longer waits are re-armed in steps: setTimeout cannot wait beyond ~24.8 days.
const MAX_WAIT_MS = 3600_000;

/** Poisson arrivals on the day's rhythm, each reported through the same path as every other source (server/events/report). */
export class IncidentFeed {
  created = 0;
  failed = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private seq = 0;
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly deps: ReportDeps,
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
    const draft = draftIncident(this.rand, this.places);
    this.seq += 1;
    const done: Promise<void> = reportEvent(
      this.deps,
      { source: SIM_SOURCE, accountId: null, role: 'system', name: '演示模拟器' },
      {
        v: 1,
        idempotencyKey: `sim-${Math.floor(at)}-${this.seq}`,
        category: draft.category,
        subcategory: draft.subcategory,
        title: draft.title,
        description: '演示模拟数据 (simulated for the demo)',
        severity: draft.severity,
        location: { lon: draft.lon, lat: draft.lat },
        photos: [],
      },
    )
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
