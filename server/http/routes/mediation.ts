import { z } from 'zod';
import {
  CaseAssignV1, CaseCloseV1, CaseListQuery, CaseOpenV1, FollowupV1, MediatorInputV1, SessionInputV1, StudioInputV1,
} from '@/lib/contracts/mediation';
import type { AppContext } from '../../context';
import { assignCase, closeCase, openCase, recordFollowup, recordSession } from '../../mediation/cases';
import { noticeDueCases } from '../../mediation/notices';
import { agreementDoc, caseDetail, listCases, myCases, pendingDisputes } from '../../mediation/read';
import { createMediator, createStudio, listMediators, listStudios, updateMediator, updateStudio } from '../../mediation/registers';
import { mediationViewer } from '../../mediation/viewer';
import { pathId, readBody, readQuery, type Router } from '../router';

/*
 * Mediation (issue 14 point 5; S4, S8). Reading: those who mediate and the district roles
 * (lib/mediation/access.ts), each within reach; changing a case: PERMISSIONS.mediate; the studios'
 * and mediators' registers: PERMISSIONS.manageStation.
 */

const obj = { type: 'object' } as const;
const list = { type: 'array', items: obj } as const;
const DETAIL = { description: '调解案件详情（当事人按查看者打码）', schema: obj };
const STEP = {
  201: DETAIL,
  200: { description: '同一 requestKey 的重试：未重复执行，返回案件详情', schema: obj },
};
const CASE_ERRORS = { 404: '案件不存在或不在职责范围内', 409: '案件状态不允许此操作，或 requestKey 已用于另一项操作', 422: '引用无效、缺少必填内容，或时间不合理（调解时间须在立案前一年至一年后之间，回访时间须在结案之后、不晚于现在；issues 指出字段）' };


export function mediationRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/mediation/studios', 'session', {
    doc: { summary: '调解工作室名册', description: '本站（区级角色：全区）的调解工作室（S4）。', response: list, errors: { 403: '无权查看调解' } },
  }, async ({ session }) => ({ body: await listStudios(app.db, (await mediationViewer(app.db, session!)).reach) }));

  router.add('POST', '/api/v1/mediation/studios', 'manageStation', {
    doc: { summary: '新增调解工作室', body: StudioInputV1, responses: { 201: { description: '新建', schema: obj }, 200: { description: '同站同名的重试：返回已有的', schema: obj } } },
  }, async (ctx) => {
    const input = await readBody(ctx.req, StudioInputV1);
    const { studio, created } = await createStudio(app.db, ctx.session!, input, ctx.ip);
    return { status: created ? 201 : 200, body: studio };
  });

  router.add('PATCH', '/api/v1/mediation/studios/:id', 'manageStation', {
    doc: { summary: '修改调解工作室', body: StudioInputV1.partial(), response: obj, errors: { 404: '工作室不存在或不在本站' } },
  }, async (ctx) => {
    const id = pathId(ctx);
    const input = await readBody(ctx.req, StudioInputV1.partial());
    const v = await mediationViewer(app.db, ctx.session!);
    return { body: await updateStudio(app.db, ctx.session!, v.reach, id, input, ctx.ip) };
  });

  router.add('GET', '/api/v1/mediation/mediators', 'session', {
    doc: { summary: '调解员名册', description: '人民调解员、律师、乡贤、专业调解员（S4）；电话仅对本站站长、副站长明示。', response: list, errors: { 403: '无权查看调解' } },
  }, async ({ session }) => {
    const v = await mediationViewer(app.db, session!);
    return { body: await listMediators(app.db, v.reach, session!) };
  });

  router.add('POST', '/api/v1/mediation/mediators', 'manageStation', {
    doc: { summary: '新增调解员', body: MediatorInputV1, responses: { 201: { description: '新建', schema: obj }, 200: { description: '同站同名的重试：返回已有的', schema: obj } }, errors: { 422: '工作室或人员不属于本站' } },
  }, async (ctx) => {
    const input = await readBody(ctx.req, MediatorInputV1);
    const { mediator, created } = await createMediator(app.db, ctx.session!, input, ctx.ip);
    return { status: created ? 201 : 200, body: mediator };
  });

  router.add('PATCH', '/api/v1/mediation/mediators/:id', 'manageStation', {
    doc: { summary: '修改调解员', body: MediatorInputV1.partial(), response: obj, errors: { 404: '调解员不存在或不在本站', 422: '工作室或人员不属于本站' } },
  }, async (ctx) => {
    const id = pathId(ctx);
    const input = await readBody(ctx.req, MediatorInputV1.partial());
    const v = await mediationViewer(app.db, ctx.session!);
    return { body: await updateMediator(app.db, ctx.session!, v.reach, id, input, ctx.ip) };
  });

  router.add('GET', '/api/v1/mediation/cases', 'session', {
    doc: { summary: '调解案件列表', description: 'state=overdue：超期未结；followup：待回访。读取时向副站长发出超期、回访到期提醒（各一次）。', query: CaseListQuery, response: list, errors: { 403: '无权查看调解' } },
  }, async ({ session, url }) => {
    const v = await mediationViewer(app.db, session!);
    const q = readQuery(url, CaseListQuery);
    await noticeDueCases(app);
    return { body: await listCases(app.db, v, q) };
  });

  router.add('POST', '/api/v1/mediation/cases', 'mediate', {
    doc: {
      summary: '调解立案',
      description: '由矛盾纠纷事件（eventId）、群众调解申请（citizenRequestId）或手工立案；一件事件只立一案，再次立案返回第一案。',
      body: CaseOpenV1,
      responses: { 201: { description: '新立案件', schema: obj }, 200: { description: '同一 idempotencyKey 的重试，或该事件已有案件：返回已有案件', schema: obj } },
      errors: { 404: '事件或申请不存在或不在职责范围内', 409: '此 idempotencyKey 已用于内容不同的另一次立案（issues 指出 body.idempotencyKey）', 422: '不是矛盾纠纷类事件，或缺少当事人、纠纷类型' },
    },
  }, async (ctx) => {
    const input = await readBody(ctx.req, CaseOpenV1);
    const v = await mediationViewer(app.db, ctx.session!);
    const { id, created } = await openCase(app, v, input, ctx.ip);
    return { status: created ? 201 : 200, body: await caseDetail(app.db, v, id), headers: { location: `/api/v1/mediation/cases/${id}` } };
  });

  router.add('GET', '/api/v1/mediation/cases/:id', 'session', {
    doc: { summary: '调解案件详情', description: '当事人电话、地址仅对本案调解员与本站站长、副站长明示（明示的读取留审计）；其他人看到的纠纷事实中姓名、电话、身份证号打码，协议内容与回访情况为空。', responses: { 200: DETAIL }, errors: { 403: '无权查看调解', 404: '案件不存在或不在职责范围内' } },
  }, async (ctx) => {
    const v = await mediationViewer(app.db, ctx.session!);
    return { body: await caseDetail(app.db, v, pathId(ctx), ctx.ip) };
  });

  router.add('GET', '/api/v1/mediation/cases/:id/agreement', 'session', {
    doc: { summary: '调解协议书（打印用数据）', description: '仅本案调解员与本站站长、副站长；每次读取留审计。', response: obj, errors: { 403: '无权查看调解', 404: '案件不存在或不在职责范围内' } },
  }, async (ctx) => {
    const v = await mediationViewer(app.db, ctx.session!);
    return { body: await agreementDoc(app.db, v, pathId(ctx), ctx.ip) };
  });

  const stepRoute = <S extends z.ZodType>(path: string, summary: string, body: S, run: (v: Awaited<ReturnType<typeof mediationViewer>>, id: number, input: z.infer<S>, ip: string) => Promise<{ replayed: boolean }>) =>
    router.add('POST', `/api/v1/mediation/cases/:id/${path}`, 'mediate', { doc: { summary, body, responses: STEP, errors: CASE_ERRORS } }, async (ctx) => {
      const id = pathId(ctx);
      const input = await readBody(ctx.req, body);
      const v = await mediationViewer(app.db, ctx.session!);
      const { replayed } = await run(v, id, input, ctx.ip);
      return { status: replayed ? 200 : 201, body: await caseDetail(app.db, v, id) };
    });

  stepRoute('assign', '指派调解员或调解工作室', CaseAssignV1, (v, id, input, ip) => assignCase(app, v, id, input, ip));
  stepRoute('sessions', '记录一次调解（时间、地点、参加人、笔录）', SessionInputV1, (v, id, input, ip) => recordSession(app, v, id, input, ip));
  stepRoute('close', '调解结案：达成协议（须填协议内容）、未达成或转诉讼/其他机关；群众调解申请的事件随之答复办结', CaseCloseV1, (v, id, input, ip) => closeCase(app, v, id, input, ip));
  stepRoute('followup', '记录回访（结案一个月后）', FollowupV1, (v, id, input, ip) => recordFollowup(app, v, id, input, ip));

  router.add('GET', '/api/v1/mediation/pending', 'session', {
    doc: { summary: '待立案的调解申请与矛盾纠纷事件', description: '群众调解申请与矛盾纠纷类事件中尚未立案、尚未办结的（最早的在前，最多 100 条）。', response: list, errors: { 403: '无权查看调解' } },
  }, async ({ session }) => ({ body: await pendingDisputes(app.db, await mediationViewer(app.db, session!)) }));

  router.add('GET', '/api/v1/mediation/mine', 'session', {
    doc: { summary: '我的调解案件', description: '调解员本人（账号所关联人员）承办的案件，供手机端使用。', response: list, errors: { 403: '无权查看调解' } },
  }, async ({ session }) => ({ body: await myCases(app.db, await mediationViewer(app.db, session!)) }));
}
