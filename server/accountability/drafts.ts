import type { AccountabilityDraftV1 } from '@/lib/contracts/accountability';
import { instantsOfPeriod, parsePeriod } from '@/lib/assessment/periods';
import type { Db } from '../db/pool';
import { DomainError } from '../errors';
import { EVENT_FIELDS, handlersOf, OVERDUE_SQL } from './events';

/*
 * What the create form starts from (issue 15 point 4, S13): a red-carded event's station,
 * department and handlers, or a station's events that ran past their limits in a period with
 * their handlers. Nothing is written here; the district reads the draft, edits it and creates.
 */

const MAX_EVENTS = 200;

async function stationName(db: Db, stationId: number): Promise<string | null> {
  const { rows } = await db.query<{ name: string }>(`SELECT name FROM stations WHERE id = $1`, [stationId]);
  return rows[0]?.name ?? null;
}

/** From a red card: the event must have been carded red. */
export async function redCardDraft(db: Db, eventId: number): Promise<AccountabilityDraftV1> {
  const { rows } = await db.query<AccountabilityDraftV1['events'][number] & { stationId: number | null; category: string }>(
    `SELECT ${EVENT_FIELDS}, e.station_id AS "stationId", coalesce(c.label, e.category) AS category
       FROM events e LEFT JOIN categories c ON c.code = e.category WHERE e.id = $1`,
    [eventId],
  );
  const e = rows[0];
  if (!e) throw new DomainError('not_found', 'not_found', `事件 ${eventId} 不存在`, [{ path: 'query.event', message: '事件不存在' }]);
  if (!e.redCarded) throw new DomainError('unprocessable', 'not_red', `事件 ${eventId} 未被亮红牌`, [{ path: 'query.event', message: '事件未被亮红牌' }]);
  if (e.stationId === null) throw new DomainError('unprocessable', 'no_station', `事件 ${eventId} 不属于任何工作站`, [{ path: 'query.event', message: '事件不属于任何工作站' }]);
  const { stationId, category, ...event } = e;
  return {
    source: 'red_card', stationId, stationName: (await stationName(db, stationId)) ?? '', departmentCode: e.departmentCode,
    people: await handlersOf(db, [eventId]), events: [event],
    title: `事件“${e.title}”红牌督办`,
    detail: `事件 #${e.id}（${category}）超过红牌时限仍未办结，经红牌督办（S13）。经查，相关人员存在推诿、拖延情形，`,
  };
}

/** From the overdue list: the station's events reported in the period (Asia/Shanghai) that ran past a limit. */
export async function overdueDraft(db: Db, stationId: number, periodKey: string): Promise<AccountabilityDraftV1> {
  const period = parsePeriod(periodKey)!;
  const name = await stationName(db, stationId);
  if (name === null) throw new DomainError('not_found', 'not_found', `工作站 ${stationId} 不存在`, [{ path: 'query.stationId', message: '工作站不存在' }]);
  const { from, to } = instantsOfPeriod(period);
  const { rows: events } = await db.query<AccountabilityDraftV1['events'][number]>(
    `SELECT ${EVENT_FIELDS} FROM events e
      WHERE e.station_id = $1 AND e.reported_at >= $2 AND e.reported_at < $3 AND e.state NOT IN ('returned', 'merged') AND ${OVERDUE_SQL}
      ORDER BY e.reported_at, e.id LIMIT ${MAX_EVENTS}`,
    [stationId, from, to],
  );
  const departments = [...new Set(events.map((e) => e.departmentCode))];
  return {
    source: 'overdue', stationId, stationName: name,
    departmentCode: departments.length === 1 ? departments[0] : null,
    people: await handlersOf(db, events.map((e) => e.id)), events,
    title: `${name}${period.label}超期未办事件`,
    detail: `${period.label}，${name}有 ${events.length} 件事件超过受理或办理时限（S12、S13）。`,
  };
}
