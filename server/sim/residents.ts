import { CitizenSubmissionV1 } from '@/lib/contracts/citizen';
import type { Rand } from '@/lib/sim/draw';
import type { PlaceModel } from '@/lib/sim/incident';
import { draftResidentRequest } from '@/lib/sim/residents';
import { submitCitizenRequest, type CitizenSubmitResult, type SubmitDeps } from '../citizen/submit';
import { Arrivals } from './arrivals';
import { residentDevice, RESIDENTS } from './backfill';

/** The simulator's requests come from this machine, like a phone's from its address. */
const SIM_IP = '127.0.0.1';

/**
 * Simulated residents using /m (issue 14; S9): Poisson arrivals on the day's rhythm, each through
 * the real path (submitCitizenRequest, channel 'web', the resident's stable device id), so the
 * console's queue, the wall and the tracking page see them as any resident's. The station's side
 * (answers, handling) and the residents' ratings are the workflow's (server/sim/workflow.ts).
 */
export class ResidentFeed {
  private readonly arrivals: Arrivals;

  constructor(
    private readonly deps: SubmitDeps,
    private readonly places: PlaceModel,
    perHour: number,
    private readonly rand: Rand,
    log: (line: string) => void,
  ) {
    this.arrivals = new Arrivals(perHour, rand, (at, seq) => this.submit(at, seq), (err) => log(`resident's request not sent: ${err.message}`));
  }

  get sent(): number {
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

  /** One resident's request now (tests). */
  send(at = Date.now()): Promise<CitizenSubmitResult & { deviceId: string }> {
    return this.submit(at, this.arrivals.next());
  }

  private async submit(at: number, seq: number): Promise<CitizenSubmitResult & { deviceId: string }> {
    const { resident, submission } = draftResidentRequest(this.rand, this.places, RESIDENTS);
    const deviceId = residentDevice(resident);
    const input = CitizenSubmissionV1.parse({ v: 1, deviceId, idempotencyKey: `sim-${Math.floor(at)}-${seq}`, ...submission });
    const r = await submitCitizenRequest(this.deps, 'web', input, { ip: SIM_IP });
    return { ...r, deviceId };
  }
}
