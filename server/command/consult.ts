import type { ConsultationCallV1, DecisionV1Input } from '@/lib/contracts/command';
import { CONSULTATION_KIND_LABEL } from '@/lib/contracts/command';
import type { AppContext } from '../context';
import { inTransaction, type Tx } from '../db/pool';
import { enqueue } from '../outbox/outbox';
import type { StaffActor } from '../events/viewer';
import { DomainError } from '../errors';
import { audit } from '../repo/audit';
import { dispatchUnits } from './dispatch';
import { inviteByRule } from './invitees';
import { agendaFor } from './meetings';
import { claimRequest, finishRequest } from './requests';

type App = Pick<AppContext, 'db' | 'bus' | 'reference' | 'live' | 'config'>;

export interface CallResult {
  id: number;
  created: boolean;
  replayed: boolean;
}

const unprocessable = (path: string, message: string) => new DomainError('unprocessable', 'invalid_reference', message, [{ path, message }]);

/**
 * The one-click emergency consultation (S11) on one or more incidents. The events are locked in
 * id order, so two screens calling at once take turns and the second joins the consultation the
 * first opened: one open emergency consultation per incident. Invitees by rule: the chief and the
 * deputy chief, the resident departments on duty, the full-time gridders of the affected grids,
 * and, if asked, the departments on call.
 */
export async function callEmergency(app: App, actor: StaffActor, input: ConsultationCallV1, ip?: string): Promise<CallResult> {
  const result = await inTransaction(app.db, async (tx) => {
    const { replay } = await claimRequest<CallResult>(tx, input.requestKey, actor.uid, 'consultation');
    if (replay) return { ...replay, replayed: true };
    if (actor.stationId === null) throw new DomainError('forbidden', 'out_of_scope', '您的账号不属于任何工作站');
    const ids = [...new Set(input.eventIds)].sort((a, b) => a - b);
    const { rows: events } = await tx.query<{ id: number; stationId: number | null; gridCode: string | null; title: string }>(
      `SELECT id, station_id AS "stationId", grid_code AS "gridCode", title FROM events WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    const missing = ids.findIndex((id) => !events.some((e) => e.id === id));
    if (missing >= 0) throw unprocessable(`body.eventIds.${input.eventIds.indexOf(ids[missing])}`, `事件 ${ids[missing]} 不存在`);
    const outside = events.find((e) => e.stationId !== actor.stationId);
    if (outside) throw new DomainError('forbidden', 'out_of_scope', `事件 #${outside.id} 不在本站范围内`);

    const { rows: open } = await tx.query<{ id: number }>(
      `SELECT c.id FROM consultations c JOIN consultation_events ce ON ce.consultation_id = c.id
        WHERE c.kind = 'emergency' AND c.state = 'open' AND ce.event_id = ANY($1::bigint[]) ORDER BY c.id LIMIT 1`,
      [ids],
    );
    if (open[0]) {
      // Two screens, or an area that takes in an incident already under consultation: one consultation,
      // which takes in the incidents it lacked and invites their grids' gridders.
      const id = open[0].id;
      const { rows: added } = await tx.query<{ event_id: number }>(
        `INSERT INTO consultation_events (consultation_id, event_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [id, ids],
      );
      if (added.length) {
        const grids = events.filter((e) => added.some((a) => a.event_id === e.id) && e.gridCode).map((e) => e.gridCode!);
        await inviteByRule(tx, id, actor.stationId!, ['gridder_full'], { gridCodes: [...new Set(grids)] });
        await tx.query(`UPDATE consultations SET version = version + 1 WHERE id = $1`, [id]);
        await audit(tx, actor, { action: 'consultation.join', target: `consultation:${id}`, detail: { eventIds: added.map((a) => a.event_id) }, ip });
      }
      const out = { id, created: false, replayed: false };
      await enqueue(tx, 'consultation', [id]);
      await finishRequest(tx, input.requestKey, out);
      return out;
    }
    const title = `${CONSULTATION_KIND_LABEL.emergency}：${events[0].title}${events.length > 1 ? ` 等 ${events.length} 件` : ''}`;
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO consultations (kind, station_id, title, state, called_by, called_name, idempotency_key, started_at)
       VALUES ('emergency', $1, $2, 'open', $3, $4, $5, now()) RETURNING id`,
      [actor.stationId, title, actor.uid, actor.name, `emergency:${input.requestKey}`],
    );
    const id = rows[0].id;
    await tx.query(`INSERT INTO consultation_events (consultation_id, event_id) SELECT $1, unnest($2::bigint[])`, [id, ids]);
    const gridCodes = [...new Set(events.flatMap((e) => (e.gridCode ? [e.gridCode] : [])))];
    await inviteByRule(tx, id, actor.stationId!, ['station_chief', 'deputy_chief', 'resident_departments', 'gridder_full'], { gridCodes, onCall: input.includeOnCall });
    // The caller is there already.
    await tx.query(`UPDATE consultation_invitees SET response = 'accepted', responded_at = now() WHERE consultation_id = $1 AND account_id = $2`, [id, actor.uid]);
    await audit(tx, actor, { action: 'consultation.call', target: `consultation:${id}`, detail: { kind: 'emergency', eventIds: ids, includeOnCall: input.includeOnCall }, ip });
    const out = { id, created: true, replayed: false };
    await enqueue(tx, 'consultation', [id]);
    await finishRequest(tx, input.requestKey, out);
    return out;
  });
  return result;
}

async function lockConsultation(tx: Tx, id: number): Promise<{ id: number; stationId: number; state: string; kind: string }> {
  const { rows } = await tx.query<{ id: number; stationId: number; state: string; kind: string }>(
    `SELECT id, station_id AS "stationId", state, kind FROM consultations WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!rows[0]) throw new DomainError('not_found', 'not_found', `会商 ${id} 不存在`);
  return rows[0];
}

const inStation = (c: { stationId: number }, actor: StaffActor) => {
  if (c.stationId !== actor.stationId) throw new DomainError('forbidden', 'out_of_scope', '此会商不属于本站');
};

/** An invitee accepts or declines; answering again changes the answer. */
export async function replyInvitation(app: App, actor: StaffActor, id: number, accept: boolean, ip?: string): Promise<void> {
  await inTransaction(app.db, async (tx) => {
    const c = await lockConsultation(tx, id);
    if (c.state === 'closed') throw new DomainError('conflict', 'closed', '会商已结束');
    const { rowCount } = await tx.query(
      `UPDATE consultation_invitees SET response = $3, responded_at = now() WHERE consultation_id = $1 AND account_id = $2`,
      [id, actor.uid, accept ? 'accepted' : 'declined'],
    );
    if (!rowCount) throw new DomainError('forbidden', 'not_invited', '您不在此会商的邀请名单中');
    await tx.query(`UPDATE consultations SET version = version + 1 WHERE id = $1`, [id]);
    await audit(tx, actor, { action: accept ? 'consultation.accept' : 'consultation.decline', target: `consultation:${id}`, ip });
    await enqueue(tx, 'consultation', [id]);
  });
}

/**
 * A decision as a structured item (S11): text, owner, due time, and what it spawns at once — a
 * dispatch of units to an event, or a sub-task for a department — in the same transaction.
 */
export async function addDecision(app: App, actor: StaffActor, id: number, input: DecisionV1Input, ip?: string): Promise<{ decisionId: number; dispatchIds: number[]; replayed: boolean }> {
  // Read before the transaction: the embedded database has one connection, which the transaction holds.
  const ref = await app.reference.get();
  const result = await inTransaction(app.db, async (tx) => {
    const { replay } = await claimRequest<{ decisionId: number; dispatchIds: number[] }>(tx, input.requestKey, actor.uid, 'decision');
    if (replay) return { ...replay, replayed: true };
    const c = await lockConsultation(tx, id);
    inStation(c, actor);
    if (c.state === 'closed') throw new DomainError('conflict', 'closed', '会商已结束');
    const spawn = input.spawn;
    const eventId = spawn.kind === 'none' ? null : spawn.eventId;
    if (eventId !== null) {
      // Locked before the decision row refers to it: a dispatch spawned next locks it again, in the same order as every other.
      const { rows: ev } = await tx.query<{ stationId: number | null; inConsultation: boolean }>(
        `SELECT station_id AS "stationId", EXISTS (SELECT 1 FROM consultation_events ce WHERE ce.consultation_id = $2 AND ce.event_id = e.id) AS "inConsultation"
           FROM events e WHERE e.id = $1 FOR UPDATE`,
        [eventId, id],
      );
      if (!ev[0] || ev[0].stationId !== c.stationId) throw unprocessable('body.spawn.eventId', `事件 ${eventId} 不存在或不属于本站`);
      if (!ev[0].inConsultation && c.kind === 'emergency') throw unprocessable('body.spawn.eventId', `事件 ${eventId} 不在此会商中`);
    }
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO consultation_decisions (consultation_id, text, owner, due_at, spawn, event_id, created_by, created_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [id, input.text, input.owner, input.dueAt, spawn.kind, eventId, actor.uid, actor.name],
    );
    const decisionId = rows[0].id;
    let dispatchIds: number[] = [];
    if (spawn.kind === 'dispatch') dispatchIds = (await dispatchUnits(tx, app, actor, spawn.eventId, spawn.unitIds, decisionId, ip, 'body.spawn.unitIds')).ids;
    if (spawn.kind === 'task') {
      if (!ref.departments.has(spawn.department)) throw unprocessable('body.spawn.department', `未知的部门：${spawn.department}`);
      await tx.query(`INSERT INTO event_tasks (event_id, department_code, note) VALUES ($1, $2, $3) ON CONFLICT (event_id, department_code) DO NOTHING`, [spawn.eventId, spawn.department, input.text]);
    }
    await tx.query(`UPDATE consultations SET version = version + 1 WHERE id = $1`, [id]);
    await audit(tx, actor, { action: 'consultation.decide', target: `consultation:${id}`, detail: { decisionId, text: input.text, owner: input.owner, dueAt: input.dueAt, spawn: spawn.kind, dispatchIds }, ip });
    const out = { decisionId, dispatchIds };
    await enqueue(tx, 'consultation', [id]);
    if (eventId !== null) await enqueue(tx, 'incident', [eventId]);
    await finishRequest(tx, input.requestKey, out);
    return { ...out, replayed: false };
  });
  return { decisionId: result.decisionId, dispatchIds: result.dispatchIds, replayed: result.replayed };
}

/** A regular meeting begins: scheduled → open. */
export async function openMeeting(app: App, actor: StaffActor, id: number, ip?: string): Promise<void> {
  await inTransaction(app.db, async (tx) => {
    const c = await lockConsultation(tx, id);
    inStation(c, actor);
    if (c.state !== 'scheduled') return;
    // The agenda as it stands when the meeting begins (S11: what needs joint handling now).
    const agenda = await agendaFor(tx, c.stationId);
    await tx.query(
      `UPDATE consultations SET state = 'open', started_at = now(), called_by = $2, called_name = $3, agenda = $4, version = version + 1 WHERE id = $1`,
      [id, actor.uid, actor.name, JSON.stringify(agenda)],
    );
    await audit(tx, actor, { action: 'consultation.open', target: `consultation:${id}`, ip });
    await enqueue(tx, 'consultation', [id]);
  });
}

/** Who was there: the listed invitees attended, the rest were absent. */
export async function recordAttendance(app: App, actor: StaffActor, id: number, present: readonly number[], ip?: string): Promise<void> {
  await inTransaction(app.db, async (tx) => {
    const c = await lockConsultation(tx, id);
    inStation(c, actor);
    if (c.state === 'scheduled') throw new DomainError('conflict', 'not_started', '会商尚未开始，开始后再记录出席');
    const { rows } = await tx.query<{ id: number }>(`SELECT id FROM consultation_invitees WHERE consultation_id = $1`, [id]);
    const bad = present.findIndex((p) => !rows.some((r) => r.id === p));
    if (bad >= 0) throw unprocessable(`body.present.${bad}`, `${present[bad]} 不在此会商的邀请名单中`);
    await tx.query(
      `UPDATE consultation_invitees SET response = CASE WHEN id = ANY($2::bigint[]) THEN 'attended' ELSE 'absent' END,
              responded_at = CASE WHEN id = ANY($2::bigint[]) THEN coalesce(responded_at, now()) END
        WHERE consultation_id = $1`,
      [id, present],
    );
    await tx.query(`UPDATE consultations SET version = version + 1 WHERE id = $1`, [id]);
    await audit(tx, actor, { action: 'consultation.attendance', target: `consultation:${id}`, detail: { present }, ip });
    await enqueue(tx, 'consultation', [id]);
  });
}

/** Closing yields the record: the consultation as it stands, printable at /console/consultations/<id>. */
export async function closeConsultation(app: App, actor: StaffActor, id: number, summary: string | undefined, ip?: string): Promise<void> {
  await inTransaction(app.db, async (tx) => {
    const c = await lockConsultation(tx, id);
    inStation(c, actor);
    if (c.state === 'closed') return;
    await tx.query(
      `UPDATE consultations SET state = 'closed', ended_at = now(), started_at = coalesce(started_at, now()), summary = $2, version = version + 1 WHERE id = $1`,
      [id, summary?.trim() || null],
    );
    // Who accepted an emergency call and never declined attended it.
    await tx.query(`UPDATE consultation_invitees SET response = 'attended' WHERE consultation_id = $1 AND response = 'accepted'`, [id]);
    await audit(tx, actor, { action: 'consultation.close', target: `consultation:${id}`, detail: { summary: summary ?? null }, ip });
    await enqueue(tx, 'consultation', [id]);
  });
}
