import type { NoticeV1 } from '@/lib/contracts/events';
import type { AppContext } from '../context';
import { inTransaction } from '../db/pool';
import { isoSql } from '../db/sql';
import { forceOf } from './dispatch';
import { enqueue } from '../outbox/outbox';
import { eventPlace, livePositions, rankedFor } from './proposal';

/**
 * A unit that has not acknowledged its dispatch in time is flagged (S12): once, even with several
 * processes (the UPDATE takes each row once), with the next nearest available unit of the same
 * force proposed in its place and a notice to the deputy chief, who reassigns with one click.
 */
export async function escalateDispatches(app: Pick<AppContext, 'db' | 'bus' | 'live'>, now = new Date()): Promise<number[]> {
  const done = await inTransaction(app.db, async (tx) => {
    const { rows } = await tx.query<{ id: number; eventId: number; unitId: number; unitName: string; kind: string; department: string | null; stationId: number; title: string }>(
      `WITH due AS (SELECT id FROM dispatches WHERE state = 'dispatched' AND flagged_at IS NULL AND ack_due_at <= $1
                     ORDER BY ack_due_at LIMIT 200 FOR UPDATE SKIP LOCKED)
       UPDATE dispatches d SET flagged_at = $1, version = d.version + 1 FROM due, units u, events e
        WHERE d.id = due.id AND u.id = d.unit_id AND e.id = d.event_id
       RETURNING d.id, d.event_id AS "eventId", d.unit_id AS "unitId", u.name AS "unitName", u.kind,
                 (SELECT code FROM departments WHERE id = u.department_id) AS department, e.station_id AS "stationId", e.title`,
      [now],
    );
    const notices: NoticeV1[] = [];
    for (const r of rows) {
      const e = await eventPlace(tx, r.eventId);
      const [next] = await rankedFor(tx, e, forceOf(r), livePositions(app));
      const replacement = next ? { unitId: next.unitId, name: next.name, distanceM: next.distanceM, etaS: next.etaS } : null;
      await tx.query(`UPDATE dispatches SET replacement = $2 WHERE id = $1`, [r.id, replacement]);
      const note = replacement ? `建议改派 ${replacement.name}` : '暂无其他可派单位';
      await tx.query(
        `INSERT INTO dispatch_log (dispatch_id, at, actor_name, from_state, to_state, step, note) VALUES ($1, $2, '督办', 'dispatched', 'dispatched', 'flag', $3)`,
        [r.id, now, `${r.unitName} 未在时限内确认；${note}`],
      );
      await tx.query(
        `INSERT INTO audit_log (at, role, action, target, detail) VALUES ($1, 'system', 'dispatch.flag', $2, $3)`,
        [now, `dispatch:${r.id}`, { eventId: r.eventId, unitId: r.unitId, replacement }],
      );
      const { rows: n } = await tx.query<NoticeV1>(
        `INSERT INTO notifications (account_id, kind, event_id, title, body, created_at)
         SELECT a.id, 'dispatch_unacked', $2, $3, $4, $5 FROM accounts a
          WHERE a.station_id = $1 AND NOT a.disabled AND a.role IN ('deputy_chief', 'station_chief')
         ON CONFLICT (account_id, kind, event_id) DO UPDATE SET title = excluded.title, body = excluded.body, created_at = excluded.created_at, read_at = NULL
         RETURNING id, account_id AS "accountId", kind, event_id AS "eventId", title, body, ${isoSql('created_at')} AS "createdAt"`,
        [r.stationId, r.eventId, `派遣未确认：${r.unitName}`, `事件「${r.title}」：${note}`, now],
      );
      notices.push(...n);
    }
    await enqueue(tx, 'dispatch', rows.map((r) => r.id));
    await enqueue(tx, 'notice', notices.map((n) => n.id));
    return rows.map((r) => r.id);
  });
  return done;
}
