import type { AccountabilityEventV1, AccountabilityPersonV1 } from '@/lib/contracts/accountability';
import type { Db, Tx } from '../db/pool';

/*
 * What accountability needs to know of events (issue 15 point 4; S13): whether one was red-carded
 * and whether it ran past its limits, and who handled it — the people a record from a red card or
 * an overdue list proposes to name. Over events aliased `e`.
 */

/** Past a limit: accepted or handled after its limit, or still owing a step whose limit has passed (S12 deadlines). */
export const OVERDUE_SQL = `(coalesce(e.accepted_at > e.accept_due_at, false) OR coalesce(e.handled_at > e.handle_due_at, false)
  OR (e.accepted_at IS NULL AND e.state = 'reported' AND coalesce(e.accept_due_at < now(), false))
  OR (e.handled_at IS NULL AND e.state IN ('accepted', 'assigned', 'coordinated', 'in_progress') AND coalesce(e.handle_due_at < now(), false)))`;

/** Red-carded (S13 supervision): the card it holds now, or a red card logged in an earlier stage. */
export const RED_SQL = `(e.card = 'red' OR EXISTS (SELECT 1 FROM event_log l WHERE l.event_id = e.id AND l.action = 'supervise' AND l.data->>'card' = 'red'))`;

export const EVENT_FIELDS = `e.id::int, e.title, e.state, e.card, to_char(e.reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "reportedAt",
  e.department_code AS "departmentCode", ${OVERDUE_SQL} AS overdue, ${RED_SQL} AS "redCarded"`;

export async function eventFacts(db: Db | Tx, ids: readonly number[]): Promise<(AccountabilityEventV1 & { stationId: number | null })[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<AccountabilityEventV1 & { stationId: number | null }>(
    `SELECT ${EVENT_FIELDS}, e.station_id AS "stationId" FROM events e WHERE e.id = ANY($1::bigint[]) ORDER BY e.reported_at, e.id`,
    [ids],
  );
  return rows;
}

/** The steps whose delay a handler answers for (lib/events/machine.ts). */
const HANDLING_ACTIONS = ['accept', 'assign', 'coordinate', 'reroute', 'start', 'handle', 'answer'];

/**
 * Who handled these events: the people behind the accounts that took their handling steps, and
 * the people of the units dispatched to them; when nobody did, the staff of the department they
 * were routed to in their station (the ones who let them lie).
 */
export async function handlersOf(db: Db | Tx, ids: readonly number[]): Promise<AccountabilityPersonV1[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<AccountabilityPersonV1>(
    `WITH acted AS (
       SELECT a.person_id AS pid, '经办' AS why FROM event_log l JOIN accounts a ON a.id = l.actor_id
        WHERE l.event_id = ANY($1::bigint[]) AND l.action = ANY($2::text[]) AND a.person_id IS NOT NULL
       UNION
       SELECT u.person_id, '派遣处置' FROM dispatches d JOIN units u ON u.id = d.unit_id
        WHERE d.event_id = ANY($1::bigint[]) AND u.person_id IS NOT NULL AND d.state <> 'cancelled'),
     routed AS (
       SELECT DISTINCT r.person_id AS pid, '责任部门派驻人员' AS why FROM events e
         JOIN departments d ON d.code = e.department_code
         JOIN person_roles r ON r.station_id = e.station_id AND r.department_id = d.id AND r.role = 'dept_staff'
        WHERE e.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM acted))
     SELECT p.id::int, p.name, string_agg(DISTINCT x.why, '、') AS why
       FROM (SELECT * FROM acted UNION SELECT * FROM routed) x JOIN people p ON p.id = x.pid
      GROUP BY p.id, p.name ORDER BY p.id LIMIT 50`,
    [ids, HANDLING_ACTIONS],
  );
  return rows;
}
