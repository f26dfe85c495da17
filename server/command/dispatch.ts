import { decideStep, type DispatchState, type DispatchStep } from '@/lib/command/dispatch';
import { GRID_FORCE } from '@/lib/command/joint';
import { rankByEta } from '@/lib/command/nearest';
import { isDone } from '@/lib/events/machine';
import { can } from '@/lib/roles';
import type { DispatchRequestV1, DispatchStepV1 } from '@/lib/contracts/command';
import type { AppContext } from '../context';
import { inTransaction, type Tx } from '../db/pool';
import type { Actor, StaffActor } from '../events/viewer';
import { DomainError } from '../errors';
import { audit } from '../repo/audit';
import { enqueue } from '../outbox/outbox';
import { ACTIVE_DISPATCH_SQL, UNIT_ACCOUNTS } from './dispatch-read';
import { eventPlace, livePositions, positionOf, type EventPlace, type Positions } from './proposal';
import { claimRequest, finishRequest } from './requests';

type App = Pick<AppContext, 'db' | 'bus' | 'reference' | 'live' | 'config'>;

export interface DispatchResult {
  ids: number[];
  /** How many of `ids` this request created; the rest were already on their way. */
  created: number;
  replayed: boolean;
}

const unprocessable = (path: string, message: string) => new DomainError('unprocessable', 'invalid_reference', message, [{ path, message }]);

/**
 * One click dispatches the chosen units to an event (S12). The event row is locked first, so two
 * screens clicking at once take turns: the second finds the units already on their way and gets
 * the same dispatches back, not new ones. A unit busy elsewhere is refused by name.
 */
export async function createDispatches(app: App, actor: Actor, input: DispatchRequestV1, ip?: string): Promise<DispatchResult> {
  const result = await inTransaction(app.db, async (tx) => {
    const { replay } = await claimRequest<DispatchResult>(tx, input.requestKey, actor.uid, 'dispatch');
    if (replay) return { ...replay, replayed: true };
    if (input.decisionId !== undefined) await checkDecision(tx, input.decisionId, input.eventId, actor);
    const out = { ...(await dispatchUnits(tx, app, actor, input.eventId, input.unitIds, input.decisionId ?? null, ip)), replayed: false };
    await finishRequest(tx, input.requestKey, out);
    return out;
  });
  return result;
}

/** The dispatch itself, inside the caller's transaction (a consultation's decision spawns one); its messages go out after the commit. */
export async function dispatchUnits(
  tx: Tx, app: App, actor: Actor, eventId: number, unitIds: readonly number[], decisionId: number | null, ip?: string, path = 'body.unitIds',
): Promise<{ ids: number[]; created: number }> {
  const e = await lockEvent(tx, eventId, actor);
  // Units in id order, whatever order the click listed them: two dispatches sharing units cannot deadlock.
  const unique = [...new Set(unitIds)];
  await tx.query(`SELECT id FROM units WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`, [unique]);
  const ids: number[] = [];
  let created = 0;
  for (const unitId of unique) {
    const r = await dispatchOne(tx, app, actor, e, unitId, `${path}.${unitIds.indexOf(unitId)}`, livePositions(app), decisionId, ip);
    ids.push(r.id);
    if (r.created) created += 1;
  }
  await enqueue(tx, 'dispatch', ids);
  return { ids, created };
}

async function lockEvent(tx: Tx, eventId: number, actor: Actor): Promise<EventPlace & { state: string }> {
  if (actor.stationId === null) throw new DomainError('forbidden', 'out_of_scope', '您的账号不属于任何工作站');
  const { rows } = await tx.query<{ state: string }>(`SELECT state FROM events WHERE id = $1 FOR UPDATE`, [eventId]);
  if (!rows[0]) throw new DomainError('not_found', 'not_found', `事件 ${eventId} 不存在`);
  const e = await eventPlace(tx, eventId);
  if (e.stationId !== actor.stationId) throw new DomainError('forbidden', 'out_of_scope', '此事件不在本站范围内');
  if (isDone(rows[0].state)) throw new DomainError('conflict', 'event_closed', '事件已结束，不能派遣');
  return { ...e, state: rows[0].state };
}

async function checkDecision(tx: Tx, decisionId: number, eventId: number, actor: Actor): Promise<void> {
  const { rows } = await tx.query(
    `SELECT 1 FROM consultation_decisions d JOIN consultations c ON c.id = d.consultation_id
      WHERE d.id = $1 AND (d.event_id IS NULL OR d.event_id = $2) AND c.station_id = $3 AND c.state <> 'closed'`,
    [decisionId, eventId, actor.stationId],
  );
  if (!rows.length) throw unprocessable('body.decisionId', `会商决定 ${decisionId} 不存在、不属于此事件或会商已结束`);
}

async function dispatchOne(
  tx: Tx, app: App, actor: Actor, e: EventPlace, unitId: number, path: string, positions: Positions, decisionId: number | null, ip?: string,
): Promise<{ id: number; created: boolean }> {
  const { rows: units } = await tx.query<{ stationId: number | null; status: string; name: string; kind: string; lon: number | null; lat: number | null }>(
    `SELECT station_id AS "stationId", status, name, kind, ST_X(last_position) AS lon, ST_Y(last_position) AS lat FROM units WHERE id = $1 FOR UPDATE`,
    [unitId],
  );
  const u = units[0];
  if (!u) throw unprocessable(path, `单位 ${unitId} 不存在`);
  if (u.stationId !== e.stationId) throw unprocessable(path, `${u.name} 不属于事件所在工作站`);
  const { rows: active } = await tx.query<{ id: number; eventId: number }>(
    `SELECT id, event_id AS "eventId" FROM dispatches WHERE unit_id = $1 AND state IN ${ACTIVE_DISPATCH_SQL}`,
    [unitId],
  );
  if (active[0]?.eventId === e.id) return { id: active[0].id, created: false };
  if (active[0]) throw new DomainError('conflict', 'unit_busy', `${u.name} 正在执行另一项派遣（事件 #${active[0].eventId}）`, [{ path, message: '该单位已有进行中的派遣' }]);
  if (u.status !== 'available') throw new DomainError('conflict', 'unit_unavailable', `${u.name} 当前不可派遣`, [{ path, message: `状态：${u.status}` }]);

  const [ranked] = rankedAt(positions, unitId, u, e);
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO dispatches (event_id, unit_id, created_by, created_name, origin, distance_m, eta_s, ack_due_at, decision_id)
     VALUES ($1, $2, $3, $4, CASE WHEN $5::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($5, $6), 4326) END, $7, $8,
             now() + make_interval(secs => $9), $10)
     RETURNING id`,
    [e.id, unitId, actor.uid, actor.name, ranked?.lon ?? null, ranked?.lat ?? null, ranked?.distanceM ?? null, ranked?.etaS ?? null,
      app.config.dispatchAckSeconds, decisionId],
  );
  const id = rows[0].id;
  await tx.query(`UPDATE units SET status = 'dispatched' WHERE id = $1`, [unitId]);
  await tx.query(
    `INSERT INTO dispatch_log (dispatch_id, actor_id, actor_name, from_state, to_state, step) VALUES ($1, $2, $3, NULL, 'dispatched', 'dispatch')`,
    [id, actor.uid, actor.name],
  );
  await audit(tx, { uid: actor.uid ?? 0, role: actor.role }, { action: 'dispatch.create', target: `dispatch:${id}`, detail: { eventId: e.id, unitId, unit: u.name, decisionId, ...ranked && { distanceM: ranked.distanceM, etaS: ranked.etaS } }, ip });
  return { id, created: true };
}

/** The unit's distance and ETA as the proposal put them (same position rule), recorded with the dispatch. */
function rankedAt(positions: Positions, unitId: number, u: { kind: string; lon: number | null; lat: number | null }, e: EventPlace) {
  const at = positionOf(positions, unitId, u);
  if (!at) return [];
  return rankByEta([{ unitId, kind: u.kind, lon: at.lon, lat: at.lat }], e).map((r) => ({ lon: at.lon, lat: at.lat, distanceM: r.distanceM, etaS: r.etaS }));
}

interface LockedDispatch {
  id: number;
  state: DispatchState;
  flagged: boolean;
  eventId: number;
  unitId: number;
  stationId: number | null;
}

async function lockDispatch(tx: Tx, id: number): Promise<LockedDispatch> {
  const { rows } = await tx.query<LockedDispatch>(
    `SELECT d.id, d.state, d.flagged_at IS NOT NULL AS flagged, d.event_id AS "eventId", d.unit_id AS "unitId", e.station_id AS "stationId"
       FROM dispatches d JOIN events e ON e.id = d.event_id JOIN units u ON u.id = d.unit_id
      WHERE d.id = $1 FOR UPDATE OF d`,
    [id],
  );
  if (!rows[0]) throw new DomainError('not_found', 'not_found', `派遣 ${id} 不存在`);
  return rows[0];
}

const STAMP: Partial<Record<DispatchState, string>> = {
  acknowledged: 'acknowledged_at = coalesce(acknowledged_at, now())',
  en_route: 'acknowledged_at = coalesce(acknowledged_at, now()), en_route_at = now()',
  on_scene: 'acknowledged_at = coalesce(acknowledged_at, now()), on_scene_at = now()',
  cleared: 'ended_at = now()',
  cancelled: 'ended_at = now()',
};

/** Whether `actor` answers for the dispatched unit: its own person, or (a team) its department's staff at the station. */
async function answersFor(tx: Tx, actor: Actor, d: LockedDispatch): Promise<boolean> {
  // The system (uid null) is the demo simulator playing the unit.
  if (actor.uid === null) return true;
  const { rows } = await tx.query<{ ok: boolean }>(`SELECT EXISTS (SELECT 1 FROM units u WHERE u.id = $2 AND $1 = ANY(${UNIT_ACCOUNTS})) AS ok`, [actor.uid, d.unitId]);
  return rows[0].ok;
}

async function applyStep(tx: Tx, actor: Actor, d: LockedDispatch, isUnit: boolean, step: DispatchStep, note: string | null, requestKey: string | null, ip?: string): Promise<DispatchState> {
  const decision = decideStep(d.state, step, { role: actor.role, isUnit });
  if (!decision.ok) throw new DomainError('conflict', 'invalid_transition', decision.reason);
  await tx.query(`UPDATE dispatches SET state = $2, version = version + 1, updated_at = now(), ${STAMP[decision.to] ?? 'version = version'} WHERE id = $1`, [d.id, decision.to]);
  if (decision.to === 'cleared' || decision.to === 'cancelled') await tx.query(`UPDATE units SET status = 'available' WHERE id = $1 AND status = 'dispatched'`, [d.unitId]);
  await tx.query(
    `INSERT INTO dispatch_log (dispatch_id, actor_id, actor_name, from_state, to_state, step, note, request_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [d.id, actor.uid, actor.name, d.state, decision.to, step, note, requestKey],
  );
  await audit(tx, { uid: actor.uid ?? 0, role: actor.role }, { action: `dispatch.${step}`, target: `dispatch:${d.id}`, detail: { eventId: d.eventId, unitId: d.unitId, from: d.state, to: decision.to }, ip });
  return decision.to;
}

/** The unit steps its own dispatch; the station's leaders may cancel one of their station's; nobody else touches it. */
async function scopeOf(tx: Tx, actor: Actor, d: LockedDispatch): Promise<boolean> {
  const isUnit = await answersFor(tx, actor, d);
  const leader = can(actor.role, 'command') && actor.stationId !== null && d.stationId === actor.stationId;
  if (!isUnit && !leader) throw new DomainError('forbidden', 'out_of_scope', '此派遣不在您的职责范围内');
  return isUnit;
}

/** One step of a dispatch by the unit's own phone, or a cancel by the station's leaders. */
export async function stepDispatch(app: Pick<App, 'db' | 'bus'>, actor: Actor, id: number, input: DispatchStepV1, ip?: string): Promise<{ state: DispatchState; replayed: boolean }> {
  const result = await inTransaction(app.db, async (tx) => {
    const d = await lockDispatch(tx, id);
    const isUnit = await scopeOf(tx, actor, d);
    // Only the one who took the step gets its replay.
    const { rows } = await tx.query(
      `SELECT 1 FROM dispatch_log WHERE dispatch_id = $1 AND request_key = $2 AND actor_id IS NOT DISTINCT FROM $3`,
      [id, input.requestKey, actor.uid],
    );
    if (rows.length) return { state: d.state, replayed: true };
    const state = await applyStep(tx, actor, d, isUnit, input.step, input.note?.trim() || null, input.requestKey, ip);
    await enqueue(tx, 'dispatch', [id]);
    return { state, replayed: false };
  });
  return result;
}

/** The one-click answer to a flagged dispatch: cancel it and send the proposed replacement. */
export async function reassignDispatch(app: App, actor: StaffActor, id: number, unitId: number, requestKey: string, ip?: string): Promise<DispatchResult> {
  const result = await inTransaction(app.db, async (tx) => {
    const { replay } = await claimRequest<DispatchResult>(tx, requestKey, actor.uid, 'reassign');
    if (replay) return { ...replay, replayed: true };
    const d = await lockDispatch(tx, id);
    if (d.state !== 'dispatched' || !d.flagged)
      throw new DomainError('conflict', 'invalid_transition', d.state !== 'dispatched' ? '该单位已确认接收，无需改派' : '派遣尚未超时，不能改派');
    const e = await lockEvent(tx, d.eventId, actor);
    await applyStep(tx, actor, d, await scopeOf(tx, actor, d), 'cancel', '未及时确认，改派', null, ip);
    const r = await dispatchOne(tx, app, actor, e, unitId, 'body.unitId', livePositions(app), null, ip);
    const out = { ids: [id, r.id], created: r.created ? 1 : 0, replayed: false };
    await enqueue(tx, 'dispatch', out.ids);
    await finishRequest(tx, requestKey, out);
    return out;
  });
  return result;
}

/** The force a unit stands for in a proposal: its department, or the gridders. */
export function forceOf(u: { kind: string; department: string | null }): string {
  return u.kind === 'gridder' ? GRID_FORCE : (u.department ?? GRID_FORCE);
}

