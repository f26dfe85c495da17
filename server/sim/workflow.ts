import type { EventState } from '@/lib/events/machine';
import { dwellMs, nextStep } from '@/lib/sim/workflow';
import type { Rand } from '@/lib/sim/draw';
import type { AppContext } from '../context';
import { act } from '../events/act';
import { HttpError } from '../http/errors';
import { BACKFILL_SOURCE } from './backfill';
import { SIM_SOURCE } from './incidents';

const TICK_MS = 10_000;
const PER_TICK = 40;

interface Row {
  id: number;
  state: EventState;
  stationId: number | null;
  department: string | null;
  defaultDepartment: string | null;
  duplicateOf: number | null;
  sinceMs: number;
}

/**
 * The demo's station at work: simulated events move along the closed loop (S12) through the same
 * `act` as people's clicks — machine, scope, log, audit, publish — so the wall and console show
 * live state changes and the open list does not pile up. Events a person has locked or is
 * working are left to that person.
 */
export class SimWorkflow {
  stepped = 0;
  failed = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly app: Pick<AppContext, 'db' | 'bus' | 'reference'>,
    private readonly speedup: number,
    private readonly rand: Rand,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.tick().catch((err: Error) => this.log(`workflow: ${err.message}`));
    }, TICK_MS / Math.min(this.speedup, 10));
    this.timer.unref();
  }

  async tick(now = Date.now()): Promise<void> {
    const { rows } = await this.app.db.query<Row>(
      `SELECT e.id, e.state, e.station_id AS "stationId", e.department_code AS department,
              coalesce(sc.department_code, c.department_code) AS "defaultDepartment",
              e.duplicate_of AS "duplicateOf", (extract(epoch FROM e.updated_at) * 1000)::float8 AS "sinceMs"
         FROM events e
         LEFT JOIN categories c ON c.code = e.category
         LEFT JOIN categories sc ON sc.code = e.subcategory
        WHERE e.source IN ($1, $3) AND e.state IN ('reported', 'accepted', 'assigned', 'coordinated', 'in_progress', 'handled')
          AND e.station_id IS NOT NULL AND (e.locked_by IS NULL OR e.locked_at < now() - interval '10 minutes')
          AND e.updated_at < now() - interval '3 minutes' / $2::float8
        ORDER BY e.updated_at LIMIT 2000`,
      [SIM_SOURCE, this.speedup, BACKFILL_SOURCE],
    );
    const ref = await this.app.reference.get();
    const departments = [...ref.departments.keys()];
    const due = rows.filter((r) => r.sinceMs + (dwellMs(r.id, r.state) ?? Infinity) / this.speedup <= now).slice(0, PER_TICK);
    for (const r of due) {
      const step = nextStep(r, departments, this.rand);
      if (!step) continue;
      const department = step.role === 'dept_staff' ? r.department : null;
      const actor = { uid: null, name: '演示模拟器', role: step.role, stationId: r.stationId, department };
      try {
        await act(this.app, actor, r.id, step.action);
        this.stepped += 1;
      } catch (err) {
        // A merge target closed meanwhile, or a person took it: accept it instead, or leave it.
        if (step.action.action === 'merge' && err instanceof HttpError && err.status === 422)
          await act(this.app, actor, r.id, { action: 'accept' }).then(() => (this.stepped += 1), () => (this.failed += 1));
        else this.failed += 1;
      }
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
