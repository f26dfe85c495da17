import type { Reach } from '@/lib/access/scope';
import type { DayRange, KpiCode, KpiEventsV1 } from '@/lib/contracts/kpi';
import type { Db } from '../db/pool';
import { isoSql } from '../db/sql';
import { args, eventScopeSql } from '../db/scope';
import type { Area } from './areas';
import { cohortSql } from './figures';
import { PREDICATES } from './predicates';

export const KPI_EVENTS_PAGE = 200;

/**
 * The events behind a figure (issue 13: every figure on screen can be traced to its events): the
 * figure's own predicate (server/analytics/predicates.ts) over the same cohort, inside the viewer's
 * scope (issue 10). null: the figure is not counted of events (units online, coverage, mediation)
 * or has no such part (a count has no denominator).
 */
export async function eventsBehind(
  db: Db, reach: Reach, uid: number, area: Area, range: DayRange, kpi: KpiCode, part: 'numerator' | 'denominator', offset: number,
): Promise<Pick<KpiEventsV1, 'total' | 'events'> | null> {
  const p = PREDICATES[kpi];
  const predicate = p ? (part === 'numerator' ? p.numerator : p.denominator) : null;
  if (!p || predicate === null) return null;
  const q = args();
  const where = `${cohortSql(area, range, q.arg)} AND ${predicate} AND ${eventScopeSql(reach, uid, q.arg)}`;
  const { rows: count } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events e WHERE ${where}`, q.args);
  const page = args(q.args);
  const { rows } = await db.query<KpiEventsV1['events'][number]>(
    `SELECT e.id::int AS id, e.title, e.category, coalesce(c.label, e.category) AS "categoryLabel", e.state,
            ${isoSql('e.reported_at')} AS "reportedAt", e.grid_code AS "gridCode", e.station_id AS "stationId",
            ${p.hours ?? 'NULL'}::float8 AS hours
       FROM events e LEFT JOIN categories c ON c.code = e.category
      WHERE ${where}
      ORDER BY ${p.hours ? `${p.hours} DESC NULLS LAST,` : ''} e.reported_at DESC, e.id DESC
      LIMIT ${page.arg(KPI_EVENTS_PAGE)} OFFSET ${page.arg(offset)}`,
    page.args,
  );
  return { total: count[0].n, events: rows };
}
