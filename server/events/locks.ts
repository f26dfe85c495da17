import type { EventLock } from '@/lib/contracts/events';
import type { AppContext } from '../context';
import { inTransaction } from '../db/pool';
import { DomainError } from '../errors';
import { audit } from '../repo/audit';
import { enqueue } from '../outbox/outbox';
import { LOCK_IDLE } from './live';
import type { StaffActor } from './viewer';
import { isoSql } from '../db/sql';
import { inScope, type ScopeFacts } from '@/lib/events/scope';

/** S7: the executive deputy chief runs day-to-day command, so may take over what someone left open; the chief too (of their own station: the scope check above). */
const MAY_TAKE_OVER = new Set(['deputy_chief', 'station_chief']);

/**
 * Opening an event to act takes a soft lock others see by name (issue 4). Touching it again keeps
 * it; 10 minutes idle and it lapses; a leader may take it over. The lock never blocks reading.
 */
export async function takeLock(app: AppContext, actor: StaffActor, eventId: number, takeover: boolean, ip?: string): Promise<EventLock> {
  const out = await inTransaction(app.db, async (tx) => {
    const { rows } = await tx.query<ScopeFacts & { holder: number | null; holderName: string | null }>(
      `SELECT CASE WHEN e.locked_at > now() - ${LOCK_IDLE} THEN e.locked_by END AS holder,
              (SELECT display_name FROM accounts WHERE id = e.locked_by) AS "holderName",
              e.state, e.station_id AS "stationId", e.department_code AS department, e.reported_by_citizen AS "reportedByCitizen",
              ARRAY(SELECT t.department_code FROM event_tasks t WHERE t.event_id = e.id) AS "taskDepartments"
         FROM events e WHERE id = $1 FOR UPDATE`,
      [eventId],
    );
    // Only those who may act on the event may lock it (issue 10: anyone could, and so block its owners).
    if (!rows[0] || !inScope(actor, rows[0])) throw new DomainError('not_found', 'not_found', `事件 ${eventId} 不存在`);
    const { holder, holderName } = rows[0];
    const fresh = holder !== actor.uid;
    if (holder !== null && holder !== actor.uid) {
      if (!takeover) throw new DomainError('conflict', 'locked', `${holderName ?? '他人'} 正在处理此事件`);
      if (!MAY_TAKE_OVER.has(actor.role)) throw new DomainError('forbidden', 'forbidden', '只有站长、常务副站长可以接管');
    }
    const { rows: locked } = await tx.query<{ at: string }>(
      `UPDATE events SET locked_by = $2, locked_at = now() WHERE id = $1
       RETURNING ${isoSql('locked_at')} AS at`,
      [eventId, actor.uid],
    );
    if (fresh) await enqueue(tx, 'incident', [eventId]);
    if (fresh) await audit(tx, actor, { action: holder !== null ? 'event.lock_takeover' : 'event.lock', target: `event:${eventId}`, detail: holder !== null ? { from: holderName } : undefined, ip });
    return { lock: { accountId: actor.uid, name: actor.name, at: locked[0].at }, fresh };
  });
  return out.lock;
}

export async function releaseLock(app: AppContext, actor: StaffActor, eventId: number, ip?: string): Promise<void> {
  await inTransaction(app.db, async (tx) => {
    const { rowCount } = await tx.query(`UPDATE events SET locked_by = NULL, locked_at = NULL WHERE id = $1 AND locked_by = $2`, [eventId, actor.uid]);
    if (rowCount) await audit(tx, actor, { action: 'event.unlock', target: `event:${eventId}`, ip });
    if (rowCount) await enqueue(tx, 'incident', [eventId]);
  });
}
