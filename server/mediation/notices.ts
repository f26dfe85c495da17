import type { NoticeV1 } from '@/lib/contracts/events';
import { caseNumber } from '@/lib/mediation/rules';
import type { AppContext } from '../context';
import { inTransaction } from '../db/pool';
import { isoSql } from '../db/sql';
import { repeat } from '../jobs/repeat';
import { enqueue } from '../outbox/outbox';

/*
 * The station's deputy chief (S7: the executive deputy runs the station's business) is told once
 * of a case past its limit, and once of a follow-up visit that is due. "Once" is the case's own
 * flag, set by the same UPDATE that picks the case, so two processes never both send it.
 */

interface Due { id: number; stationId: number; eventId: number | null; openedAt: Date; kind: 'mediation_overdue' | 'mediation_followup' }

export async function noticeDueCases(app: Pick<AppContext, 'db'>, now = new Date()): Promise<number> {
  return inTransaction(app.db, async (tx) => {
    const { rows } = await tx.query<Due>(
      `WITH overdue AS (
         UPDATE mediation_cases SET overdue_noticed_at = $1
          WHERE state = 'open' AND due_at <= $1 AND overdue_noticed_at IS NULL
          RETURNING id::int, station_id AS "stationId", event_id::int AS "eventId", opened_at AS "openedAt", 'mediation_overdue' AS kind),
       followup AS (
         UPDATE mediation_cases SET followup_noticed_at = $1
          WHERE state = 'closed' AND followup_due_at <= $1 AND followup_at IS NULL AND followup_noticed_at IS NULL
          RETURNING id::int, station_id AS "stationId", event_id::int AS "eventId", opened_at AS "openedAt", 'mediation_followup' AS kind)
       SELECT * FROM overdue UNION ALL SELECT * FROM followup`,
      [now],
    );
    if (rows.length === 0) return 0;
    const notes = rows.map((r) => ({
      ...r,
      title: r.kind === 'mediation_overdue' ? `调解超期：${caseNumber(r.id, new Date(r.openedAt))}` : `调解回访到期：${caseNumber(r.id, new Date(r.openedAt))}`,
      body: r.kind === 'mediation_overdue' ? '调解案件已超过调解期限，仍未结案' : '调解结案已满一个月，请安排回访',
    }));
    const { rows: notices } = await tx.query<NoticeV1>(
      `INSERT INTO notifications (account_id, kind, event_id, title, body, created_at)
       SELECT a.id, r.kind, r."eventId", r.title, r.body, $2
         FROM json_to_recordset($1::json) AS r(kind text, "eventId" bigint, "stationId" int, title text, body text)
         JOIN accounts a ON a.station_id = r."stationId" AND a.role = 'deputy_chief' AND NOT a.disabled
       ON CONFLICT (account_id, kind, event_id) DO NOTHING
       RETURNING id, account_id AS "accountId", kind, event_id AS "eventId", title, body, ${isoSql('created_at')} AS "createdAt"`,
      [JSON.stringify(notes), now],
    );
    await tx.query(
      `INSERT INTO audit_log (at, role, action, target, detail)
       SELECT $2, 'system', 'mediation.notice', 'mediation_case:' || r.id, jsonb_build_object('kind', r.kind)
         FROM json_to_recordset($1::json) AS r(id bigint, kind text)`,
      [JSON.stringify(rows), now],
    );
    await enqueue(tx, 'notice', notices.map((n) => n.id));
    return notices.length;
  });
}

/** Every ten minutes; the list of cases also asks on each read, so a deputy never waits for the tick. */
export function startMediationNotices(app: Pick<AppContext, 'db'>, everyMs = 10 * 60_000): { stop(): Promise<void> } {
  return repeat('mediation-notices', everyMs, () => noticeDueCases(app));
}
