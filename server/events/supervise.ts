import type { Card, NoticeV1 } from '@/lib/contracts/events';
import type { AppContext } from '../context';
import { inTransaction } from '../db/pool';
import { enqueue } from '../outbox/outbox';
import { LOCK_IDLE } from './live';
import { HANDLED_SQL, isoSql } from '../db/sql';
import { escalateDispatches } from '../command/escalate';
import { repeat } from '../jobs/repeat';

const BATCH = 500;

/**
 * S13 supervision (督办). Cards come from stored deadlines compared with the clock, so a restart
 * loses nothing: whatever passed its limit while the server was down is carded on the first run.
 * Raising a card is an UPDATE … WHERE the card is lower, so of several processes exactly one
 * raises each card, logs it and sends its notices (yellow: the deputy chief; red: the chief too).
 * Lapsed soft locks are cleared and published so every screen stops showing them.
 */
export async function superviseOnce(app: AppContext, now = new Date()): Promise<{ carded: number; unlocked: number }> {
  const carded = await inTransaction(app.db, async (tx) => {
    const { rows } = await tx.query<{ id: number; card: Card; state: string; stationId: number | null; title: string }>(
      `WITH due AS (
         SELECT id, CASE WHEN red_at <= $1 THEN 'red' ELSE 'yellow' END AS card
           FROM events
          WHERE deadline_at <= $1 AND state NOT IN ${HANDLED_SQL}
            AND card <> 'red' AND (card = 'none' OR red_at <= $1)
          ORDER BY deadline_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
       UPDATE events e SET card = due.card FROM due WHERE e.id = due.id AND e.card <> due.card
       RETURNING e.id, e.card, e.state, e.station_id AS "stationId", e.title`,
      [now],
    );
    if (rows.length === 0) return { ids: [] as number[], notices: [] as NoticeV1[] };
    await tx.query(
      `INSERT INTO event_log (event_id, at, actor_role, actor_name, from_state, to_state, action, note, data)
       SELECT id, $2, 'system', '督办', state, state, 'supervise', note, jsonb_build_object('card', card)
         FROM json_to_recordset($1::json) AS r(id bigint, state text, card text, note text)`,
      [JSON.stringify(rows.map((r) => ({ ...r, note: r.card === 'red' ? '红牌督办：已超过红牌时限' : '黄牌督办：已超过办理时限' }))), now],
    );
    const { rows: notices } = await tx.query<NoticeV1>(
      `INSERT INTO notifications (account_id, kind, event_id, title, body, created_at)
       SELECT a.id, r.card || '_card', r.id, (CASE r.card WHEN 'red' THEN '红牌督办' ELSE '黄牌督办' END) || '：' || r.title,
              '事件 #' || r.id || ' 已超过时限', $2
         FROM json_to_recordset($1::json) AS r(id bigint, card text, "stationId" int, title text)
         JOIN accounts a ON a.station_id = r."stationId" AND NOT a.disabled
              AND (a.role = 'deputy_chief' OR (r.card = 'red' AND a.role = 'station_chief'))
       ON CONFLICT (account_id, kind, event_id) DO NOTHING
       RETURNING id, account_id AS "accountId", kind, event_id AS "eventId", title, body,
                 ${isoSql('created_at')} AS "createdAt"`,
      [JSON.stringify(rows), now],
    );
    await tx.query(
      `INSERT INTO audit_log (at, role, action, target, detail)
       SELECT $2, 'system', 'event.supervise', 'event:' || r.id, jsonb_build_object('card', r.card)
         FROM json_to_recordset($1::json) AS r(id bigint, card text)`,
      [JSON.stringify(rows), now],
    );
    await enqueue(tx, 'incident', rows.map((r) => r.id));
    await enqueue(tx, 'notice', notices.map((n) => n.id));
    return { ids: rows.map((r) => r.id) };
  });

  const lapsed = await inTransaction(app.db, async (tx) => {
    const { rows } = await tx.query<{ id: number }>(
      `UPDATE events SET locked_by = NULL, locked_at = NULL
        WHERE id IN (SELECT id FROM events WHERE locked_by IS NOT NULL AND locked_at <= now() - ${LOCK_IDLE} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
        RETURNING id`,
    );
    await enqueue(tx, 'incident', rows.map((r) => r.id));
    return rows;
  });
  return { carded: carded.ids.length, unlocked: lapsed.length };
}

/** Runs supervision (cards, lapsed locks, unacknowledged dispatches) every `everyMs`; one run at a time per process. */
export function startSupervision(app: AppContext, everyMs = 15_000): { stop(): Promise<void> } {
  return repeat('supervise', everyMs, async () => {
    await superviseOnce(app).catch((err: Error) => console.error('[supervise]', err.message));
    await escalateDispatches(app);
  });
}
