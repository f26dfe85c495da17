import { z } from 'zod';
import {
  AttendanceV1, CloseConsultationV1, ConsultationCallV1, ConsultationV1, DecisionV1Input, DispatchRequestV1, DispatchStepV1, DispatchV1,
  InspectionInput, InvitationReplyV1, KeyPeriodInput, type CommandLiveV1, type CommandMineV1,
} from '@/lib/contracts/command';
import { EventReportV1, IdempotencyKey } from '@/lib/contracts/events';
import { shanghaiDay } from '@/lib/time/workdays';
import type { AppContext } from '../../context';
import { addDecision, callEmergency, closeConsultation, openMeeting, recordAttendance, replyInvitation } from '../../command/consult';
import { liveConsultations, myInvitations, readConsultations } from '../../command/consult-read';
import { createDispatches, reassignDispatch, stepDispatch } from '../../command/dispatch';
import { liveDispatches, myDispatches, readDispatches } from '../../command/dispatch-read';
import { addFinding, addKeyPeriod, inspectionPlan, keyPeriodsOf, recordInspection } from '../../command/inspections';
import { meetingsOf } from '../../command/meetings';
import { proposal } from '../../command/proposal';
import { actorOf, reachOfSession } from '../../events/viewer';
import { maySeeStation, type Reach } from '@/lib/access/scope';
import type { Session } from '../../auth/session';
import { forbidden, DomainError } from '../../errors';
import { readBody, readQuery, type Ctx, type Router } from '../router';

const Id = z.coerce.number().int().positive();
function idOf(ctx: Ctx, what: string): number {
  const parsed = Id.safeParse(ctx.params.id);
  if (!parsed.success) throw new DomainError('invalid', 'invalid', `${what}编号无效`, [{ path: 'params.id', message: '须为正整数' }]);
  return parsed.data;
}
// Years this century only: the month is turned into day ranges, and years 0000 and 9999 used to
// fail in PostgreSQL and loop forever in lib/command/meetings.ts weeksOfMonth (issue 11 fuzzing).
const Month = z.object({ month: z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, 'YYYY-MM（2000–2099 年）').optional() });
const monthOf = (q: { month?: string }) => q.month ?? shanghaiDay(new Date()).slice(0, 7);
const ProposalQuery = z.object({ event: Id });
const ReassignInput = z.object({ unitId: z.number().int().positive(), requestKey: IdempotencyKey }).strict();
const OpenInput = z.object({ requestKey: IdempotencyKey }).strict();

const OBJECT = { type: 'object' };
/** What a dispatch call answers: how many were made, whether it was a replay, and the dispatches. */
const DISPATCHES = z.object({ ids: z.array(z.number()), created: z.number(), replayed: z.boolean(), dispatches: z.array(DispatchV1) }).loose();
const CONSULTATION = { description: '会商的现状', schema: ConsultationV1 };
const REPLAY = '带同一 requestKey 的重试返回第一次的结果，不重复执行。';

/** The one station a station-scoped read is about; district roles and the unbound have none here. */
function stationOf(reach: Reach): number {
  if (reach.kind === 'station' || reach.kind === 'department') return reach.stationId;
  throw forbidden();
}

/** Joint dispatch, consultations, inspections (issue 5; S10, S11, S12). */
export function commandRoutes(router: Router, app: AppContext): void {
  const reach = (s: Session | null) => reachOfSession(app.db, s!);

  // What the wall and console draw: active dispatches, open consultations, key periods in force (scoped, issue 10).
  router.add('GET', '/api/v1/command/live', 'session', {
    doc: {
      summary: '指挥态势',
      description: '大屏与指挥台所画的：进行中的派遣、未结束的会商与生效的重点时段（按职责范围）。',
      response: z.object({ dispatches: z.array(DispatchV1), consultations: z.array(ConsultationV1), keyPeriods: z.array(z.object({ id: z.number(), name: z.string(), startsOn: z.string(), endsOn: z.string(), stationId: z.number().nullable() })) }),
    },
  }, async ({ session }) => {
    const r = await reach(session);
    if (r.kind === 'own' || r.kind === 'none') return { body: { dispatches: [], consultations: [], keyPeriods: [] } satisfies CommandLiveV1 };
    const stationId = r.kind === 'district' ? null : r.stationId;
    const today = shanghaiDay(new Date());
    const body: CommandLiveV1 = {
      dispatches: await liveDispatches(app.db, stationId),
      consultations: await liveConsultations(app.db, stationId),
      keyPeriods: await keyPeriodsOf(app.db, stationId, today, today),
    };
    return { body };
  });

  // The phone's own: active dispatches of its unit, open consultations it is invited to.
  router.add('GET', '/api/v1/command/mine', 'session', {
    doc: {
      summary: '我的派遣与会商邀请',
      description: '手机端：本人单位进行中的派遣，与邀请本人的未结束会商。',
      response: z.object({ dispatches: z.array(DispatchV1), invitations: z.array(ConsultationV1) }),
      errors: { 403: '大屏没有个人任务' },
    },
  }, async ({ session }) => {
    if (session!.role === 'display') throw forbidden();
    const body: CommandMineV1 = { dispatches: await myDispatches(app.db, session!.uid), invitations: await myInvitations(app.db, session!.uid) };
    return { body };
  });

  router.add('GET', '/api/v1/dispatches/proposal', 'command', {
    doc: {
      summary: '派遣建议',
      description: '按事件所需的力量，列出本站最近的可用单位（距离与预计到达时间）。',
      query: ProposalQuery,
      response: OBJECT,
      errors: { 404: '事件不存在或不属本站' },
    },
  }, async ({ url, session }) => {
    const { event } = readQuery(url, ProposalQuery);
    const offer = await proposal(app, event);
    // Leaders see their own station's units only, as they may only dispatch those; another station's event answers as a missing one.
    if (session!.stationId === null || offer.stationId !== session!.stationId) throw new DomainError('not_found', 'not_found', `事件 ${event} 不存在`);
    return { body: offer };
  });

  router.add('POST', '/api/v1/dispatches', 'command', {
    doc: {
      summary: '联合派遣',
      description: `一次点击把所选单位派往一个事件（S12）。${REPLAY}`,
      body: DispatchRequestV1,
      responses: { 201: { description: '已派遣', schema: DISPATCHES }, 200: { description: '重试，或所选单位均已在该事件上', schema: DISPATCHES } },
      errors: { 404: '事件不存在或不属本站', 409: '单位不可用或事件状态不允许', 422: '单位不存在或不属本站' },
    },
  }, async (ctx) => {
    const input = await readBody(ctx.req, DispatchRequestV1);
    const r = await createDispatches(app, await actorOf(app.db, ctx.session!), input, ctx.ip);
    return { status: r.created > 0 && !r.replayed ? 201 : 200, body: { ...r, dispatches: await readDispatches(app.db, r.ids) } };
  });

  router.add('POST', '/api/v1/dispatches/:id/steps', 'respond', {
    doc: {
      summary: '派遣的下一步（确认、出发、到场、完成）',
      description: `被派单位或本站领导执行。${REPLAY}`,
      body: DispatchStepV1,
      responses: { 201: { description: '已执行', schema: DispatchV1 }, 200: { description: '重试', schema: DispatchV1 } },
      errors: { 409: '当前状态不允许此步' },
    },
  }, async (ctx) => {
    const id = idOf(ctx, '派遣');
    const input = await readBody(ctx.req, DispatchStepV1);
    const r = await stepDispatch(app, await actorOf(app.db, ctx.session!), id, input, ctx.ip);
    return { status: r.replayed ? 200 : 201, body: (await readDispatches(app.db, [id]))[0] };
  });

  router.add('POST', '/api/v1/dispatches/:id/reassign', 'command', {
    doc: {
      summary: '改派',
      description: `只改派已被标记（超时未确认）且未确认的派遣。${REPLAY}`,
      body: ReassignInput,
      responses: { 201: { description: '已改派', schema: DISPATCHES }, 200: { description: '重试', schema: DISPATCHES } },
      errors: { 409: '派遣未被标记或已确认；单位不可用' },
    },
  }, async (ctx) => {
    const id = idOf(ctx, '派遣');
    const input = await readBody(ctx.req, ReassignInput);
    const r = await reassignDispatch(app, await actorOf(app.db, ctx.session!), id, input.unitId, input.requestKey, ctx.ip);
    return { status: r.replayed ? 200 : 201, body: { ...r, dispatches: await readDispatches(app.db, r.ids) } };
  });

  router.add('POST', '/api/v1/consultations', 'command', {
    doc: {
      summary: '一键发起紧急会商',
      description: `关联一个或多个事件，邀请相关人员（S11）；已有未结束的会商时并入之。${REPLAY}`,
      body: ConsultationCallV1,
      responses: { 201: { description: '已发起', schema: OBJECT }, 200: { description: '重试，或并入已有会商', schema: OBJECT } },
      errors: { 404: '事件不存在或不属本站' },
    },
  }, async (ctx) => {
    const input = await readBody(ctx.req, ConsultationCallV1);
    const r = await callEmergency(app, await actorOf(app.db, ctx.session!), input, ctx.ip);
    return { status: r.created && !r.replayed ? 201 : 200, body: { ...r, consultation: (await readConsultations(app.db, [r.id]))[0] } };
  });

  router.add('GET', '/api/v1/consultations/:id', 'session', {
    doc: { summary: '会商详情', responses: { 200: CONSULTATION } },
  }, async (ctx) => {
    const id = idOf(ctx, '会商');
    const [c] = await readConsultations(app.db, [id]);
    const s = ctx.session!;
    // Its station's screens and the district see it: an invitee is of the station (S11), and one who moved away no longer sees it.
    const visible = c && maySeeStation(await reach(s), c.stationId);
    if (!visible) throw new DomainError('not_found', 'not_found', `会商 ${id} 不存在`);
    return { body: c };
  });

  router.add('POST', '/api/v1/consultations/:id/reply', 'respond', {
    doc: { summary: '答复会商邀请', body: InvitationReplyV1, responses: { 200: CONSULTATION }, errors: { 409: '会商已结束' } },
  }, async (ctx) => {
    const id = idOf(ctx, '会商');
    const input = await readBody(ctx.req, InvitationReplyV1);
    await replyInvitation(app, await actorOf(app.db, ctx.session!), id, input.accept, ctx.ip);
    return { body: (await readConsultations(app.db, [id]))[0] };
  });

  router.add('POST', '/api/v1/consultations/:id/decisions', 'command', {
    doc: {
      summary: '记录会商决定',
      description: `决定有责任人与期限，可同时派遣或建子任务。${REPLAY}`,
      body: DecisionV1Input,
      responses: { 201: { description: '已记录', schema: OBJECT }, 200: { description: '重试', schema: OBJECT } },
      errors: { 409: '会商已结束', 422: '事件或单位无效' },
    },
  }, async (ctx) => {
    const id = idOf(ctx, '会商');
    const input = await readBody(ctx.req, DecisionV1Input);
    const r = await addDecision(app, await actorOf(app.db, ctx.session!), id, input, ctx.ip);
    return { status: r.replayed ? 200 : 201, body: { ...r, consultation: (await readConsultations(app.db, [id]))[0] } };
  });

  router.add('POST', '/api/v1/consultations/:id/open', 'command', {
    doc: { summary: '开始例行会商', body: OpenInput, responses: { 200: CONSULTATION }, errors: { 409: '会商不在待开始状态' } },
  }, async (ctx) => {
    const id = idOf(ctx, '会商');
    await readBody(ctx.req, OpenInput);
    await openMeeting(app, await actorOf(app.db, ctx.session!), id, ctx.ip);
    return { body: (await readConsultations(app.db, [id]))[0] };
  });

  router.add('POST', '/api/v1/consultations/:id/attendance', 'command', {
    doc: { summary: '记录例行会商的出席', body: AttendanceV1, responses: { 200: CONSULTATION }, errors: { 409: '会商状态不允许' } },
  }, async (ctx) => {
    const id = idOf(ctx, '会商');
    const input = await readBody(ctx.req, AttendanceV1);
    await recordAttendance(app, await actorOf(app.db, ctx.session!), id, input.present, ctx.ip);
    return { body: (await readConsultations(app.db, [id]))[0] };
  });

  router.add('POST', '/api/v1/consultations/:id/close', 'command', {
    doc: { summary: '结束会商', body: CloseConsultationV1, responses: { 200: CONSULTATION }, errors: { 409: '会商已结束' } },
  }, async (ctx) => {
    const id = idOf(ctx, '会商');
    const input = await readBody(ctx.req, CloseConsultationV1);
    await closeConsultation(app, await actorOf(app.db, ctx.session!), id, input.summary, ctx.ip);
    return { body: (await readConsultations(app.db, [id]))[0] };
  });

  // Regular meetings of the viewer's station for a month (the scheduler keeps this and next month's).
  router.add('GET', '/api/v1/meetings', 'session', {
    doc: { summary: '本站一个月的例行会商', description: '默认本月（YYYY-MM）。仅站内角色可读。', query: Month, response: OBJECT, errors: { 403: '没有所属工作站' } },
  }, async ({ session, url }) => {
    const stationId = stationOf(await reach(session));
    return { body: await meetingsOf(app, stationId, monthOf(readQuery(url, Month))) };
  });

  router.add('GET', '/api/v1/inspections/plan', 'session', {
    doc: { summary: '本站一个月的联查计划与完成情况', description: '应开展与已开展的联合巡查（S10），默认本月。', query: Month, response: OBJECT, errors: { 403: '没有所属工作站' } },
  }, async ({ session, url }) => {
    const stationId = stationOf(await reach(session));
    return { body: await inspectionPlan(app, stationId, monthOf(readQuery(url, Month))) };
  });

  router.add('POST', '/api/v1/inspections', 'inspect', {
    doc: { summary: '记录一次联合巡查', description: REPLAY, body: InspectionInput, responses: { 201: { description: '已记录', schema: OBJECT } }, errors: { 422: '部门未知' } },
  }, async (ctx) => {
    const input = await readBody(ctx.req, InspectionInput);
    return { status: 201, body: await recordInspection(app, await actorOf(app.db, ctx.session!), input, ctx.ip) };
  });

  router.add('POST', '/api/v1/inspections/:id/findings', 'inspect', {
    doc: {
      summary: '巡查发现的问题上报为事件',
      description: '请求体与 POST /api/v1/events 相同；事件与该次巡查关联。',
      body: EventReportV1,
      responses: { 201: { description: '新建事件', schema: OBJECT }, 200: { description: '重试', schema: OBJECT } },
      errors: { 409: 'idempotencyKey 已用于另一条内容不同的上报', 422: '内容无法处理（同事件上报）' },
    },
  }, async (ctx) => {
    const id = idOf(ctx, '巡查');
    const report = await readBody(ctx.req, EventReportV1);
    const r = await addFinding(app, await actorOf(app.db, ctx.session!), id, report, ctx.ip);
    return { status: r.created ? 201 : 200, body: r };
  });

  router.add('POST', '/api/v1/key-periods', 'command', {
    doc: { summary: '设定重点时段', description: `重点时段内联查要求加密（S10）。${REPLAY}`, body: KeyPeriodInput, responses: { 201: { description: '已设定', schema: OBJECT } } },
  }, async (ctx) => {
    const input = await readBody(ctx.req, KeyPeriodInput);
    return { status: 201, body: await addKeyPeriod(app, await actorOf(app.db, ctx.session!), input, ctx.ip) };
  });
}
