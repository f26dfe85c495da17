import type { EventActionV1, NoticeV1 } from '@/lib/contracts/events';
import type { IncidentSeverity } from '@/lib/contracts/live';
import { resolveLimits, stageDeadlines } from '@/lib/events/deadlines';
import { decide, FINAL_STATES, type EventKind, type EventState } from '@/lib/events/machine';
import { inScope } from '@/lib/events/scope';
import { maySeeEvent, reachOf } from '@/lib/access/scope';
import type { AppContext } from '../context';
import { inTransaction, type Tx } from '../db/pool';
import { DomainError } from '../errors';
import { audit } from '../repo/audit';
import { UPLOADED_BY } from '../photos/store';
import { isoSql } from '../db/sql';
import { enqueue } from '../outbox/outbox';
import { LOCK_IDLE } from './live';
import type { Actor } from './viewer';

/**
 * Accepting and starting leave the actor at work on the event, so they keep its soft lock; every
 * other step hands it to someone else (a department, the verifying gridder) and releases it.
 */
const KEEPS_LOCK: ReadonlySet<string> = new Set(['accept', 'start']);

interface Locked {
  id: number;
  state: EventState;
  stationId: number | null;
  department: string | null;
  category: string;
  subcategory: string | null;
  severity: IncidentSeverity;
  reportedByCitizen: boolean;
  kind: EventKind;
  acceptedAt: Date | null;
  acceptDue: Date | null;
  acceptRed: Date | null;
  handleDue: Date | null;
  handleRed: Date | null;
  lockHolder: number | null;
  lockHolderName: string | null;
  taskDepartments: string[];
  reportedBy: number | null;
  villageCode: string | null;
}

const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
const unprocessable = (path: string, message: string) => new DomainError('unprocessable', 'invalid_reference', message, [{ path, message }]);

export interface ActResult {
  id: number;
  state: EventState;
  replayed: boolean;
}

/**
 * Takes one step on an event for `actor`: the pure machine (lib/events/machine) decides, the
 * scope (lib/events/scope) limits it to the actor's station or department, the soft lock of
 * someone else refuses it. The row is locked FOR UPDATE, so two clicks cannot both succeed; a
 * retried request key returns the first result. Committed with its log step and audit entry,
 * then published.
 */
export async function act(app: Pick<AppContext, 'db' | 'bus' | 'reference'>, actor: Actor, eventId: number, input: EventActionV1, ip?: string): Promise<ActResult> {
  const ref = await app.reference.get();
  const result = await inTransaction(app.db, async (tx) => {
    const e = await lockRow(tx, eventId);
    // An event the actor may not see answers as one that does not exist, request key or not (issue 10).
    if (actor.uid !== null && !maySeeEvent(reachOf(actor), actor.uid, { ...e, reportedBy: e.reportedBy }))
      throw new DomainError('not_found', 'not_found', `事件 ${eventId} 不存在`);
    if (input.requestKey) {
      const { rows } = await tx.query<{ to_state: EventState }>(
        `SELECT to_state FROM event_log WHERE event_id = $1 AND request_key = $2`,
        [eventId, input.requestKey],
      );
      if (rows[0]) return { id: eventId, state: e.state, replayed: true };
    }
    // Scope first: someone outside it learns nothing, not even who holds the lock.
    if (!inScope(actor, e)) throw new DomainError('forbidden', 'out_of_scope', '此事件不在您的职责范围内');
    if (e.lockHolder !== null && e.lockHolder !== actor.uid)
      throw conflict('locked', `${e.lockHolderName ?? '他人'} 正在处理此事件`);
    const d = decide(e, input.action, actor.role, input.note);
    if (!d.ok) throw conflict('invalid_transition', d.reason);

    const set: Record<string, unknown> = {};
    const data: Record<string, unknown> = {};
    const also: number[] = [];
    switch (input.action) {
      case 'accept': {
        const now = new Date();
        const limits = resolveLimits(ref.limits, e);
        const h = stageDeadlines('handle', now, limits, ref.calendar);
        Object.assign(set, { accepted_at: now, handle_due_at: h.due, handle_red_at: h.red, deadline_at: h.due, red_at: h.red, card: 'none' });
        break;
      }
      case 'assign':
      case 'reroute': {
        if (!ref.departments.has(input.department)) throw unprocessable('body.department', `未知的部门：${input.department}`);
        if (input.action === 'reroute' && input.department === e.department) throw unprocessable('body.department', '改派须选择另一个部门');
        set.department_code = input.department;
        data.department = input.department;
        data.from = e.department;
        if (input.action === 'assign' && input.village) {
          if (!e.villageCode) throw unprocessable('body.village', '事件没有所在村（社区），不能交办村社');
          data.village = e.villageCode;
        }
        break;
      }
      case 'coordinate': {
        const bad = input.departments.findIndex((d) => !ref.departments.has(d));
        if (bad >= 0) throw unprocessable(`body.departments.${bad}`, `未知的部门：${input.departments[bad]}`);
        for (const dep of new Set(input.departments))
          await tx.query(`INSERT INTO event_tasks (event_id, department_code) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [eventId, dep]);
        data.departments = input.departments;
        break;
      }
      case 'merge': {
        if (input.into === eventId) throw unprocessable('body.into', '不能合并到自身');
        // Only into an event of the same station (issue 10: merging into another station's event hid this one from its own station).
        const { rows } = await tx.query<{ state: EventState }>(
          `SELECT state FROM events WHERE id = $1 AND station_id IS NOT DISTINCT FROM $2`,
          [input.into, e.stationId],
        );
        if (!rows[0] || FINAL_STATES.includes(rows[0].state)) throw unprocessable('body.into', `事件 ${input.into} 不存在、已结束或不属于本站`);
        Object.assign(set, { merged_into: input.into, deadline_at: null, red_at: null });
        data.into = input.into;
        also.push(input.into);
        break;
      }
      case 'return':
        Object.assign(set, { deadline_at: null, red_at: null });
        break;
      case 'handle':
        Object.assign(set, { handled_at: new Date(), deadline_at: null, red_at: null, card: 'none' });
        data.photos = input.photos;
        break;
      case 'verify_pass':
        Object.assign(set, { closed_at: new Date() });
        data.photos = input.photos;
        break;
      case 'verify_fail':
        // Back to work on the same clock: a failed check does not buy time.
        Object.assign(set, { deadline_at: e.handleDue, red_at: e.handleRed });
        data.photos = input.photos;
        break;
      case 'answer': {
        // 答复 (issue 14): the answer closes it; nothing to verify on site, so no card can follow.
        const now = new Date();
        Object.assign(set, { handled_at: now, closed_at: now, deadline_at: null, red_at: null, card: 'none' });
        // Answered straight from 上报: answering is accepting, and it is on time when within the acceptance limit.
        if (e.state === 'reported') Object.assign(set, { accepted_at: now, handle_due_at: e.acceptDue, handle_red_at: e.acceptRed });
        break;
      }
      case 'start':
        break;
    }
    if ('photos' in input && input.photos.length) await checkPhotos(tx, input.photos, actor.uid);

    const cols = Object.keys(set);
    const handsOff = KEEPS_LOCK.has(input.action) ? 'false' : 'true';
    await tx.query(
      `UPDATE events SET state = $2, version = version + 1, updated_at = now(),
              locked_by = CASE WHEN $3::int IS NULL THEN locked_by WHEN ${handsOff} THEN NULL ELSE $3 END,
              locked_at = CASE WHEN $3::int IS NULL THEN locked_at WHEN ${handsOff} THEN NULL ELSE now() END
         ${cols.map((c, i) => `, ${c} = $${i + 4}`).join('')}
       WHERE id = $1`,
      [eventId, d.to, actor.uid, ...cols.map((c) => set[c])],
    );
    await tx.query(
      `INSERT INTO event_log (event_id, actor_id, actor_role, actor_name, from_state, to_state, action, note, data, request_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [eventId, actor.uid, actor.role, actor.name, e.state, d.to, input.action, input.note?.trim() || null,
        Object.keys(data).length ? data : null, input.requestKey ?? null],
    );
    await audit(tx, { uid: actor.uid ?? 0, role: actor.role }, { action: `event.${input.action}`, target: `event:${eventId}`, detail: { from: e.state, to: d.to, ...data }, ip });
    const notices = typeof data.village === 'string' ? await noticeVillage(tx, eventId, data.village) : [];
    await enqueue(tx, 'incident', [eventId, ...also]);
    await enqueue(tx, 'notice', notices.map((n) => n.id));
    return { id: eventId, state: d.to, replayed: false };
  });
  return { id: result.id, state: result.state, replayed: result.replayed };
}

/**
 * S12: a general problem goes to the stationed department and the local village. The village's
 * cadres (村（社区）干部, bound to the village in the roster) are told, on the phone and in notices.
 */
async function noticeVillage(tx: Tx, eventId: number, village: string): Promise<NoticeV1[]> {
  const { rows } = await tx.query<NoticeV1>(
    `INSERT INTO notifications (account_id, kind, event_id, title, body)
     SELECT DISTINCT a.id, 'village_task', e.id, '交办村社协同：' || e.title, '事件 #' || e.id || ' 已交办部门，并由本村（社区）协同处置'
       FROM person_roles r JOIN accounts a ON a.person_id = r.person_id AND NOT a.disabled AND a.role = 'village_cadre'
       JOIN events e ON e.id = $1
      WHERE r.role = 'village_cadre' AND r.grid_code = $2 AND r.station_id = e.station_id
     ON CONFLICT (account_id, kind, event_id) DO NOTHING
     RETURNING id, account_id AS "accountId", kind, event_id AS "eventId", title, body, ${isoSql('created_at')} AS "createdAt"`,
    [eventId, village],
  );
  return rows;
}

async function lockRow(tx: Tx, id: number): Promise<Locked> {
  const { rows } = await tx.query<Locked>(
    `SELECT e.id, e.state, e.station_id AS "stationId", e.department_code AS department, e.category, e.subcategory, e.severity,
            e.reported_by_citizen AS "reportedByCitizen", e.kind, e.accepted_at AS "acceptedAt",
            e.accept_due_at AS "acceptDue", e.accept_red_at AS "acceptRed",
            e.handle_due_at AS "handleDue", e.handle_red_at AS "handleRed",
            CASE WHEN e.locked_at > now() - ${LOCK_IDLE} THEN e.locked_by END AS "lockHolder",
            (SELECT display_name FROM accounts WHERE id = e.locked_by) AS "lockHolderName",
            ARRAY(SELECT department_code FROM event_tasks t WHERE t.event_id = e.id) AS "taskDepartments", e.reported_by AS "reportedBy",
            e.village_code AS "villageCode"
       FROM events e WHERE e.id = $1 FOR UPDATE OF e`,
    [id],
  );
  if (!rows[0]) throw new DomainError('not_found', 'not_found', `事件 ${id} 不存在`);
  return rows[0];
}

/** A step's photos must be the actor's own uploads (the simulator, uid null, attaches none of anyone's). */
async function checkPhotos(tx: Tx, ids: string[], uid: number | null): Promise<void> {
  const { rows } = await tx.query<{ id: string }>(`SELECT p.id FROM photos p WHERE p.id = ANY($1::text[]) AND ${UPLOADED_BY('p.id', '$2', 'NULL')}`, [ids, uid]);
  const missing = ids.findIndex((p) => !rows.some((x) => x.id === p));
  if (missing >= 0) throw unprocessable(`body.photos.${missing}`, '照片未上传或编号有误');
}
