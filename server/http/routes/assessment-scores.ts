import { AdjustmentInputV1, ComputeInputV1, EventFlagsInputV1, ScoreListQuery } from '@/lib/contracts/scores';
import { addAdjustment, computeNow, setEventFlags } from '../../assessment/adjust';
import { listScores, myScores, scoreDetail, stationStars } from '../../assessment/scores';
import type { AppContext } from '../../context';
import { pathId, readBody, readQuery, type Router } from '../router';

/*
 * Scores (issue 15 point 2; S13 assessment, S14 star stations and star staff). Reading: the district
 * roles everything, a station's chief and deputy chief their station's rows (another station's: 404);
 * one's own person's scores for any staff; the stars for the readers and the walls. Adjusting and
 * scoring now: PERMISSIONS.adjustScores; the 越级信访 / 群体性事件 flags of an event: flagEvents.
 * Every change audited; a retry with the same requestKey answers as the first time.
 */

const obj = { type: 'object' } as const;
const list = { type: 'array', items: obj } as const;
const READ_ERRORS = { 403: '非区级角色或站长、常务副站长' };


export function assessmentScoreRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/assessment/scores', 'session', {
    doc: {
      summary: '考评得分列表',
      description: '某时段某类对象（联动站、入驻部门、工作人员）的得分：计算分、区级调整之和、总分（计算分加调整，0–100）、星级（按所用细则的星级区间）、名次（同类对象中；部门与人员在本站内）。站长、常务副站长只见本站（含本站部门与人员）。',
      query: ScoreListQuery, response: list, errors: { ...READ_ERRORS, 404: '工作站不在职责范围内' },
    },
  }, async ({ session, url }) => ({ body: await listScores(app.db, session!, readQuery(url, ScoreListQuery)) }));

  router.add('GET', '/api/v1/assessment/scores/mine', 'session', {
    doc: { summary: '我的考评得分', description: '账号所关联人员在各时段的得分（名次为本站人员中）；未关联人员的账号为空；大屏不可用。', response: list, errors: { 403: '大屏' } },
  }, async ({ session }) => ({ body: await myScores(app.db, session!) }));

  router.add('GET', '/api/v1/assessment/scores/:id', 'session', {
    doc: {
      summary: '一项考评得分的明细',
      description: '各考评项（名称、分值、得分、无数据）、各指标的数值与分子分母、区级调整（理由、调整人、时间）及计入的事件（按上报时间前 500 件，各注明是否按时受理、按期办结、督办牌、评价与扣分标记）。',
      response: obj, errors: { ...READ_ERRORS, 404: '不存在或不在职责范围内' },
    },
  }, async (ctx) => ({ body: await scoreDetail(app.db, ctx.session!, pathId(ctx, { max: 2_147_483_647 })) }));

  router.add('GET', '/api/v1/assessment/stars', 'session', {
    doc: {
      summary: '联动站星级',
      description: '最近一个已冻结月份各联动站的星级与总分（S14 星级联动站）：区级角色与大屏（全区）全部，站长、常务副站长与本站大屏只见本站。尚无冻结月份时为空。',
      response: list, errors: READ_ERRORS,
    },
  }, async ({ session }) => ({ body: await stationStars(app.db, session!) }));

  router.add('POST', '/api/v1/assessment/adjustments', 'adjustScores', {
    doc: {
      summary: '区级调整考评得分',
      description: '对某时段某对象的得分加减分（-100–100，不为 0，最多两位小数），须填理由；只增不改，与计算分并列显示，已冻结的时段也可调整；留审计。返回调整记录与调整后的得分。',
      body: AdjustmentInputV1,
      responses: { 201: { description: '已调整', schema: obj }, 200: { description: '同一 requestKey 的重试：返回第一次的结果', schema: obj } },
      errors: { 404: '该时段没有此对象的得分（issues 指出 body.subjectKey）', 409: 'requestKey 已用于另一项操作' },
    },
  }, async (ctx) => {
    const input = await readBody(ctx.req, AdjustmentInputV1);
    const { created, ...answer } = await addAdjustment(app.db, ctx.session!, input, ctx.ip);
    return { status: created ? 201 : 200, body: answer };
  });

  router.add('POST', '/api/v1/assessment/compute', 'adjustScores', {
    doc: {
      summary: '立即计算某时段的考评得分',
      description: '按该年度生效的考评细则重新计算（数据更正之后）；时段已结束的随即冻结，已冻结的不再改变（返回 frozen: true）；留审计。',
      body: ComputeInputV1, response: obj,
      errors: { 422: '该年度没有生效的考评细则' },
    },
  }, async (ctx) => {
    const input = await readBody(ctx.req, ComputeInputV1);
    return { body: await computeNow(app.db, ctx.session!, input.period, ctx.ip) };
  });

  router.add('POST', '/api/v1/events/:id/flags', 'flagEvents', {
    doc: {
      summary: '标记越级信访、群体性事件',
      description: '区级录入（S13 扣分项），须填理由；不进入事件流转记录、不推送，审计日志记录修改前后；同一 requestKey 的重试返回第一次的结果。',
      body: EventFlagsInputV1,
      responses: { 200: { description: '标记后的状态', schema: obj } },
      errors: { 404: '事件不存在', 409: 'requestKey 已用于另一项操作或另一事件' },
    },
  }, async (ctx) => {
    const id = pathId(ctx, { max: 2_147_483_647 });
    const input = await readBody(ctx.req, EventFlagsInputV1);
    const { flags } = await setEventFlags(app.db, ctx.session!, id, input, ctx.ip);
    return { body: flags };
  });
}
