import { maySeeStation, type Reach } from '@/lib/access/scope';
import type { HistoryDispatch, HistoryIncident, HistoryUnit, InspectionRouteV1 } from '@/lib/contracts/history';
import type { Db } from '../db/pool';
import { args, eventScopeSql } from '../db/scope';
import { isoSql } from '../db/sql';
import { DomainError } from '../errors';

const UNIT = `u.id, u.code, u.name, u.kind, u.is_team AS "isTeam", u.station_id AS "stationId"`;
const outOfScope = () => new DomainError('forbidden', 'out_of_scope', '无权查看这些单位的轨迹');

/**
 * The units a history read is about, by id or as a station's, refused whole when any of them is
 * of a station the viewer may not see (lib/access/scope maySeeStation): a trace is personal data.
 */
export async function unitsAsked(db: Db, reach: Reach, who: { units?: number[]; station?: number }): Promise<HistoryUnit[]> {
  if (who.station !== undefined) {
    if (!maySeeStation(reach, who.station)) throw outOfScope();
    const { rows: st } = await db.query(`SELECT 1 FROM stations WHERE id = $1`, [who.station]);
    if (!st[0]) throw new DomainError('not_found', 'not_found', `工作站 ${who.station} 不存在`);
    const { rows } = await db.query<HistoryUnit>(`SELECT ${UNIT} FROM units u WHERE u.station_id = $1 ORDER BY u.id`, [who.station]);
    return rows;
  }
  const ids = who.units ?? [];
  const { rows } = await db.query<HistoryUnit>(`SELECT ${UNIT} FROM units u WHERE u.id = ANY($1::int[]) ORDER BY u.id`, [ids]);
  if (rows.some((u) => !maySeeStation(reach, u.stationId))) throw outOfScope();
  const missing = ids.filter((id) => !rows.some((u) => u.id === id));
  if (missing.length) throw new DomainError('not_found', 'not_found', `单元不存在：${missing.join('、')}`, [{ path: 'query.units', message: '单元不存在' }]);
  return rows;
}

/** Incidents reported in [from, to) with a place, visible to the viewer (the event rule, so a replay never shows what the list refuses). */
export async function incidentsBetween(db: Db, reach: Reach, uid: number, from: Date, to: Date, station?: number): Promise<HistoryIncident[]> {
  const q = args([from, to]);
  const scope = eventScopeSql(reach, uid, q.arg);
  const { rows } = await db.query<HistoryIncident>(
    `SELECT e.id, e.title, e.category, e.severity, e.state, ${isoSql('e.reported_at')} AS "reportedAt",
            ST_X(e.location) AS lon, ST_Y(e.location) AS lat, e.station_id AS "stationId"
       FROM events e
      WHERE e.reported_at >= $1 AND e.reported_at < $2 AND e.location IS NOT NULL AND ${scope}
        ${station === undefined ? '' : `AND e.station_id = ${q.arg(station)}`}
      ORDER BY e.reported_at, e.id LIMIT 5000`,
    q.args,
  );
  return rows;
}

/** Dispatches running at some time in [from, to), each with its steps, for events the viewer may see. */
export async function dispatchesBetween(db: Db, reach: Reach, uid: number, from: Date, to: Date, station?: number): Promise<HistoryDispatch[]> {
  const q = args([from, to]);
  const scope = eventScopeSql(reach, uid, q.arg);
  const { rows } = await db.query<HistoryDispatch>(
    `SELECT d.id, d.event_id AS "eventId", d.unit_id AS "unitId", u.name AS "unitName", d.state,
            ${isoSql('d.created_at')} AS "createdAt", ${isoSql('d.ended_at')} AS "endedAt",
            CASE WHEN d.origin IS NULL THEN NULL ELSE json_build_object('lon', ST_X(d.origin), 'lat', ST_Y(d.origin)) END AS origin,
            json_build_object('lon', ST_X(e.location), 'lat', ST_Y(e.location)) AS target,
            coalesce((SELECT json_agg(json_build_object('at', ${isoSql('l.at')}, 'step', l.step, 'toState', l.to_state) ORDER BY l.at, l.id)
                        FROM dispatch_log l WHERE l.dispatch_id = d.id), '[]'::json) AS steps
       FROM dispatches d
       JOIN events e ON e.id = d.event_id
       JOIN units u ON u.id = d.unit_id
      WHERE d.created_at < $2 AND (d.ended_at IS NULL OR d.ended_at >= $1) AND e.location IS NOT NULL AND ${scope}
        ${station === undefined ? '' : `AND e.station_id = ${q.arg(station)}`}
      ORDER BY d.created_at, d.id LIMIT 5000`,
    q.args,
  );
  return rows;
}

type Inspection = InspectionRouteV1['inspection'];

/** A joint inspection the viewer may see (its station's), or a 404 / 403. */
export async function inspectionOf(db: Db, reach: Reach, id: number): Promise<Inspection> {
  const { rows } = await db.query<Inspection>(
    `SELECT id, kind, to_char(day, 'YYYY-MM-DD') AS day, area, participants, station_id AS "stationId" FROM inspections WHERE id = $1`,
    [id],
  );
  if (!rows[0]) throw new DomainError('not_found', 'not_found', `巡查 ${id} 不存在`);
  if (!maySeeStation(reach, rows[0].stationId)) throw new DomainError('forbidden', 'out_of_scope', '此巡查不属于您的职责范围');
  return rows[0];
}

/**
 * The units answering to an inspection's participants: participants are names as typed (S10's
 * record), matched to the station's units by their person's name or the unit's own (a team).
 * Only the station's: a namesake in another station is not guessed at.
 */
export async function participantUnits(db: Db, i: Inspection): Promise<{ units: (HistoryUnit & { person: string })[]; unmatched: string[] }> {
  const names = [...new Set(i.participants.map((n) => n.trim()).filter(Boolean))];
  const { rows } = await db.query<HistoryUnit & { person: string }>(
    `SELECT ${UNIT}, coalesce(p.name, u.name) AS person
       FROM units u LEFT JOIN people p ON p.id = u.person_id
      WHERE u.station_id = $1 AND (p.name = ANY($2::text[]) OR u.name = ANY($2::text[]))
      ORDER BY u.id`,
    [i.stationId, names],
  );
  const matched = new Set(rows.flatMap((u) => [u.person, u.name]));
  return { units: rows, unmatched: names.filter((n) => !matched.has(n)) };
}
