import {
  AccountabilityInputV1, AccountabilityListQuery, AccountabilityRevokeV1, OverduePrefillQuery, RedCardPrefillQuery,
} from '@/lib/contracts/accountability';
import type { AppContext } from '../../context';
import { overdueDraft, redCardDraft } from '../../accountability/drafts';
import { accountabilityViewer, listRecords, myRecords, recordById } from '../../accountability/read';
import { checkDistrict, createRecord, revokeRecord } from '../../accountability/write';
import { pathId, readBody, readQuery, type Router } from '../router';

/*
 * Accountability records (issue 15 point 4; S13: 通报批评, 约谈, 问责). Made and revoked by the
 * district (PERMISSIONS.manageAccountability), from a red card, an overdue list or by hand.
 * Reading: the district all; a station's chief and deputy chief their station's; every person the
 * records naming them (/mine). Literal paths are registered before /:id, which would match them.
 */

const obj = { type: 'object' } as const;
const list = { type: 'array', items: obj } as const;
const RECORD = { description: '追责问责记录：类型、工作站、部门、来源、事由、点名人员与关联事件、撤销情况', schema: obj };


export function accountabilityRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/accountability', 'session', {
    doc: {
      summary: '追责问责记录列表',
      description: '区级角色：全区；站长、常务副站长：本站。可按工作站、类型、来源、人员、作出日期筛选；revoked=exclude 不含已撤销的，only 只看已撤销的。',
      query: AccountabilityListQuery, response: list, errors: { 403: '无权查看（区级角色与站长、常务副站长可看；本人的记录见 /mine）' },
    },
  }, async ({ session, url }) => ({ body: await listRecords(app.db, await accountabilityViewer(app.db, session!), readQuery(url, AccountabilityListQuery)) }));

  router.add('GET', '/api/v1/accountability/mine', 'session', {
    doc: { summary: '我的追责问责记录', description: '点名账号所关联人员的记录（含已撤销的，注明撤销理由）；未关联人员的账号为空。', response: list, errors: { 403: '大屏不是人员' } },
  }, async ({ session }) => ({ body: await myRecords(app.db, await accountabilityViewer(app.db, session!)) }));

  router.add('GET', '/api/v1/accountability/prefill', 'manageAccountability', {
    doc: {
      summary: '由红牌事件生成追责问责草稿',
      description: '给出被亮红牌的事件，返回其工作站、责任部门与经办人员（处置步骤的操作人、派遣的人员；无人经办时为责任部门的派驻人员），供新建表单预填；不写入任何数据。',
      query: RedCardPrefillQuery, response: obj, errors: { 404: '事件不存在', 422: '事件未被亮红牌或不属于任何工作站（issues 指出 query.event）' },
    },
  }, async ({ session, url }) => {
    checkDistrict(session!);
    return { body: await redCardDraft(app.db, readQuery(url, RedCardPrefillQuery).event) };
  });

  router.add('GET', '/api/v1/accountability/overdue', 'manageAccountability', {
    doc: {
      summary: '由超期清单生成追责问责草稿',
      description: '工作站在考评时段（按上报时间，北京时间）内超过受理或办理时限的事件（最多 200 件）及其经办人员，供新建一条关联这些事件的记录；不写入任何数据。',
      query: OverduePrefillQuery, response: obj, errors: { 404: '工作站不存在' },
    },
  }, async ({ session, url }) => {
    checkDistrict(session!);
    const q = readQuery(url, OverduePrefillQuery);
    return { body: await overdueDraft(app.db, q.stationId, q.period) };
  });

  router.add('POST', '/api/v1/accountability', 'manageAccountability', {
    doc: {
      summary: '新建追责问责记录',
      description: '通报批评、约谈或问责（S13），点名人员并关联事件；由红牌督办作出的须关联被亮红牌的事件，由超期清单作出的须关联超期事件。同一 requestKey 的重试返回第一次的记录。计入考评指标“追责问责记分”（accountability）。留审计。',
      body: AccountabilityInputV1,
      responses: { 201: { description: '新建', schema: obj }, 200: { description: '同一 requestKey 的重试：返回已有记录', schema: obj } },
      errors: { 409: 'requestKey 已由他人使用', 422: '工作站、部门、人员或事件不存在，人员或事件不属于该站，事件未被亮红牌或未超期，或作出日期晚于今天（issues 指出字段）' },
    },
  }, async (ctx) => {
    const input = await readBody(ctx.req, AccountabilityInputV1);
    const v = await accountabilityViewer(app.db, ctx.session!);
    const { id, created } = await createRecord(app.db, ctx.session!, input, ctx.ip);
    return { status: created ? 201 : 200, body: await recordById(app.db, v, id), headers: { location: `/api/v1/accountability/${id}` } };
  });

  router.add('GET', '/api/v1/accountability/:id', 'session', {
    doc: { summary: '追责问责记录详情', description: '区级角色、本站站长与常务副站长，以及被点名的本人。', responses: { 200: RECORD }, errors: { 403: '大屏不是人员', 404: '记录不存在或不在职责范围内' } },
  }, async (ctx) => ({ body: await recordById(app.db, await accountabilityViewer(app.db, ctx.session!), pathId(ctx)) }));

  router.add('POST', '/api/v1/accountability/:id/revoke', 'manageAccountability', {
    doc: {
      summary: '撤销追责问责记录',
      description: '须填撤销理由；记录保留（注明撤销时间与理由），此后不再计入考评。留审计。',
      body: AccountabilityRevokeV1,
      responses: { 201: RECORD, 200: { description: '同一 requestKey 的重试', schema: obj } },
      errors: { 404: '记录不存在', 409: '记录已撤销，或 requestKey 已用于另一项操作（含另一条记录的撤销）' },
    },
  }, async (ctx) => {
    const id = pathId(ctx);
    const input = await readBody(ctx.req, AccountabilityRevokeV1);
    const { replayed } = await revokeRecord(app.db, ctx.session!, id, input, ctx.ip);
    return { status: replayed ? 200 : 201, body: await recordById(app.db, await accountabilityViewer(app.db, ctx.session!), id) };
  });
}
