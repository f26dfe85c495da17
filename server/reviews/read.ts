import type { Reach } from '@/lib/access/scope';
import type { ReviewItemV1, ReviewListQuery, ReviewSummaryV1, ReviewTaskListQuery, ReviewTaskV1, ReviewV1 } from '@/lib/contracts/reviews';
import { DISTRICT_ROLES } from '@/lib/roles';
import type { Session } from '../auth/session';
import type { Db, Tx } from '../db/pool';
import { args, stationScopeSql as scopeSql, type Arg } from '../db/scope';
import { DomainError, forbidden } from '../errors';

/*
 * Reading the yearly reviews and their follow-up tasks (issue 15 point 3, S14). The district roles
 * read every station's; a station's two leaders (S7) read their own station's — the review is
 * about the station they run, and the tasks are theirs to close. Anyone else is refused.
 */

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const TODAY = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;
const LEADERS = ['station_chief', 'deputy_chief'];

/** The reach of a reader of reviews: the district, or a station leader's station; refused otherwise. */
export function reviewReach(s: Pick<Session, 'role' | 'stationId'>): Reach {
  if (DISTRICT_ROLES.includes(s.role)) return { kind: 'district' };
  if (LEADERS.includes(s.role) && s.stationId !== null) return { kind: 'station', stationId: s.stationId };
  throw forbidden();
}

export const reviewMissing = (id: number) => new DomainError('not_found', 'not_found', `验收 ${id} 不存在或不在职责范围内`);

const SUMMARY = `r.id::int, r.station_id AS "stationId", s.name AS "stationName", r.year, r.state,
  r.score::float AS score, r.max_score::float AS "maxScore", r.scored_name AS "scoredName", ${ISO('r.scored_at')} AS "scoredAt",
  (SELECT count(*)::int FROM review_tasks t WHERE t.review_id = r.id AND t.state = 'open') AS "openTasks",
  (SELECT count(*)::int FROM review_tasks t WHERE t.review_id = r.id AND t.state = 'open' AND t.due_on < ${TODAY}) AS "overdueTasks",
  ${ISO('r.updated_at')} AS "updatedAt"`;

export async function listReviews(db: Db, reach: Reach, q: ReviewListQuery): Promise<ReviewSummaryV1[]> {
  const a = args();
  const where = [scopeSql(reach, 'r.station_id', a.arg)];
  if (q.year !== undefined) where.push(`r.year = ${a.arg(q.year)}`);
  if (q.stationId !== undefined) where.push(`r.station_id = ${a.arg(q.stationId)}`);
  const { rows } = await db.query<ReviewSummaryV1>(
    `SELECT ${SUMMARY} FROM station_reviews r JOIN stations s ON s.id = r.station_id WHERE ${where.join(' AND ')} ORDER BY r.year DESC, s.id LIMIT 500`,
    a.args,
  );
  return rows;
}

const TASK = `t.id::int, t.review_id::int AS "reviewId", t.station_id AS "stationId", s.name AS "stationName", r.year,
  t.item_code AS "itemCode", coalesce((SELECT i->>'name' FROM jsonb_array_elements(r.items) i WHERE i->>'code' = t.item_code), t.item_code) AS "itemName",
  t.title, to_char(t.due_on, 'YYYY-MM-DD') AS "dueOn", t.state, (t.state = 'open' AND t.due_on < ${TODAY}) AS overdue,
  t.done_note AS "doneNote", ${ISO('t.done_at')} AS "doneAt", a.display_name AS "doneName", ${ISO('t.created_at')} AS "createdAt"`;
const TASK_FROM = `review_tasks t JOIN station_reviews r ON r.id = t.review_id JOIN stations s ON s.id = t.station_id LEFT JOIN accounts a ON a.id = t.done_by`;

export async function taskById(db: Db | Tx, id: number): Promise<ReviewTaskV1 | null> {
  const { rows } = await db.query<ReviewTaskV1>(`SELECT ${TASK} FROM ${TASK_FROM} WHERE t.id = $1`, [id]);
  return rows[0] ?? null;
}

/** Follow-up tasks: open (overdue first), overdue only, done, or all; a station leader's own station's. */
export async function listTasks(db: Db, reach: Reach, q: ReviewTaskListQuery): Promise<ReviewTaskV1[]> {
  const a = args();
  const where = [scopeSql(reach, 't.station_id', a.arg)];
  if (q.stationId !== undefined) where.push(`t.station_id = ${a.arg(q.stationId)}`);
  if (q.state === 'open') where.push(`t.state = 'open'`);
  if (q.state === 'done') where.push(`t.state = 'done'`);
  if (q.state === 'overdue') where.push(`t.state = 'open' AND t.due_on < ${TODAY}`);
  const { rows } = await db.query<ReviewTaskV1>(
    `SELECT ${TASK} FROM ${TASK_FROM} WHERE ${where.join(' AND ')} ORDER BY t.state = 'done', t.due_on, t.id LIMIT 500`,
    a.args,
  );
  return rows;
}

export async function reviewDetail(db: Db | Tx, reach: Reach, id: number): Promise<ReviewV1> {
  const a = args([id]);
  const { rows } = await db.query<ReviewSummaryV1 & { items: ReviewItemV1[]; createdAt: string }>(
    `SELECT ${SUMMARY}, r.items, ${ISO('r.created_at')} AS "createdAt"
       FROM station_reviews r JOIN stations s ON s.id = r.station_id WHERE r.id = $1 AND ${scopeSql(reach, 'r.station_id', a.arg)}`,
    a.args,
  );
  const r = rows[0];
  if (!r) throw reviewMissing(id);
  const { rows: tasks } = await db.query<ReviewTaskV1>(`SELECT ${TASK} FROM ${TASK_FROM} WHERE t.review_id = $1 ORDER BY t.due_on, t.id`, [id]);
  return { ...r, figuresAt: r.items[0]?.pulledAt ?? null, tasks };
}

/**
 * A photo is also visible to whoever may read a review that holds it as evidence (routes/photos.ts):
 * SQL over photos aliased `p`, false for those who read no reviews.
 */
export function reviewPhotoSql(s: Pick<Session, 'role' | 'stationId'>, arg: Arg): string {
  let reach: Reach;
  try {
    reach = reviewReach(s);
  } catch {
    return 'false';
  }
  return `EXISTS (SELECT 1 FROM station_reviews rv WHERE rv.items @> jsonb_build_array(jsonb_build_object('photos', jsonb_build_array(p.id)))
                   AND ${scopeSql(reach, 'rv.station_id', arg)})`;
}
