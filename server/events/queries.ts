import { SOURCE_LABEL, type EventDetail, type EventLogStep, type EventSummaryV1, type EventTask } from '@/lib/contracts/events';
import type { EventState } from '@/lib/events/machine';
import { actionsFor } from '@/lib/events/scope';
import { maySeeEvent, reachOf } from '@/lib/access/scope';
import { args as argList, eventScopeSql } from '../db/scope';
import type { Db } from '../db/pool';
import { DomainError } from '../errors';
import { LOCK_IDLE } from './live';
import type { Actor } from './viewer';
import { DONE_SQL, isoSql } from '../db/sql';

type DetailRow = Omit<EventDetail, 'sourceLabel' | 'lock' | 'tasks' | 'log' | 'actions' | 'reporterLabel'> & {
  lockId: number | null;
  lockName: string | null;
  lockAt: string | null;
  reportedBy: number | null;
};

const DETAIL_SELECT = `
  SELECT e.id, e.version, e.source, e.category, coalesce(c.label, e.category) AS "categoryLabel",
         e.subcategory, sc.label AS "subcategoryLabel", e.title, e.description, e.severity, e.state, e.placement, e.address,
         ST_X(e.location) AS lon, ST_Y(e.location) AS lat,
         e.grid_code AS "gridCode", g.name AS "gridName", e.village_code AS "villageCode", v.name AS "villageName",
         t.name AS "townName", e.station_id AS "stationId", s.name AS "stationName",
         e.department_code AS department, d.name AS "departmentName",
         ${isoSql('e.reported_at')} AS "reportedAt", 
         -- S14: a resident's name stays out of the drawer; the station's leaders read it through the audited contact read.
         CASE WHEN e.reported_by_citizen THEN NULL ELSE e.reporter_name END AS "reporterName", e.reported_by_citizen AS "reportedByCitizen",
         -- The tracking code is not here (review H3): with it anyone could rate; the leaders read it through the audited contact read.
         e.kind, e.about_event_id AS "aboutEventId",
         e.photos, ${isoSql('e.deadline_at')} AS "deadlineAt", ${isoSql('e.red_at')} AS "redAt", e.card,
         e.duplicate_of AS "duplicateOf", e.merged_into AS "mergedInto",
         CASE WHEN e.locked_at > now() - ${LOCK_IDLE} THEN e.locked_by END AS "lockId",
         la.display_name AS "lockName", ${isoSql('e.locked_at')} AS "lockAt", e.reported_by AS "reportedBy"
    FROM events e
    LEFT JOIN categories c ON c.code = e.category
    LEFT JOIN categories sc ON sc.code = e.subcategory
    LEFT JOIN regions g ON g.code = e.grid_code
    LEFT JOIN regions v ON v.code = e.village_code
    LEFT JOIN regions t ON t.code = e.town_code
    LEFT JOIN stations s ON s.id = e.station_id
    LEFT JOIN departments d ON d.code = e.department_code
    LEFT JOIN accounts la ON la.id = e.locked_by`;

/**
 * One event with its timeline, sub-tasks, lock and the actions the viewer may take now. An event
 * the viewer may not see answers exactly as one that does not exist (issue 10: ids are sequential).
 */
export async function eventDetail(db: Db, viewer: Actor, id: number): Promise<EventDetail> {
  const { rows } = await db.query<DetailRow>(`${DETAIL_SELECT} WHERE e.id = $1`, [id]);
  const r = rows[0];
  const notFound = () => new DomainError('not_found', 'not_found', `事件 ${id} 不存在`);
  if (!r) throw notFound();
  // The sub-tasks decide whether a department's officer may see it; read once, they also go into the answer.
  const tasks = await db.query<EventTask>(
    `SELECT t.id, t.department_code AS department, coalesce(d.name, t.department_code) AS "departmentName", t.state, ${isoSql('t.done_at')} AS "doneAt"
       FROM event_tasks t LEFT JOIN departments d ON d.code = t.department_code WHERE t.event_id = $1 ORDER BY t.id`,
    [id],
  );
  const taskDepartments = tasks.rows.map((t) => t.department);
  if (viewer.uid !== null && !maySeeEvent(reachOf(viewer), viewer.uid, { ...r, taskDepartments })) throw notFound();
  const log = await db.query<EventLogStep>(
    `SELECT ${isoSql('l.at')} AS at, l.action, l.from_state AS "from", l.to_state AS "to",
            coalesce(l.actor_name, a.display_name) AS "actorName", l.actor_role AS "actorRole", l.note, l.data
       FROM event_log l LEFT JOIN accounts a ON a.id = l.actor_id
      WHERE l.event_id = $1 ORDER BY l.at, l.id`,
    [id],
  );
  const { lockId, lockName, lockAt, reportedBy, ...rest } = r;
  void reportedBy;
  const facts = { ...rest, taskDepartments };
  return {
    ...rest,
    sourceLabel: (SOURCE_LABEL as Record<string, string>)[r.source] ?? r.source,
    reporterLabel: r.reportedByCitizen ? '群众' : null,
    lock: lockId !== null && lockAt ? { accountId: lockId, name: lockName ?? '', at: lockAt } : null,
    tasks: tasks.rows,
    log: log.rows,
    actions: actionsFor(viewer, facts),
  };
}

export type EventSummary = EventSummaryV1 & { state: EventState };

/**
 * The field page's list. `mine`: for a gridder, what they reported and what waits for their
 * verification in their station (S12); for department staff, what was routed to their department;
 * for leaders, their station's open events.
 */
export async function listEvents(db: Db, viewer: Actor, scope: 'mine' | 'station', state: EventState | undefined, limit: number): Promise<EventSummary[]> {
  const where: string[] = [];
  const { args, arg } = argList();
  // Whatever is asked for, only what the scope rule lets the viewer see.
  where.push(eventScopeSql(reachOf(viewer), viewer.uid ?? 0, arg));
  if (state) where.push(`e.state = ${arg(state)}`);
  if (scope === 'station' || viewer.role === 'station_chief' || viewer.role === 'deputy_chief') {
    where.push(`e.station_id = ${arg(viewer.stationId)}`);
    if (!state) where.push(`e.state NOT IN ${DONE_SQL}`);
  } else if (viewer.role === 'dept_staff') {
    const dep = arg(viewer.department);
    where.push(`(e.department_code = ${dep} OR EXISTS (SELECT 1 FROM event_tasks t WHERE t.event_id = e.id AND t.department_code = ${dep}))`);
    if (!state) where.push(`e.state NOT IN ${DONE_SQL}`);
  } else {
    const uid = arg(viewer.uid);
    const verify = viewer.role === 'gridder_full' ? `OR (e.state = 'handled' AND e.station_id = ${arg(viewer.stationId)})` : '';
    // A village cadre: what was 交办 to their village as co-handler (S12).
    const village = viewer.role === 'village_cadre'
      ? `OR (e.village_code IN (SELECT r.grid_code FROM person_roles r JOIN accounts a ON a.person_id = r.person_id WHERE a.id = ${uid} AND r.role = 'village_cadre')
             AND EXISTS (SELECT 1 FROM event_log l WHERE l.event_id = e.id AND l.action = 'assign' AND l.data ? 'village'))`
      : '';
    where.push(`(e.reported_by = ${uid} ${verify} ${village})`);
    if (!state) where.push(`(e.state NOT IN ${DONE_SQL} OR e.updated_at > now() - interval '3 days')`);
  }
  const { rows } = await db.query<EventSummary>(
    `SELECT e.id, e.title, e.category, coalesce(c.label, e.category) AS "categoryLabel", e.state, e.severity, e.card,
            ${isoSql('e.reported_at')} AS "reportedAt", ${isoSql('e.deadline_at')} AS "deadlineAt", v.name AS "villageName",
            e.department_code AS department, ST_X(e.location) AS lon, ST_Y(e.location) AS lat
       FROM events e LEFT JOIN categories c ON c.code = e.category LEFT JOIN regions v ON v.code = e.village_code
      WHERE ${where.join(' AND ')}
      ORDER BY (e.state = 'handled') DESC, e.deadline_at NULLS LAST, e.reported_at DESC
      LIMIT ${arg(limit)}`,
    args,
  );
  return rows;
}

