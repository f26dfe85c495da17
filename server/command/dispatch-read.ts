import type { CommandMessageV1, DispatchV1 } from '@/lib/contracts/command';
import type { Db, Tx } from '../db/pool';
import { isoSql } from '../db/sql';
import { onDutySql } from './duty';

export const ACTIVE_DISPATCH_SQL = `('dispatched', 'acknowledged', 'en_route', 'on_scene')`;

/**
 * The accounts that answer for unit `u` (SQL, an array): its own person's, or for a team (no
 * person: a patrol car, an enforcement squad) the staff of its department at its station.
 */
export const UNIT_ACCOUNTS = `ARRAY(
  SELECT a.id FROM accounts a
   WHERE NOT a.disabled
     AND (a.person_id = u.person_id
          OR (u.person_id IS NULL AND a.person_id IN (
                SELECT r.person_id FROM person_roles r
                 WHERE r.role = 'dept_staff' AND r.station_id = u.station_id AND r.department_id = u.department_id
                   AND ${onDutySql('u.station_id', 'u.department_id', 'r.person_id')}))))`;

type Row = DispatchV1 & { accounts: number[] };

const SELECT = `
  SELECT d.id, d.event_id AS "eventId", e.title AS "eventTitle", e.station_id AS "stationId",
         d.unit_id AS "unitId", u.code AS "unitCode", u.name AS "unitName", u.kind AS "unitKind", dep.code AS department,
         d.state,
         CASE WHEN d.origin IS NULL THEN NULL ELSE json_build_object('lon', ST_X(d.origin), 'lat', ST_Y(d.origin)) END AS origin,
         json_build_object('lon', ST_X(e.location), 'lat', ST_Y(e.location)) AS target,
         d.distance_m AS "distanceM", d.eta_s AS "etaS",
         ${isoSql('d.created_at')} AS "createdAt", coalesce(d.created_name, '') AS "createdBy", ${isoSql('d.ack_due_at')} AS "ackDueAt",
         ${isoSql('d.acknowledged_at')} AS "acknowledgedAt", ${isoSql('d.en_route_at')} AS "enRouteAt",
         ${isoSql('d.on_scene_at')} AS "onSceneAt", ${isoSql('d.ended_at')} AS "endedAt", ${isoSql('d.flagged_at')} AS "flaggedAt",
         d.replacement, d.decision_id AS "decisionId", d.version,
         ${UNIT_ACCOUNTS} AS accounts
    FROM dispatches d
    JOIN events e ON e.id = d.event_id
    JOIN units u ON u.id = d.unit_id
    LEFT JOIN departments dep ON dep.id = u.department_id`;

/** Recipients stay on the server; screens get the dispatch. */
function strip(r: Row): DispatchV1 {
  const { accounts, ...d } = r;
  void accounts;
  return d;
}

export async function readDispatches(db: Db | Tx, ids: readonly number[]): Promise<DispatchV1[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<Row>(`${SELECT} WHERE d.id = ANY($1::bigint[]) ORDER BY d.id`, [ids]);
  return rows.map(strip);
}

/** Active dispatches and those ended in the last hour (the wall shows a cleared unit for a while). */
export async function liveDispatches(db: Db, stationId: number | null): Promise<DispatchV1[]> {
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE (d.state IN ${ACTIVE_DISPATCH_SQL} OR d.ended_at > now() - interval '1 hour')
        AND ($1::int IS NULL OR e.station_id = $1) ORDER BY d.id DESC LIMIT 500`,
    [stationId],
  );
  return rows.map(strip);
}

/** The active dispatches of the units this account answers for. */
export async function myDispatches(db: Db, accountId: number): Promise<DispatchV1[]> {
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE d.state IN ${ACTIVE_DISPATCH_SQL} AND $1 = ANY(${UNIT_ACCOUNTS}) ORDER BY d.id`,
    [accountId],
  );
  return rows.map(strip);
}

/** The messages the outbox publisher sends for these dispatches: every wall and console, and the unit's own phone. */
export async function dispatchMessages(db: Db | Tx, ids: readonly number[]): Promise<CommandMessageV1[]> {
  if (!ids.length) return [];
  const { rows } = await db.query<Row>(`${SELECT} WHERE d.id = ANY($1::bigint[]) ORDER BY d.id`, [ids]);
  return rows.map((r) => ({ type: 'dispatch', accounts: r.accounts, dispatch: strip(r) }));
}
