import { reachOf } from '@/lib/access/scope';
import type { ReviewItemV1, ReviewOpenV1, ReviewSaveV1, ReviewTaskDoneV1, ReviewTaskInputV1, ReviewTaskV1 } from '@/lib/contracts/reviews';
import { applyInputs, freshItems, scoringIssues, taskRefusal, totalOf, withFigures } from '@/lib/reviews/checklist';
import { shanghaiDay } from '@/lib/time/workdays';
import type { Session } from '../auth/session';
import { claimRequest, finishRequest } from '../command/requests';
import { inTransaction, type Db, type Tx } from '../db/pool';
import { DomainError, forbidden } from '../errors';
import { UPLOADED_BY } from '../photos/store';
import { audit } from '../repo/audit';
import { pullFigures } from './figures';
import { reviewMissing, taskById } from './read';

/*
 * Changing the yearly reviews (issue 15 point 3, S14): the district (PERMISSIONS.reviewStations)
 * opens a station's review of a year, which pulls its figures from the system; saves evidence,
 * scores and findings while it is a draft; scores it (then final: the `review` indicator counts
 * it); gives an item scored below full marks a follow-up task with a deadline. The station's own
 * leaders (PERMISSIONS.closeReviewTasks) mark their tasks done. Each change is audited; clicks are
 * retried by their request key (server/command/requests.ts), a task by its item (one per item).
 */

const unprocessable = (path: string, message: string) => new DomainError('unprocessable', 'unprocessable', message, [{ path, message }]);
/** A retried key names the review or task it was first used on: another one is a reused key, not a retry. */
const reusedKey = () => new DomainError('conflict', 'request_key_reused', '请求编号已用于另一项操作', [{ path: 'body.requestKey', message: '每次操作须使用新的请求编号' }]);
const scored = (id: number) => new DomainError('conflict', 'review_scored', `验收 ${id} 已评定，不能再修改`, [{ path: 'params.id', message: '已评定的验收不能修改' }]);

/**
 * The role's permission (PERMISSIONS.reviewStations) is checked by the router; the reach is the
 * scope rule's (lib/access/scope), as for the rule sets (server/assessment/rules.ts checkWriter):
 * only the district's reach changes reviews, whatever roles the permission may come to name.
 */
function checkDistrict(s: Session): void {
  if (reachOf({ role: s.role, stationId: s.stationId, department: null }).kind !== 'district') throw forbidden();
}

interface Locked { id: number; stationId: number; year: number; state: 'draft' | 'scored'; items: ReviewItemV1[] }

async function lockReview(tx: Tx, id: number): Promise<Locked> {
  const { rows } = await tx.query<Locked>(
    `SELECT id::int, station_id AS "stationId", year, state, items FROM station_reviews WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!rows[0]) throw reviewMissing(id);
  return rows[0];
}

/** Opens the station's review of the year, its figures pulled now; the one already open is answered as it is. */
export async function openReview(db: Db, s: Session, input: ReviewOpenV1, ip: string): Promise<{ id: number; created: boolean }> {
  checkDistrict(s);
  const { rows: station } = await db.query(`SELECT 1 FROM stations WHERE id = $1`, [input.stationId]);
  if (!station[0]) throw unprocessable('body.stationId', `工作站 ${input.stationId} 不存在`);
  const had = await db.query<{ id: number }>(`SELECT id::int FROM station_reviews WHERE station_id = $1 AND year = $2`, [input.stationId, input.year]);
  if (had.rows[0]) return { id: had.rows[0].id, created: false };
  const pulledAt = new Date().toISOString();
  const items = freshItems(await pullFigures(db, input.stationId, input.year), pulledAt);
  return inTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO station_reviews (station_id, year, items, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (station_id, year) DO NOTHING RETURNING id::int`,
      [input.stationId, input.year, JSON.stringify(items), s.uid],
    );
    if (!rows[0]) {
      // Opened by someone else between our look and our insert: theirs is the review.
      const again = await tx.query<{ id: number }>(`SELECT id::int FROM station_reviews WHERE station_id = $1 AND year = $2`, [input.stationId, input.year]);
      return { id: again.rows[0].id, created: false };
    }
    await audit(tx, s, { action: 'review.open', target: `review:${rows[0].id}`, detail: { stationId: input.stationId, year: input.year }, ip });
    return { id: rows[0].id, created: true };
  });
}

/** Saves a draft's evidence, scores and findings; the issues name the item and field at fault. */
export async function saveReview(db: Db, s: Session, id: number, input: ReviewSaveV1, ip: string): Promise<{ replayed: boolean }> {
  checkDistrict(s);
  return inTransaction(db, async (tx) => {
    const { replay } = await claimRequest<{ id: number }>(tx, input.requestKey, s.uid, 'review-save');
    if (replay) {
      if (replay.id !== id) throw reusedKey();
      return { replayed: true };
    }
    const r = await lockReview(tx, id);
    if (r.state === 'scored') throw scored(id);
    const { items, issues } = applyInputs(r.items, input.items);
    if (issues.length) throw new DomainError('unprocessable', 'unprocessable', issues.map((i) => i.message).join('；'), issues);
    // Evidence becomes readable by the station's leaders (reviewPhotoSql): only a photo the caller
    // uploaded (POST /api/v1/photos), or one already shown on an event of this station, may be it —
    // never someone else's upload, or another station's event's photo, by its id.
    const photos = [...new Set(input.items.flatMap((i) => i.photos ?? []))];
    if (photos.length) {
      const { rows } = await tx.query<{ id: string }>(
        `SELECT p.id FROM photos p WHERE p.id = ANY($1::text[]) AND ((${UPLOADED_BY('p.id', '$2::int', 'NULL')} AND $2::int > 0)
            OR EXISTS (SELECT 1 FROM events e WHERE e.station_id = $3 AND e.photos <> '{}' AND e.photos @> ARRAY[p.id])
            OR EXISTS (SELECT 1 FROM event_log l JOIN events e ON e.id = l.event_id
                        WHERE e.station_id = $3 AND l.data ? 'photos' AND l.data -> 'photos' @> to_jsonb(ARRAY[p.id])))`,
        [photos, s.uid, r.stationId],
      );
      const usable = new Set(rows.map((p) => p.id));
      const n = input.items.findIndex((i) => (i.photos ?? []).some((p) => !usable.has(p)));
      if (n >= 0) throw unprocessable(`body.items.${n}.photos`, '照片不存在或不可用：请先上传（只能使用本人上传或本站事件的照片）');
    }
    await tx.query(`UPDATE station_reviews SET items = $2, updated_at = now() WHERE id = $1`, [id, JSON.stringify(items)]);
    await audit(tx, s, { action: 'review.save', target: `review:${id}`, detail: { items: input.items.map((i) => i.code) }, ip });
    await finishRequest(tx, input.requestKey, { id });
    return { replayed: false };
  });
}

/** Pulls a draft's figures from the system again (after the roster or the records were corrected). */
export async function refreshFigures(db: Db, s: Session, id: number, requestKey: string, ip: string): Promise<{ replayed: boolean }> {
  checkDistrict(s);
  const { rows } = await db.query<{ stationId: number; year: number }>(`SELECT station_id AS "stationId", year FROM station_reviews WHERE id = $1`, [id]);
  if (!rows[0]) throw reviewMissing(id);
  const figures = await pullFigures(db, rows[0].stationId, rows[0].year);
  return inTransaction(db, async (tx) => {
    const { replay } = await claimRequest<{ id: number }>(tx, requestKey, s.uid, 'review-figures');
    if (replay) {
      if (replay.id !== id) throw reusedKey();
      return { replayed: true };
    }
    const r = await lockReview(tx, id);
    if (r.state === 'scored') throw scored(id);
    await tx.query(`UPDATE station_reviews SET items = $2, updated_at = now() WHERE id = $1`, [id, JSON.stringify(withFigures(r.items, figures, new Date().toISOString()))]);
    await audit(tx, s, { action: 'review.figures', target: `review:${id}`, ip });
    await finishRequest(tx, requestKey, { id });
    return { replayed: false };
  });
}

/** Scores the review: every item scored, a finding wherever marks were lost. Final from then on. */
export async function scoreReview(db: Db, s: Session, id: number, requestKey: string, ip: string): Promise<{ replayed: boolean }> {
  checkDistrict(s);
  return inTransaction(db, async (tx) => {
    const { replay } = await claimRequest<{ id: number }>(tx, requestKey, s.uid, 'review-score');
    if (replay) {
      if (replay.id !== id) throw reusedKey();
      return { replayed: true };
    }
    const r = await lockReview(tx, id);
    if (r.state === 'scored') throw scored(id);
    const issues = scoringIssues(r.items);
    if (issues.length) throw new DomainError('unprocessable', 'not_ready', `尚不能评定：${issues.map((i) => i.message).join('；')}`, issues);
    const total = totalOf(r.items);
    await tx.query(
      `UPDATE station_reviews SET state = 'scored', score = $2, max_score = $3, scored_by = $4, scored_name = $5, scored_at = now(), updated_at = now() WHERE id = $1`,
      [id, total.score, total.max, s.uid, s.name],
    );
    await audit(tx, s, { action: 'review.score', target: `review:${id}`, detail: { stationId: r.stationId, year: r.year, score: total.score, maxScore: total.max }, ip });
    await finishRequest(tx, requestKey, { id });
    return { replayed: false };
  });
}

/** A follow-up task (整改) for an item scored below full marks with a finding; one per item, so a retry answers the first. */
export async function addTask(db: Db, s: Session, reviewId: number, input: ReviewTaskInputV1, ip: string): Promise<{ task: ReviewTaskV1; created: boolean }> {
  checkDistrict(s);
  return inTransaction(db, async (tx) => {
    const r = await lockReview(tx, reviewId);
    const refusal = taskRefusal(r.items.find((i) => i.code === input.itemCode));
    if (refusal) throw unprocessable('body.itemCode', refusal);
    const { rows: had } = await tx.query<{ id: number }>(`SELECT id::int FROM review_tasks WHERE review_id = $1 AND item_code = $2`, [reviewId, input.itemCode]);
    if (had[0]) return { task: (await taskById(tx, had[0].id))!, created: false };
    if (input.dueOn < shanghaiDay(new Date())) throw unprocessable('body.dueOn', '整改期限不能早于今天');
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO review_tasks (review_id, station_id, item_code, title, due_on) VALUES ($1, $2, $3, $4, $5) RETURNING id::int`,
      [reviewId, r.stationId, input.itemCode, input.title, input.dueOn],
    );
    await audit(tx, s, { action: 'review.task', target: `review_task:${rows[0].id}`, detail: { reviewId, itemCode: input.itemCode, dueOn: input.dueOn }, ip });
    return { task: (await taskById(tx, rows[0].id))!, created: true };
  });
}

const taskMissing = (id: number) => new DomainError('not_found', 'not_found', `整改任务 ${id} 不存在或不在本站`);

/** The station's leaders mark their own station's task done, saying what was done. */
export async function closeTask(db: Db, s: Session, id: number, input: ReviewTaskDoneV1, ip: string): Promise<{ task: ReviewTaskV1; replayed: boolean }> {
  return inTransaction(db, async (tx) => {
    // Scope first: a retry answers with the task, so what it may answer with is checked before it is a retry.
    const { rows } = await tx.query<{ stationId: number; state: string }>(`SELECT station_id AS "stationId", state FROM review_tasks WHERE id = $1 FOR UPDATE`, [id]);
    if (!rows[0] || s.stationId === null || rows[0].stationId !== s.stationId) throw taskMissing(id);
    const { replay } = await claimRequest<{ id: number }>(tx, input.requestKey, s.uid, 'review-task-done');
    if (replay) {
      if (replay.id !== id) throw reusedKey();
      return { task: (await taskById(tx, id))!, replayed: true };
    }
    if (rows[0].state === 'done') throw new DomainError('conflict', 'task_done', `整改任务 ${id} 已完成`, [{ path: 'params.id', message: '已完成' }]);
    await tx.query(`UPDATE review_tasks SET state = 'done', done_note = $2, done_at = now(), done_by = $3 WHERE id = $1`, [id, input.note, s.uid]);
    await audit(tx, s, { action: 'review.task_done', target: `review_task:${id}`, detail: { note: input.note }, ip });
    await finishRequest(tx, input.requestKey, { id });
    return { task: (await taskById(tx, id))!, replayed: false };
  });
}
