import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '@/lib/assessment/periods';
import { ReviewSaveV1, type ReviewItemV1, type ReviewV1 } from '@/lib/contracts/reviews';
import { CHECKLIST, CHECKLIST_TOTAL } from '@/lib/reviews/checklist';
import { shanghaiDay } from '@/lib/time/workdays';
import { reviewParts } from '../assessment/figures';
import { hashPassword } from '../auth/password';
import type { Session } from '../auth/session';
import { caller } from '../test/http';
import { login, withTestServer } from '../test/server';
import { addTask, openReview, refreshFigures, saveReview, scoreReview } from './write';

/*
 * Issue 15 point 3 (S14): the town's yearly review of a station through the real routes on a real
 * PostgreSQL — opening pulls the roster's and the records' figures, a draft is saved and scored by
 * the district (refusals name the field), the score is what the `review` indicator reads, follow-up
 * tasks go to the station's leaders and only theirs, every change is audited and safe to retry.
 */

const ts = withTestServer(`reviews:${process.pid}:`);
const call = caller(() => ts.url);
const cookies: Record<string, string> = {};
const key = () => `rev-${randomUUID()}`;
/** Years no other test or the demo seed reviews. */
const YEAR = 2031;
const YEAR2 = 2032;
let station = 0;
let reviewId = 0;
let taskId = 0;

const png = () => {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])), chunk('raNd', Buffer.from(randomUUID())), chunk('IEND', Buffer.alloc(0))]);
};

async function audits(action: string, target: string): Promise<number> {
  return (await ts.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND target = $2`, [action, target])).rows[0].n;
}

const issuePaths = (body: { issues?: { path: string }[] }) => (body.issues ?? []).map((i) => i.path);

beforeAll(async () => {
  const db = ts.app.db;
  station = (await db.query<{ id: number }>(`SELECT station_id AS id FROM accounts WHERE username = 'deputy'`)).rows[0].id;
  const other = (await db.query<{ id: number }>(`SELECT id FROM stations WHERE id <> $1 ORDER BY id LIMIT 1`, [station])).rows[0].id;
  const hash = await hashPassword('reviews-test');
  await db.query(
    `INSERT INTO accounts (username, password_hash, role, display_name, station_id) VALUES ('rev-operator', $1, 'district_operator', '区指挥中心（验收测试）', NULL),
       ('rev-other-deputy', $1, 'deputy_chief', '外站副站长', $2)
     ON CONFLICT (username) DO UPDATE SET station_id = EXCLUDED.station_id, role = EXCLUDED.role, disabled = false`,
    [hash, other],
  );
  // A rerun on the same database starts from no review of the year.
  await db.query(`DELETE FROM review_tasks WHERE review_id IN (SELECT id FROM station_reviews WHERE year = ANY($1::int[]))`, [[YEAR, YEAR2]]);
  await db.query(`DELETE FROM station_reviews WHERE year = ANY($1::int[])`, [[YEAR, YEAR2]]);
  for (const u of ['chief', 'deputy', 'gridder']) cookies[u] = await login(ts.url, u);
  cookies.operator = await login(ts.url, 'rev-operator', 'reviews-test');
  cookies.other = await login(ts.url, 'rev-other-deputy', 'reviews-test');
}, 60_000);

afterAll(async () => {
  await ts.app.db.query(`UPDATE accounts SET disabled = true WHERE username IN ('rev-operator', 'rev-other-deputy')`).catch(() => undefined);
});

describe('opening a review (S14 checklist, figures pulled from the system)', () => {
  it('refuses bad input naming the field', async () => {
    const bad = await call('POST', '/api/v1/reviews', cookies.operator, { stationId: 'x', year: 1999 });
    expect(bad.status).toBe(400);
    expect(issuePaths(bad.body)).toEqual(expect.arrayContaining(['body.stationId', 'body.year']));
    const none = await call('POST', '/api/v1/reviews', cookies.operator, { stationId: 999_999, year: YEAR });
    expect(none.status).toBe(422);
    expect(issuePaths(none.body)).toEqual(['body.stationId']);
  });

  it('the district opens it: five sections, 100 marks, the roster and records as evidence; a retry answers the same review', async () => {
    const first = await call('POST', '/api/v1/reviews', cookies.operator, { stationId: station, year: YEAR });
    expect(first.status).toBe(201);
    const r = first.body as ReviewV1;
    reviewId = r.id;
    expect(r).toMatchObject({ stationId: station, year: YEAR, state: 'draft', score: null });
    expect(r.items.map((i) => i.code)).toEqual(CHECKLIST.map((c) => c.code));
    expect(new Set(r.items.map((i) => i.section)).size).toBe(5);
    expect(r.items.reduce((s, i) => s + i.full, 0)).toBe(100);
    expect(CHECKLIST_TOTAL).toBe(100);
    // The staffing figures are the roster's: counted here by hand from the same tables.
    const db = ts.app.db;
    const { rows: [want] } = await db.query<{ grids: number; full: number; resident: number }>(
      `SELECT (SELECT count(*)::int FROM regions g JOIN station_villages sv ON sv.village_code = g.parent_code WHERE g.level = 'grid' AND sv.station_id = $1) AS grids,
              (SELECT count(DISTINCT person_id)::int FROM person_roles WHERE station_id = $1 AND role = 'gridder_full') AS full,
              (SELECT count(*)::int FROM station_departments WHERE station_id = $1 AND residency = 'resident') AS resident`,
      [station],
    );
    const fig = (item: string, code: string) => r.items.find((i) => i.code === item)!.figures.find((f) => f.code === code);
    expect(fig('staffing.grid', 'grids')?.value).toBe(want.grids);
    expect(fig('staffing.grid', 'gridders_full')?.value).toBe(want.full);
    expect(fig('staffing.departments', 'depts_resident')?.value).toBe(want.resident);
    expect(fig('results.on_time', 'on_time')).toMatchObject({ unit: 'ratio' });
    expect(r.figuresAt).not.toBeNull();
    const again = await call('POST', '/api/v1/reviews', cookies.operator, { stationId: station, year: YEAR });
    expect(again).toMatchObject({ status: 200, body: { id: reviewId } });
    expect(await audits('review.open', `review:${reviewId}`)).toBe(1);
  });

  it('scope: the station leaders read their own; another station’s deputy 404; grid staff 403; only the district changes it', async () => {
    expect((await call('GET', `/api/v1/reviews/${reviewId}`, cookies.deputy)).status).toBe(200);
    expect((await call('GET', `/api/v1/reviews/${reviewId}`, cookies.other)).status).toBe(404);
    expect((await call('GET', `/api/v1/reviews?year=${YEAR}`, cookies.other)).body).toEqual([]);
    expect((await call('GET', `/api/v1/reviews?year=${YEAR}`, cookies.deputy)).body.map((r: { id: number }) => r.id)).toEqual([reviewId]);
    expect((await call('GET', '/api/v1/reviews', cookies.gridder)).status).toBe(403);
    expect((await call('GET', `/api/v1/reviews/${reviewId}`, cookies.gridder)).status).toBe(403);
    expect((await call('POST', '/api/v1/reviews', cookies.deputy, { stationId: station, year: YEAR })).status).toBe(403);
    expect((await call('PUT', `/api/v1/reviews/${reviewId}`, cookies.chief, { requestKey: key(), items: [{ code: 'built.site', score: 1 }] })).status).toBe(403);
  });
});

describe('saving, scoring and the review indicator', () => {
  it('refuses a score above the item’s full marks, an item not in the list, three decimals and an unknown photo, naming the item', async () => {
    const over = await call('PUT', `/api/v1/reviews/${reviewId}`, cookies.operator, { requestKey: key(), items: [{ code: 'built.units', score: 5 }, { code: 'built.site', score: 6.5 }] });
    expect(over.status).toBe(422);
    expect(issuePaths(over.body)).toEqual(['body.items.1.score']);
    const unknown = await call('PUT', `/api/v1/reviews/${reviewId}`, cookies.operator, { requestKey: key(), items: [{ code: 'built.nothing', score: 1 }] });
    expect(unknown.status).toBe(422);
    expect(issuePaths(unknown.body)).toEqual(['body.items.0.code']);
    const decimals = await call('PUT', `/api/v1/reviews/${reviewId}`, cookies.operator, { requestKey: key(), items: [{ code: 'built.site', score: 1.234 }] });
    expect(decimals.status).toBe(400);
    expect(issuePaths(decimals.body)).toEqual(['body.items.0.score']);
    const photo = await call('PUT', `/api/v1/reviews/${reviewId}`, cookies.operator, { requestKey: key(), items: [{ code: 'built.site', photos: ['0'.repeat(64)] }] });
    expect(photo.status).toBe(422);
    expect(issuePaths(photo.body)).toEqual(['body.items.0.photos']);
    // Nothing of the refused saves stuck.
    const r = (await call('GET', `/api/v1/reviews/${reviewId}`, cookies.operator)).body as ReviewV1;
    expect(r.items.every((i) => i.score === null)).toBe(true);
  });

  it('saves evidence and scores in a draft; a retry of the same key does nothing twice; it is scored once all items are', async () => {
    const upload = await fetch(`${ts.url}/api/v1/photos`, { method: 'POST', headers: { cookie: cookies.operator, 'content-type': 'image/png' }, body: png() });
    expect(upload.status).toBe(201);
    const photoId = ((await upload.json()) as { id: string }).id;
    // All but two at full marks; the site loses 2.5 (with a finding), the task lists 1 (finding added later).
    const items = CHECKLIST.map((c) => ({ code: c.code, score: c.full }));
    const site = { code: 'built.site', score: 3.5, finding: '公示栏未更新派驻人员名单', photos: [photoId], documents: [{ title: '站点照片说明', note: '2031 年 3 月现场' }] };
    const lists = { code: 'rules.task_lists', score: 3 };
    const body = { requestKey: key(), items: [...items.filter((i) => i.code !== 'built.site' && i.code !== 'rules.task_lists'), site, lists] };
    const saved = await call('PUT', `/api/v1/reviews/${reviewId}`, cookies.operator, body);
    expect(saved.status).toBe(201);
    const item = (saved.body as ReviewV1).items.find((i: ReviewItemV1) => i.code === 'built.site')!;
    expect(item).toMatchObject({ score: 3.5, finding: site.finding, photos: [photoId], documents: site.documents });
    const retry = await call('PUT', `/api/v1/reviews/${reviewId}`, cookies.operator, body);
    expect(retry.status).toBe(200);
    expect(await audits('review.save', `review:${reviewId}`)).toBe(1);
    // The evidence photo is seen by whoever reads the review: the station's leaders, not another station's.
    const photoAs = async (who: string) => (await fetch(`${ts.url}/api/v1/photos/${photoId}`, { headers: { cookie: cookies[who] } })).status;
    expect(await photoAs('deputy')).toBe(200);
    expect(await photoAs('other')).toBe(404);
    expect(await photoAs('gridder')).toBe(404);

    // A lost mark without a finding keeps it from being scored, and the refusal names the item.
    const early = await call('POST', `/api/v1/reviews/${reviewId}/score`, cookies.operator, { requestKey: key() });
    expect(early.status).toBe(422);
    const n = CHECKLIST.findIndex((c) => c.code === 'rules.task_lists');
    expect(issuePaths(early.body)).toEqual([`items.${n}.finding`]);
    expect((await call('PUT', `/api/v1/reviews/${reviewId}`, cookies.operator, { requestKey: key(), items: [{ code: 'rules.task_lists', finding: '联动事项清单未按年度更新' }] })).status).toBe(201);

    expect((await reviewParts(ts.app.db, parsePeriod(String(YEAR))!, station)).get(station)).toBeUndefined();
    const scoreKey = key();
    const scored = await call('POST', `/api/v1/reviews/${reviewId}/score`, cookies.operator, { requestKey: scoreKey });
    expect(scored.status).toBe(201);
    expect(scored.body).toMatchObject({ state: 'scored', score: 96.5, maxScore: 100, scoredName: '区指挥中心（验收测试）' });
    expect((await call('POST', `/api/v1/reviews/${reviewId}/score`, cookies.operator, { requestKey: scoreKey })).status).toBe(200);
    expect(await audits('review.score', `review:${reviewId}`)).toBe(1);
    // What the scoring job's `review` indicator reads (H1's reviewParts): 96.5 of 100, for every period of the year.
    expect((await reviewParts(ts.app.db, parsePeriod(`${YEAR}-05`)!, station)).get(station)).toEqual({ num: 96.5, den: 100 });

    // Final: no more changes.
    const late = await call('PUT', `/api/v1/reviews/${reviewId}`, cookies.operator, { requestKey: key(), items: [{ code: 'built.site', score: 6 }] });
    expect(late.status).toBe(409);
    expect((await call('POST', `/api/v1/reviews/${reviewId}/figures`, cookies.operator, { requestKey: key() })).status).toBe(409);
  });
});

describe('follow-up tasks (整改)', () => {
  it('only for an item that lost marks with a finding, not in the past; one per item', async () => {
    const tomorrow = shanghaiDay(new Date(Date.now() + 86_400_000));
    const full = await call('POST', `/api/v1/reviews/${reviewId}/tasks`, cookies.operator, { itemCode: 'built.units', title: '无', dueOn: tomorrow });
    expect(full.status).toBe(422);
    expect(issuePaths(full.body)).toEqual(['body.itemCode']);
    const past = await call('POST', `/api/v1/reviews/${reviewId}/tasks`, cookies.operator, { itemCode: 'built.site', title: '更新公示栏', dueOn: '2020-01-01' });
    expect(past.status).toBe(422);
    expect(issuePaths(past.body)).toEqual(['body.dueOn']);
    const badDay = await call('POST', `/api/v1/reviews/${reviewId}/tasks`, cookies.operator, { itemCode: 'built.site', title: '更新公示栏', dueOn: '2031-02-30' });
    expect(badDay.status).toBe(400);
    expect(issuePaths(badDay.body)).toEqual(['body.dueOn']);
    const made = await call('POST', `/api/v1/reviews/${reviewId}/tasks`, cookies.operator, { itemCode: 'built.site', title: '更新公示栏派驻人员名单', dueOn: tomorrow });
    expect(made.status).toBe(201);
    taskId = made.body.id;
    expect(made.body).toMatchObject({ itemName: '场所与标识', state: 'open', overdue: false, dueOn: tomorrow });
    const again = await call('POST', `/api/v1/reviews/${reviewId}/tasks`, cookies.operator, { itemCode: 'built.site', title: '另一个', dueOn: tomorrow });
    expect(again).toMatchObject({ status: 200, body: { id: taskId, title: '更新公示栏派驻人员名单' } });
    expect(await audits('review.task', `review_task:${taskId}`)).toBe(1);
  });

  it('overdue ones are shown as such to the station’s leaders, not to another station', async () => {
    await ts.app.db.query(`UPDATE review_tasks SET due_on = current_date - 3 WHERE id = $1`, [taskId]);
    const overdue = await call('GET', '/api/v1/review-tasks?state=overdue', cookies.deputy);
    expect(overdue.status).toBe(200);
    expect(overdue.body.find((t: { id: number }) => t.id === taskId)).toMatchObject({ overdue: true, stationId: station });
    expect((await call('GET', '/api/v1/review-tasks?state=all', cookies.other)).body.some((t: { id: number }) => t.id === taskId)).toBe(false);
    expect((await call('GET', '/api/v1/review-tasks', cookies.gridder)).status).toBe(403);
    expect((await call('GET', `/api/v1/reviews/${reviewId}`, cookies.chief)).body).toMatchObject({ openTasks: 1, overdueTasks: 1 });
  });

  it('the station’s leaders mark it done with a note; another station’s deputy 404, grid staff and the district 403; retried safely', async () => {
    const bad = await call('POST', `/api/v1/review-tasks/${taskId}/done`, cookies.deputy, { requestKey: key(), note: ' ' });
    expect(bad.status).toBe(400);
    expect(issuePaths(bad.body)).toEqual(['body.note']);
    expect((await call('POST', `/api/v1/review-tasks/${taskId}/done`, cookies.other, { requestKey: key(), note: '越权' })).status).toBe(404);
    expect((await call('POST', `/api/v1/review-tasks/${taskId}/done`, cookies.gridder, { requestKey: key(), note: '越权' })).status).toBe(403);
    expect((await call('POST', `/api/v1/review-tasks/${taskId}/done`, cookies.operator, { requestKey: key(), note: '越权' })).status).toBe(403);
    const doneKey = key();
    const done = await call('POST', `/api/v1/review-tasks/${taskId}/done`, cookies.deputy, { requestKey: doneKey, note: '已更新公示栏并拍照存档' });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ state: 'done', overdue: false, doneNote: '已更新公示栏并拍照存档' });
    expect((await call('POST', `/api/v1/review-tasks/${taskId}/done`, cookies.deputy, { requestKey: doneKey, note: '已更新公示栏并拍照存档' })).status).toBe(200);
    expect((await call('POST', `/api/v1/review-tasks/${taskId}/done`, cookies.chief, { requestKey: key(), note: '再次' })).status).toBe(409);
    expect(await audits('review.task_done', `review_task:${taskId}`)).toBe(1);
  });
});

describe('review fixes: evidence photos, retries keep to their target, the district’s reach', () => {
  let other = 0;
  let otherReview = 0;
  let otherTask = 0;
  let ownDraft = 0;
  const reused = { status: 409, body: { error: 'request_key_reused' } };
  const upload = async (who: string): Promise<string> => {
    const res = await fetch(`${ts.url}/api/v1/photos`, { method: 'POST', headers: { cookie: cookies[who], 'content-type': 'image/png' }, body: png() });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };

  beforeAll(async () => {
    const db = ts.app.db;
    other = (await db.query<{ id: number }>(`SELECT station_id AS id FROM accounts WHERE username = 'rev-other-deputy'`)).rows[0].id;
    const opened = await call('POST', '/api/v1/reviews', cookies.operator, { stationId: other, year: YEAR });
    expect(opened.status).toBe(201);
    otherReview = opened.body.id;
    const own = await call('POST', '/api/v1/reviews', cookies.operator, { stationId: station, year: YEAR2 });
    expect(own.status).toBe(201);
    ownDraft = own.body.id;
    // The other station's follow-up task, as addTask leaves one.
    otherTask = (await db.query<{ id: number }>(
      `INSERT INTO review_tasks (review_id, station_id, item_code, title, due_on) VALUES ($1, $2, 'built.site', '外站整改任务', current_date + 7) RETURNING id::int`,
      [otherReview, other],
    )).rows[0].id;
  });

  it('evidence is a photo the caller uploaded or one of an event of the review’s station, never another’s upload or another station’s event’s', async () => {
    // The gridder's upload, attached to nothing: the operator may not make it evidence (the station's leaders would then read it).
    const loose = await upload('gridder');
    const refused = await call('PUT', `/api/v1/reviews/${ownDraft}`, cookies.operator, { requestKey: key(), items: [{ code: 'built.units', score: 1 }, { code: 'built.site', photos: [loose] }] });
    expect(refused.status).toBe(422);
    expect(issuePaths(refused.body)).toEqual(['body.items.1.photos']);
    // The gridder's photo of an event of the station: evidence for this station's review, not another station's.
    const shown = await upload('gridder');
    const village = (await ts.app.db.query<{ code: string }>(`SELECT village_code AS code FROM station_villages WHERE station_id = $1 ORDER BY village_code LIMIT 1`, [station])).rows[0].code;
    const ev = await call('POST', '/api/v1/events', cookies.gridder, { v: 1, idempotencyKey: key(), category: 'environment', title: '验收测试：站点公示栏', villageCode: village, photos: [shown] });
    expect(ev.status).toBe(201);
    expect((await ts.app.db.query(`SELECT 1 FROM events WHERE id = $1 AND station_id = $2`, [ev.body.id, station])).rowCount).toBe(1);
    const saved = await call('PUT', `/api/v1/reviews/${ownDraft}`, cookies.operator, { requestKey: key(), items: [{ code: 'built.site', photos: [shown] }] });
    expect(saved.status).toBe(201);
    expect(saved.body.items.find((i: ReviewItemV1) => i.code === 'built.site').photos).toEqual([shown]);
    const elsewhere = await call('PUT', `/api/v1/reviews/${otherReview}`, cookies.operator, { requestKey: key(), items: [{ code: 'built.site', photos: [shown] }] });
    expect(elsewhere.status).toBe(422);
    expect(issuePaths(elsewhere.body)).toEqual(['body.items.0.photos']);
    // The operator's own upload is evidence anywhere.
    expect((await call('PUT', `/api/v1/reviews/${otherReview}`, cookies.operator, { requestKey: key(), items: [{ code: 'built.site', photos: [await upload('operator')] }] })).status).toBe(201);
  });

  it('a done key used again on another station’s task is a 404, on another task of the own station a 409 — never that task', async () => {
    const tomorrow = shanghaiDay(new Date(Date.now() + 86_400_000));
    const second = await call('POST', `/api/v1/reviews/${reviewId}/tasks`, cookies.operator, { itemCode: 'rules.task_lists', title: '按年度更新联动事项清单', dueOn: tomorrow });
    expect(second.status).toBe(201);
    const doneKey = key();
    expect((await call('POST', `/api/v1/review-tasks/${second.body.id}/done`, cookies.deputy, { requestKey: doneKey, note: '已更新清单' })).status).toBe(201);
    const foreign = await call('POST', `/api/v1/review-tasks/${otherTask}/done`, cookies.deputy, { requestKey: doneKey, note: '已更新清单' });
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain('外站整改任务');
    expect(await call('POST', `/api/v1/review-tasks/${taskId}/done`, cookies.deputy, { requestKey: doneKey, note: '已更新清单' })).toMatchObject(reused);
    expect((await ts.app.db.query<{ state: string }>(`SELECT state FROM review_tasks WHERE id = $1`, [otherTask])).rows[0].state).toBe('open');
  });

  it('a save, figures or score key used again on another review is a 409, not a replay of the first', async () => {
    const saveKey = key();
    expect((await call('PUT', `/api/v1/reviews/${ownDraft}`, cookies.operator, { requestKey: saveKey, items: [{ code: 'built.units', score: 2 }] })).status).toBe(201);
    expect(await call('PUT', `/api/v1/reviews/${otherReview}`, cookies.operator, { requestKey: saveKey, items: [{ code: 'built.units', score: 2 }] })).toMatchObject(reused);
    expect((await call('GET', `/api/v1/reviews/${otherReview}`, cookies.operator)).body.items.find((i: ReviewItemV1) => i.code === 'built.units').score).toBeNull();
    const figuresKey = key();
    expect((await call('POST', `/api/v1/reviews/${ownDraft}/figures`, cookies.operator, { requestKey: figuresKey })).status).toBe(201);
    expect(await call('POST', `/api/v1/reviews/${otherReview}/figures`, cookies.operator, { requestKey: figuresKey })).toMatchObject(reused);
    // Scored once every item is: the own draft, then the key again on the other review (still a draft).
    expect((await call('PUT', `/api/v1/reviews/${ownDraft}`, cookies.operator, { requestKey: key(), items: CHECKLIST.map((c) => ({ code: c.code, score: c.full })) })).status).toBe(201);
    const scoreKey = key();
    expect((await call('POST', `/api/v1/reviews/${ownDraft}/score`, cookies.operator, { requestKey: scoreKey })).status).toBe(201);
    expect(await call('POST', `/api/v1/reviews/${otherReview}/score`, cookies.operator, { requestKey: scoreKey })).toMatchObject(reused);
    expect((await call('GET', `/api/v1/reviews/${otherReview}`, cookies.operator)).body.state).toBe('draft');
  });

  it('only the district’s reach changes a review, checked past the router too (lib/access/scope)', async () => {
    const uid = (await ts.app.db.query<{ id: number }>(`SELECT id FROM accounts WHERE username = 'chief'`)).rows[0].id;
    // A station chief's session, as if PERMISSIONS.reviewStations named the role.
    const chief: Session = { sid: 'test', uid, role: 'station_chief', name: '站长', stationId: station, displayId: null, exp: 0 };
    const forbidden = { failure: 'forbidden' };
    const db = ts.app.db;
    await expect(openReview(db, chief, { stationId: station, year: YEAR2 }, '127.0.0.1')).rejects.toMatchObject(forbidden);
    await expect(saveReview(db, chief, otherReview, ReviewSaveV1.parse({ requestKey: key(), items: [{ code: 'built.units', score: 1 }] }), '127.0.0.1')).rejects.toMatchObject(forbidden);
    await expect(refreshFigures(db, chief, otherReview, key(), '127.0.0.1')).rejects.toMatchObject(forbidden);
    await expect(scoreReview(db, chief, otherReview, key(), '127.0.0.1')).rejects.toMatchObject(forbidden);
    await expect(addTask(db, chief, reviewId, { itemCode: 'built.site', title: '越权', dueOn: shanghaiDay(new Date()) }, '127.0.0.1')).rejects.toMatchObject(forbidden);
    expect((await call('GET', `/api/v1/reviews/${otherReview}`, cookies.operator)).body.items.find((i: ReviewItemV1) => i.code === 'built.units').score).toBeNull();
  });
});
