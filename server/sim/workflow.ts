import { ANSWERED_KINDS, type EventKind, type EventState } from '@/lib/events/machine';
import { RatingChoice } from '@/lib/contracts/citizen';
import { nextStepOf, type DispatchState } from '@/lib/command/dispatch';
import { KIND_SPEED_MPS } from '@/lib/command/nearest';
import type { UnitKind } from '@/lib/units';
import { dispatchDwellMs, dwellMs, fraction, nextStep } from '@/lib/sim/workflow';
import { answerFor } from '@/lib/sim/residents';
import { citizenLimits } from '../citizen/limits';
import { rateRequest } from '../citizen/rating';
import { createDispatches, stepDispatch } from '../command/dispatch';
import { proposal } from '../command/proposal';
import { ACTIVE_DISPATCH_SQL, UNIT_ACCOUNTS } from '../command/dispatch-read';
import type { Rand } from '@/lib/sim/draw';
import type { AppContext } from '../context';
import { act } from '../events/act';
import { DomainError } from '../errors';
import { BACKFILL_SOURCE, residentDevice } from './backfill';
import { SIM_SOURCE } from './incidents';

/** What moves simulated units (server/sim/positions.ts PositionFeed). */
export interface Steering {
  steer(unitId: number, to: [number, number] | null, speed: number): boolean;
}

const TICK_MS = 10_000;
/** Simulated joint dispatches under way at once, at most. */
const MAX_SIM_DISPATCHES = 4;
const PER_TICK = 40;
const MIN = 60_000;
/** The simulated residents' requests (their device ids): the station answers and handles these, and they rate them. */
const SIM_RESIDENT = `${residentDevice(0).slice(0, -4)}%`;
/** Events the simulated station works: its own, and the simulated residents'. A real resident's are people's to handle. */
const SIMULATED_SQL = `(e.source IN ($1, $3) OR (e.source = 'citizen' AND EXISTS (
  SELECT 1 FROM citizen_requests cr WHERE cr.event_id = e.id AND cr.device_id LIKE '${SIM_RESIDENT}')))`;
/** A question, complaint or suggestion is answered within minutes (S14; its limit is a working day). */
const answerDwellMs = (id: number) => (2 + 13 * fraction(id, 'answer')) * MIN;

interface Row {
  id: number;
  state: EventState;
  stationId: number | null;
  department: string | null;
  defaultDepartment: string | null;
  duplicateOf: number | null;
  sinceMs: number;
  kind: EventKind;
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
    private readonly app: Pick<AppContext, 'db' | 'bus' | 'reference' | 'live' | 'config'>,
    private readonly speedup: number,
    private readonly rand: Rand,
    private readonly log: (line: string) => void,
    /** Moves simulated units (the position feed): to the scene on departure, back to patrol when done. */
    private readonly mover: Steering | null = null,
  ) {}

  /** When this simulator began (after the backfill): what closed before is history. */
  private readonly since = Date.now();

  /** Simulated units on their way or on scene, by unit, with their dispatch. */
  private readonly steered = new Map<number, number>();

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.tick()
        .then(() => this.dispatchSome())
        .then(() => this.stepDispatches())
        .then(async () => void (await this.rateSome()))
        .catch((err: Error) => this.log(`workflow: ${err.message}`));
    }, TICK_MS / Math.min(this.speedup, 10));
    this.timer.unref();
  }

  async tick(now = Date.now()): Promise<void> {
    const { rows } = await this.app.db.query<Row>(
      `SELECT e.id, e.state, e.station_id AS "stationId", e.department_code AS department,
              coalesce(sc.department_code, c.department_code) AS "defaultDepartment",
              e.duplicate_of AS "duplicateOf", (extract(epoch FROM e.updated_at) * 1000)::float8 AS "sinceMs", e.kind
         FROM events e
         LEFT JOIN categories c ON c.code = e.category
         LEFT JOIN categories sc ON sc.code = e.subcategory
        WHERE ${SIMULATED_SQL} AND e.state IN ('reported', 'accepted', 'assigned', 'coordinated', 'in_progress', 'handled')
          AND e.station_id IS NOT NULL AND (e.locked_by IS NULL OR e.locked_at < now() - interval '10 minutes')
          AND e.updated_at < now() - interval '3 minutes' / $2::float8
        ORDER BY e.updated_at LIMIT 2000`,
      [SIM_SOURCE, this.speedup, BACKFILL_SOURCE],
    );
    const ref = await this.app.reference.get();
    const departments = [...ref.departments.keys()];
    const answered = (r: Row) => ANSWERED_KINDS.includes(r.kind);
    const dwell = (r: Row) => (answered(r) ? answerDwellMs(r.id) : dwellMs(r.id, r.state) ?? Infinity);
    const due = rows.filter((r) => r.sinceMs + dwell(r) / this.speedup <= now).slice(0, PER_TICK);
    for (const r of due) {
      // 答复 (issue 14): the deputy chief answers in words; nothing to handle or verify on site.
      const step = answered(r)
        ? { role: 'deputy_chief' as const, action: { action: 'answer' as const, note: answerFor(r.kind, this.rand) } }
        : nextStep(r, departments, this.rand);
      if (!step) continue;
      const department = step.role === 'dept_staff' ? r.department : null;
      const actor = { uid: null, name: '演示模拟器', role: step.role, stationId: r.stationId, department };
      try {
        await act(this.app, actor, r.id, step.action);
        this.stepped += 1;
      } catch (err) {
        // A merge target closed meanwhile, or a person took it: accept it instead, or leave it.
        if (step.action.action === 'merge' && err instanceof DomainError && err.failure === 'unprocessable')
          await act(this.app, actor, r.id, { action: 'accept' }).then(() => (this.stepped += 1), () => (this.failed += 1));
        else this.failed += 1;
      }
    }
  }

  /**
   * Simulated residents rate their closed requests (S9, S14) through the resident's own path
   * (rateRequest, with their device id), a few minutes after closing: seven in ten rate, about
   * 70/20/10 满意 / 基本满意 / 不满意; the rest never do, as real residents.
   */
  async rateSome(): Promise<number> {
    const { rows } = await this.app.db.query<{ id: number; code: string; pin: string; deviceId: string }>(
      `SELECT cr.id::int, cr.code, cr.pin, cr.device_id AS "deviceId"
         FROM citizen_requests cr JOIN events e ON e.id = cr.event_id
        WHERE cr.device_id LIKE '${SIM_RESIDENT}' AND cr.rating IS NULL AND NOT cr.merged AND e.state = 'closed'
          -- The backfill's residents (server/sim/backfill.ts) had their say on what closed before the simulator began.
          AND (cr.idempotency_key NOT LIKE 'history-%' OR e.closed_at >= to_timestamp($2 / 1000.0))
          AND e.closed_at < now() - interval '5 minutes' / $1::float8 AND e.closed_at > now() - interval '2 days'
        ORDER BY e.closed_at LIMIT 500`,
      [this.speedup, this.since],
    );
    let rated = 0;
    const limits = citizenLimits(this.app.config);
    for (const r of rows) {
      if (fraction(r.id, 'rate') >= 0.7) continue;
      const u = fraction(r.id, 'choice');
      const rating: RatingChoice = u < 0.7 ? 'satisfied' : u < 0.9 ? 'basically' : 'dissatisfied';
      const comment = rating === 'dissatisfied' ? '问题反复出现，希望彻底解决' : undefined;
      try {
        await rateRequest(this.app, r.code, { deviceId: r.deviceId, pin: r.pin, rating, ...(comment ? { comment } : {}) }, '127.0.0.1', limits);
        rated += 1;
        this.stepped += 1;
      } catch {
        this.failed += 1;
      }
    }
    return rated;
  }

  /**
   * Now and then the simulated deputy chief sends the nearest unit of each force to a serious
   * simulated event, so the wall shows joint dispatch at work; never more than a few at once.
   */
  async dispatchSome(): Promise<number[]> {
    const { rows } = await this.app.db.query<{ id: number; stationId: number }>(
      `SELECT e.id, e.station_id AS "stationId" FROM events e
        WHERE e.source = $1 AND e.severity IN ('high', 'critical') AND e.state IN ('accepted', 'assigned', 'coordinated', 'in_progress')
          AND e.reported_at > now() - interval '2 hours' AND e.location IS NOT NULL AND e.station_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM dispatches d WHERE d.event_id = e.id)
          AND (SELECT count(*) FROM dispatches d JOIN events x ON x.id = d.event_id
                WHERE x.source = $1 AND d.state IN ${ACTIVE_DISPATCH_SQL}) < ${MAX_SIM_DISPATCHES}
        ORDER BY e.reported_at DESC LIMIT 1`,
      [SIM_SOURCE],
    );
    const e = rows[0];
    if (!e) return [];
    const offer = await proposal(this.app, e.id);
    const units = offer.forces.slice(0, 2).flatMap((f) => f.candidates.slice(0, 1).map((c) => c.unitId));
    if (!units.length) return [];
    const actor = { uid: null, name: '演示模拟器', role: 'deputy_chief' as const, stationId: e.stationId, department: null };
    const r = await createDispatches(this.app, actor, { eventId: e.id, unitIds: units, requestKey: `sim-dispatch-${e.id}` });
    return r.ids;
  }

  /**
   * Simulated units answer their dispatches (S12) as a person would on the phone: acknowledge,
   * set off, arrive after about their ETA, clear. Units someone answers for (a demo account) are people's to step.
   */
  async stepDispatches(now = Date.now()): Promise<void> {
    const { rows } = await this.app.db.query<{ id: number; unitId: number; kind: string; state: DispatchState; etaS: number | null; stationId: number; sinceMs: number; lon: number; lat: number }>(
      `SELECT d.id, d.unit_id AS "unitId", u.kind, d.state, d.eta_s AS "etaS", e.station_id AS "stationId",
              (extract(epoch FROM greatest(d.created_at, d.acknowledged_at, d.en_route_at, d.on_scene_at)) * 1000)::float8 AS "sinceMs",
              ST_X(e.location) AS lon, ST_Y(e.location) AS lat
         FROM dispatches d JOIN units u ON u.id = d.unit_id JOIN events e ON e.id = d.event_id
        WHERE d.state IN ${ACTIVE_DISPATCH_SQL}
          AND cardinality(${UNIT_ACCOUNTS}) = 0
        ORDER BY d.id LIMIT 500`,
    );
    // A dispatch ended elsewhere (cancelled, reassigned): its unit goes back to patrol.
    const active = new Set(rows.map((r) => r.id));
    for (const [unitId, dispatchId] of this.steered)
      if (!active.has(dispatchId)) {
        this.mover?.steer(unitId, null, 0);
        this.steered.delete(unitId);
      }
    for (const r of rows) {
      const dwell = dispatchDwellMs(r.id, r.state, r.etaS);
      const step = nextStepOf(r.state);
      if (dwell === null || !step || r.sinceMs + dwell / this.speedup > now) continue;
      const actor = { uid: null, name: '演示模拟器', role: 'dept_staff' as const, stationId: r.stationId, department: null };
      const ok = await stepDispatch(this.app, actor, r.id, { step, requestKey: `sim-${r.id}-${step}` }).then(() => true, () => false);
      if (!ok) {
        this.failed += 1;
        continue;
      }
      this.stepped += 1;
      if (step === 'depart' && this.mover?.steer(r.unitId, [r.lon, r.lat], KIND_SPEED_MPS[r.kind as UnitKind] ?? 4)) this.steered.set(r.unitId, r.id);
      if (step === 'clear' && this.steered.delete(r.unitId)) this.mover?.steer(r.unitId, null, 0);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
