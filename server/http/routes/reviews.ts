import { ReviewActV1, ReviewListQuery, ReviewOpenV1, ReviewSaveV1, ReviewTaskDoneV1, ReviewTaskInputV1, ReviewTaskListQuery } from '@/lib/contracts/reviews';
import type { AppContext } from '../../context';
import { listReviews, listTasks, reviewDetail, reviewReach } from '../../reviews/read';
import { addTask, closeTask, openReview, refreshFigures, saveReview, scoreReview } from '../../reviews/write';
import { pathId, readBody, readQuery, type Router } from '../router';

/*
 * The town's yearly review of a station (issue 15 point 3; S14). Reading: the district roles all,
 * a station's chief and deputy chief their own station's. Changing a review: PERMISSIONS.reviewStations
 * (the district). Marking a follow-up task done: PERMISSIONS.closeReviewTasks, their own station's.
 */

const obj = { type: 'object' } as const;
const list = { type: 'array', items: obj } as const;
const REVIEW = { description: '验收详情：各项清单、证据（照片、材料、系统数据）、评分、问题与整改任务', schema: obj };
const STEP = { 201: REVIEW, 200: { description: '同一 requestKey 的重试：未重复执行，返回验收详情', schema: obj } };
const REVIEW_ERRORS = { 403: '无权查看验收（区级角色与本站站长、常务副站长可看）', 404: '验收不存在或不在职责范围内' };


export function reviewRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/reviews', 'session', {
    doc: { summary: '联动站年度验收列表', description: '区级角色：全区；站长、常务副站长：本站。含得分与未完成、已逾期的整改任务数。', query: ReviewListQuery, response: list, errors: { 403: REVIEW_ERRORS[403] } },
  }, async ({ session, url }) => ({ body: await listReviews(app.db, reviewReach(session!), readQuery(url, ReviewListQuery)) }));

  router.add('POST', '/api/v1/reviews', 'reviewStations', {
    doc: {
      summary: '开启联动站年度验收',
      description: '按 S14 五个方面（建成情况、功能区配备、工作制度实施、派驻人员、实际成效）生成验收清单，并从系统提取人员配备、会商、联查与年度指标等数据存入各项证据；该站该年度已有验收时返回已有的。留审计。',
      body: ReviewOpenV1,
      responses: { 201: { description: '新开启', schema: obj }, 200: { description: '该站该年度已有验收：返回已有的', schema: obj } },
      errors: { 422: '工作站不存在（issues 指出 body.stationId）' },
    },
  }, async (ctx) => {
    const input = await readBody(ctx.req, ReviewOpenV1);
    const { id, created } = await openReview(app.db, ctx.session!, input, ctx.ip);
    return { status: created ? 201 : 200, body: await reviewDetail(app.db, reviewReach(ctx.session!), id), headers: { location: `/api/v1/reviews/${id}` } };
  });

  router.add('GET', '/api/v1/reviews/:id', 'session', {
    doc: { summary: '联动站年度验收详情', responses: { 200: REVIEW }, errors: REVIEW_ERRORS },
  }, async (ctx) => ({ body: await reviewDetail(app.db, reviewReach(ctx.session!), pathId(ctx)) }));

  router.add('PUT', '/api/v1/reviews/:id', 'reviewStations', {
    doc: {
      summary: '保存验收（草稿）',
      description: '逐项保存评分（0 至该项满分，两位小数；null 清除）、存在问题、照片（本人经 POST /api/v1/photos 上传所得编号，或本站事件的照片）与材料；只改所给的字段。已评定的验收不能修改。留审计。',
      body: ReviewSaveV1, responses: STEP,
      errors: { 404: REVIEW_ERRORS[404], 409: '验收已评定，或 requestKey 已用于另一项操作（含另一验收）', 422: '验收项不存在、评分超过该项满分，或照片不存在、既非本人上传也非本站事件的照片（issues 指出 body.items.<n>.code、.score、.photos）' },
    },
  }, async (ctx) => {
    const id = pathId(ctx);
    const input = await readBody(ctx.req, ReviewSaveV1);
    const { replayed } = await saveReview(app.db, ctx.session!, id, input, ctx.ip);
    return { status: replayed ? 200 : 201, body: await reviewDetail(app.db, reviewReach(ctx.session!), id) };
  });

  router.add('POST', '/api/v1/reviews/:id/figures', 'reviewStations', {
    doc: { summary: '重新提取系统数据', description: '草稿状态下按当前名册与记录重新提取各项的系统数据（评分、问题与证据保留）。留审计。', body: ReviewActV1, responses: STEP, errors: { 404: REVIEW_ERRORS[404], 409: '验收已评定，或 requestKey 已用于另一项操作（含另一验收）' } },
  }, async (ctx) => {
    const id = pathId(ctx);
    const input = await readBody(ctx.req, ReviewActV1);
    const { replayed } = await refreshFigures(app.db, ctx.session!, id, input.requestKey, ctx.ip);
    return { status: replayed ? 200 : 201, body: await reviewDetail(app.db, reviewReach(ctx.session!), id) };
  });

  router.add('POST', '/api/v1/reviews/:id/score', 'reviewStations', {
    doc: {
      summary: '评定验收',
      description: '各项均已评分、失分项均写明问题后评定：得分与满分计入考评指标“联动站建设验收得分率”（review），此后不能修改。留审计。',
      body: ReviewActV1, responses: STEP,
      errors: { 404: REVIEW_ERRORS[404], 409: '验收已评定，或 requestKey 已用于另一项操作（含另一验收）', 422: '尚有未评分的项，或失分项未写明问题（issues 指出 items.<n>.score、items.<n>.finding）' },
    },
  }, async (ctx) => {
    const id = pathId(ctx);
    const input = await readBody(ctx.req, ReviewActV1);
    const { replayed } = await scoreReview(app.db, ctx.session!, id, input.requestKey, ctx.ip);
    return { status: replayed ? 200 : 201, body: await reviewDetail(app.db, reviewReach(ctx.session!), id) };
  });

  router.add('POST', '/api/v1/reviews/:id/tasks', 'reviewStations', {
    doc: {
      summary: '下发整改任务',
      description: '对评分低于满分且写明问题的验收项下发整改任务（整改要求与期限）；每项一个，重复提交返回已有的。留审计。',
      body: ReviewTaskInputV1,
      responses: { 201: { description: '新任务', schema: obj }, 200: { description: '该项已有整改任务：返回已有的', schema: obj } },
      errors: { 404: REVIEW_ERRORS[404], 422: '该项未失分或未写明问题（body.itemCode），或期限早于今天（body.dueOn）' },
    },
  }, async (ctx) => {
    const id = pathId(ctx);
    const input = await readBody(ctx.req, ReviewTaskInputV1);
    const { task, created } = await addTask(app.db, ctx.session!, id, input, ctx.ip);
    return { status: created ? 201 : 200, body: task };
  });

  router.add('GET', '/api/v1/review-tasks', 'session', {
    doc: { summary: '验收整改任务', description: 'state=open（默认，逾期的在前）、overdue（已逾期）、done 或 all。区级角色：全区；站长、常务副站长：本站。', query: ReviewTaskListQuery, response: list, errors: { 403: REVIEW_ERRORS[403] } },
  }, async ({ session, url }) => ({ body: await listTasks(app.db, reviewReach(session!), readQuery(url, ReviewTaskListQuery)) }));

  router.add('POST', '/api/v1/review-tasks/:id/done', 'closeReviewTasks', {
    doc: {
      summary: '整改完成',
      description: '本站站长、常务副站长填写整改情况，标记本站的整改任务完成。留审计。',
      body: ReviewTaskDoneV1,
      responses: { 201: { description: '已完成', schema: obj }, 200: { description: '同一 requestKey 的重试', schema: obj } },
      errors: { 404: '任务不存在或不属于本站', 409: '任务已完成，或 requestKey 已用于另一项操作（含另一任务）' },
    },
  }, async (ctx) => {
    const id = pathId(ctx);
    const input = await readBody(ctx.req, ReviewTaskDoneV1);
    const { task, replayed } = await closeTask(app.db, ctx.session!, id, input, ctx.ip);
    return { status: replayed ? 200 : 201, body: task };
  });
}
