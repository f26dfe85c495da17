import type { EventContactV1 } from '@/lib/contracts/citizen';
import { maySeeEvent, reachOf } from '@/lib/access/scope';
import type { AppContext } from '../context';
import { inTransaction } from '../db/pool';
import { DomainError } from '../errors';
import { audit } from '../repo/audit';
import type { Actor } from '../events/viewer';

/**
 * A resident's name and phone for the station's leaders (issue 14, S14; permission
 * readCitizenContacts): only for an event the reader may see — any other answers as one that
 * does not exist — and every read is in the audit log, in the same transaction as the read.
 */
export async function eventContact(app: Pick<AppContext, 'db'>, reader: Actor & { uid: number }, eventId: number, ip: string): Promise<EventContactV1> {
  return inTransaction(app.db, async (tx) => {
    const { rows } = await tx.query<{
      stationId: number | null; department: string | null; reportedBy: number | null; taskDepartments: string[];
      name: string | null; phone: string | null; pin: string | null; code: string | null;
    }>(
      `SELECT e.station_id AS "stationId", e.department_code AS department, e.reported_by AS "reportedBy",
              ARRAY(SELECT t.department_code FROM event_tasks t WHERE t.event_id = e.id) AS "taskDepartments",
              coalesce(cr.name, e.reporter_name) AS name, coalesce(cr.phone, e.reporter_phone) AS phone, cr.pin, cr.code
         FROM events e
         LEFT JOIN LATERAL (SELECT name, phone, pin, code FROM citizen_requests WHERE event_id = e.id ORDER BY id LIMIT 1) cr ON true
        WHERE e.id = $1`,
      [eventId],
    );
    const e = rows[0];
    if (!e || !maySeeEvent(reachOf(reader), reader.uid, e)) throw new DomainError('not_found', 'not_found', `事件 ${eventId} 不存在`);
    await audit(tx, { uid: reader.uid, role: reader.role }, { action: 'citizen.contact', target: `event:${eventId}`, detail: { code: e.code }, ip });
    return { name: e.name, phone: e.phone, pin: e.pin, code: e.code };
  });
}
