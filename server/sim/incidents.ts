import type { Rand } from '@/lib/sim/draw';
import { draftIncident, type PlaceModel } from '@/lib/sim/incident';
import { reportEvent, type ReportDeps } from '../events/report';
import { Arrivals } from './arrivals';

export const SIM_SOURCE = 'simulator';

/** Poisson arrivals on the day's rhythm, each reported through the same path as every other source (server/events/report). */
export class IncidentFeed {
  private readonly arrivals: Arrivals;

  constructor(
    private readonly deps: ReportDeps,
    private readonly places: PlaceModel,
    perHour: number,
    private readonly rand: Rand,
    log: (line: string) => void,
  ) {
    this.arrivals = new Arrivals(perHour, rand, (at, seq) => this.report(at, seq), (err) => log(`incident not created: ${err.message}`));
  }

  get created(): number {
    return this.arrivals.sent;
  }

  get failed(): number {
    return this.arrivals.failed;
  }

  start(): void {
    this.arrivals.start();
  }

  stop(): Promise<void> {
    return this.arrivals.stop();
  }

  private report(at: number, seq: number): Promise<unknown> {
    const draft = draftIncident(this.rand, this.places);
    return reportEvent(
      this.deps,
      { source: SIM_SOURCE, accountId: null, role: 'system', name: '演示模拟器' },
      {
        v: 1,
        idempotencyKey: `sim-${Math.floor(at)}-${seq}`,
        category: draft.category,
        subcategory: draft.subcategory,
        title: draft.title,
        description: '演示模拟数据 (simulated for the demo)',
        severity: draft.severity,
        location: { lon: draft.lon, lat: draft.lat },
        photos: [],
      },
    );
  }
}
