import type { AcknowledgeInput, ConvertInput, WarningV1 } from '@/lib/contracts/warnings';
import { DISTRICT_ROLES } from '@/lib/roles';
import { shanghaiDay } from '@/lib/time/workdays';
import type { Session } from '../auth/session';
import { agendaFor, scheduleMeetings } from '../command/meetings';
import { claimRequest, finishRequest } from '../command/requests';
import type { AppContext } from '../context';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { DomainError } from '../errors';
import { enqueue } from '../outbox/outbox';
import { audit } from '../repo/audit';
import { warningsById } from './read';

type App = Pick<AppContext, 'db' | 'reference'>;
/** A joint inspection made from a warning is due within this many days (S10's monthly rhythm is too slow for a warning). */
const INSPECTION_DUE_DAYS = 7;

interface Locked {
  id: number;
  stationId: number | null;
  state: string;
  title: string;
  gridName: string | null;
}

const notFound = (id: number) => new DomainError('not_found', 'not_found', `预警 ${id} 不存在`);

/**
 * Who may act (issue 13): the district's leader and operator on any warning; a station's chief
 * and deputy chief on their station's (S7: the deputy runs the station day to day), 403 on another
 * station's. A district-wide warning has no station to act for it, so only the district acts on it.
 */
async function lockFor(tx: Tx | Db, session: Session, id: number, lock = true): Promise<Locked> {
  const { rows } = await tx.query<Locked>(
    `SELECT w.id::int AS id, w.station_id AS "stationId", w.state, w.title, g.name AS "gridName"
       FROM warnings w LEFT JOIN regions g ON g.code = w.grid_code WHERE w.id = $1 ${lock ? 'FOR UPDATE OF w' : ''}`,
    [id],
  );
  const w = rows[0];
  // Another station's warning is not there for this caller (as GET answers): 404, so ids tell nothing.
  if (!w || (!DISTRICT_ROLES.includes(session.role) && w.stationId !== null && w.stationId !== session.stationId)) throw notFound(id);
  if (!DISTRICT_ROLES.includes(session.role) && w.stationId === null) throw new DomainError('forbidden', 'out_of_scope', '全区预警由区级处置');
  return w;
}

/** The same check before the body is read: who may not act hears 403/404, not a complaint about the body. */
export async function checkMayAct(db: Db, session: Session, id: number): Promise<void> {
  await lockFor(db, session, id, false);
}

/** A retry answers as the first time; the same key on another warning is a mistake, not a retry. */
function sameWarning(replay: { id: number }, id: number): void {
  if (replay.id !== id)
    throw new DomainError('conflict', 'request_key_reused', '请求编号已用于另一条预警', [{ path: 'body.requestKey', message: '每次操作须使用新的请求编号' }]);
}

async function current(app: App, id: number): Promise<WarningV1> {
  const [w] = await warningsById(app.db, [id]);
  return w;
}

/** 签收: open → acknowledged. The same requestKey again answers as the first time. */
export async function acknowledgeWarning(app: App, session: Session, id: number, input: AcknowledgeInput, ip?: string): Promise<WarningV1> {
  await inTransaction(app.db, async (tx) => {
    const w = await lockFor(tx, session, id);
    const { replay } = await claimRequest<{ id: number }>(tx, input.requestKey, session.uid, 'warning.acknowledge');
    if (replay) return sameWarning(replay, id);
    if (w.state !== 'open') throw new DomainError('conflict', 'not_open', w.state === 'cleared' ? '预警已消除' : '预警已签收');
    await tx.query(
      `UPDATE warnings SET state = 'acknowledged', acknowledged_by = $2, acknowledged_by_name = $3, acknowledged_at = now(),
              updated_at = now(), version = version + 1 WHERE id = $1`,
      [id, session.uid, session.name],
    );
    await audit(tx, session, { action: 'warning.acknowledge', target: `warning:${id}`, ip });
    await enqueue(tx, 'warning', [id]);
    await finishRequest(tx, input.requestKey, { id });
  });
  return current(app, id);
}

/** The station's next consultation: the earliest regular meeting still to come, else one under way. */
async function nextConsultation(tx: Tx, stationId: number): Promise<number | null> {
  const { rows } = await tx.query<{ id: number }>(
    `SELECT id::int AS id FROM consultations
      WHERE station_id = $1 AND ((state = 'scheduled' AND scheduled_at > now()) OR state = 'open')
      ORDER BY (state = 'scheduled') DESC, scheduled_at, id LIMIT 1 FOR UPDATE`,
    [stationId],
  );
  return rows[0]?.id ?? null;
}

function monthAfter(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * 转会商议题 / 转联合巡查 (S11, S10): an agenda item of the station's next consultation (its agenda
 * recomputed now and pushed, agendaFor includes the warnings converted to it), or a joint
 * inspection task. Acknowledges too. The same requestKey again answers as the first time.
 */
export async function convertWarning(app: App, session: Session, id: number, input: ConvertInput, ip?: string): Promise<WarningV1> {
  if (input.to === 'consultation') {
    // No meeting ahead: this month's and next month's regular ones are scheduled first (idempotent, their own transaction).
    const { rows } = await app.db.query<{ stationId: number | null; has: boolean }>(
      `SELECT w.station_id AS "stationId", EXISTS (SELECT 1 FROM consultations c WHERE c.station_id = w.station_id
                AND ((c.state = 'scheduled' AND c.scheduled_at > now()) OR c.state = 'open')) AS has
         FROM warnings w WHERE w.id = $1`,
      [id],
    );
    const stationId = rows[0]?.stationId;
    if (stationId != null && !rows[0].has) {
      const month = shanghaiDay(new Date()).slice(0, 7);
      await scheduleMeetings(app, month, [stationId]);
      await scheduleMeetings(app, monthAfter(month), [stationId]);
    }
  }
  await inTransaction(app.db, async (tx) => {
    const w = await lockFor(tx, session, id);
    const { replay } = await claimRequest<{ id: number }>(tx, input.requestKey, session.uid, 'warning.convert');
    if (replay) return sameWarning(replay, id);
    if (w.state === 'converted') throw new DomainError('conflict', 'converted', '预警已转办');
    if (w.state === 'cleared') throw new DomainError('conflict', 'cleared', '预警已消除');
    let target: number;
    if (input.to === 'consultation') {
      if (w.stationId === null)
        throw new DomainError('unprocessable', 'no_station', '全区预警没有所属工作站，不能转为会商议题', [{ path: 'body.to', message: '请改为联合巡查' }]);
      const c = await nextConsultation(tx, w.stationId);
      if (c === null) throw new DomainError('conflict', 'no_meeting', '本站没有待开的会商，且无法安排例会');
      target = c;
    } else {
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO inspection_tasks (station_id, warning_id, title, area, note, due_on, created_by)
         VALUES ($1, $2, $3, $4, $5, (now() AT TIME ZONE 'Asia/Shanghai')::date + $6::int, $7) RETURNING id::int AS id`,
        [w.stationId, id, `联合巡查：${w.title}`, w.gridName ?? w.title, input.note ?? null, INSPECTION_DUE_DAYS, session.uid],
      );
      target = rows[0].id;
    }
    await tx.query(
      `UPDATE warnings SET state = 'converted', converted_kind = $2, converted_id = $3, converted_at = now(),
              acknowledged_by = coalesce(acknowledged_by, $4), acknowledged_by_name = coalesce(acknowledged_by_name, $5),
              acknowledged_at = coalesce(acknowledged_at, now()), updated_at = now(), version = version + 1
        WHERE id = $1`,
      [id, input.to, target, session.uid, session.name],
    );
    if (input.to === 'consultation') {
      // A meeting not yet held takes the agenda as it now stands; one under way keeps the agenda it
      // opened with (consult.ts) and gets this item added at its end.
      const agenda = await agendaFor(tx, w.stationId!);
      const item = agenda.filter((a) => a.kind === 'warning' && a.label === `预警：${w.title}`).slice(0, 1);
      await tx.query(
        `UPDATE consultations SET agenda = CASE WHEN state = 'open' THEN agenda || $3::jsonb ELSE $2::jsonb END, version = version + 1 WHERE id = $1`,
        [target, JSON.stringify(agenda), JSON.stringify(item)],
      );
      await enqueue(tx, 'consultation', [target]);
    }
    await audit(tx, session, { action: 'warning.convert', target: `warning:${id}`, detail: { to: input.to, id: target, note: input.note ?? null }, ip });
    await enqueue(tx, 'warning', [id]);
    await finishRequest(tx, input.requestKey, { id });
  });
  return current(app, id);
}
