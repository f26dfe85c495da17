import type { CommandMessageV1, ConsultationV1 } from '@/lib/contracts/command';
import type { Db, Tx } from '../db/pool';
import { isoSql } from '../db/sql';

const SELECT = `
  SELECT c.id, c.kind, c.station_id AS "stationId", c.title, c.state, c.called_name AS "calledBy",
         ${isoSql('c.scheduled_at')} AS "scheduledAt", ${isoSql('c.started_at')} AS "startedAt", ${isoSql('c.ended_at')} AS "endedAt",
         coalesce((SELECT json_agg(json_build_object('id', e.id, 'title', e.title, 'lon', ST_X(e.location), 'lat', ST_Y(e.location)) ORDER BY e.id)
                     FROM consultation_events ce JOIN events e ON e.id = ce.event_id WHERE ce.consultation_id = c.id), '[]') AS events,
         coalesce((SELECT json_agg(json_build_object('id', i.id, 'accountId', i.account_id, 'name', i.name, 'role', i.role, 'reason', i.reason,
                                                     'department', i.department_code, 'response', i.response,
                                                     'respondedAt', ${isoSql('i.responded_at')}) ORDER BY i.id)
                     FROM consultation_invitees i WHERE i.consultation_id = c.id), '[]') AS invitees,
         coalesce((SELECT json_agg(json_build_object('id', d.id, 'text', d.text, 'owner', d.owner, 'dueAt', ${isoSql('d.due_at')},
                                                     'spawn', d.spawn, 'createdAt', ${isoSql('d.created_at')}, 'createdBy', coalesce(d.created_name, ''),
                                                     'dispatchIds', ARRAY(SELECT x.id FROM dispatches x WHERE x.decision_id = d.id ORDER BY x.id)) ORDER BY d.id)
                     FROM consultation_decisions d WHERE d.consultation_id = c.id), '[]') AS decisions,
         c.agenda, c.summary, c.version
    FROM consultations c`;

export async function readConsultations(db: Db | Tx, ids: readonly number[]): Promise<ConsultationV1[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<ConsultationV1>(`${SELECT} WHERE c.id = ANY($1::bigint[]) ORDER BY c.id`, [ids]);
  return rows;
}

/** Open consultations, and those closed in the last hour (the wall keeps the panel up a while). */
export async function liveConsultations(db: Db, stationId: number | null): Promise<ConsultationV1[]> {
  const { rows } = await db.query<ConsultationV1>(
    `${SELECT} WHERE (c.state = 'open' OR (c.state = 'closed' AND c.kind = 'emergency' AND c.ended_at > now() - interval '1 hour'))
        AND ($1::int IS NULL OR c.station_id = $1) ORDER BY c.id DESC LIMIT 20`,
    [stationId],
  );
  return rows;
}

/** Open consultations this account is invited to, answered or not. */
export async function myInvitations(db: Db, accountId: number): Promise<ConsultationV1[]> {
  const { rows } = await db.query<ConsultationV1>(
    `${SELECT} WHERE c.state = 'open' AND EXISTS (SELECT 1 FROM consultation_invitees i WHERE i.consultation_id = c.id AND i.account_id = $1)
        -- Of one's current station only: a person moved elsewhere keeps no view of the old station's meetings (issue 10).
        AND c.station_id = (SELECT station_id FROM accounts WHERE id = $1)
      ORDER BY c.id`,
    [accountId],
  );
  return rows;
}

/** The messages the outbox publisher sends for these consultations: every wall and console, and the invitees' phones. */
export async function consultationMessages(db: Db | Tx, ids: readonly number[]): Promise<CommandMessageV1[]> {
  return (await readConsultations(db, ids)).map((c) => ({
    type: 'consultation',
    accounts: [...new Set(c.invitees.flatMap((i) => (i.accountId === null ? [] : [i.accountId])))],
    consultation: c,
  }));
}
