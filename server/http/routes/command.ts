import { z } from 'zod';
import {
  AttendanceV1, CloseConsultationV1, ConsultationCallV1, DecisionV1Input, DispatchRequestV1, DispatchStepV1, InspectionInput,
  InvitationReplyV1, KeyPeriodInput, type CommandLiveV1, type CommandMineV1,
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
import { forbidden, HttpError } from '../errors';
import { readBody, readQuery, type Ctx, type Router } from '../router';

const Id = z.coerce.number().int().positive();
function idOf(ctx: Ctx, what: string): number {
  const parsed = Id.safeParse(ctx.params.id);
  if (!parsed.success) throw new HttpError(400, 'invalid', `${what}编号无效`, [{ path: 'params.id', message: '须为正整数' }]);
  return parsed.data;
}
const Month = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM').optional() });
const monthOf = (q: { month?: string }) => q.month ?? shanghaiDay(new Date()).slice(0, 7);

/** The one station a station-scoped read is about; district roles and the unbound have none here. */
function stationOf(reach: Reach): number {
  if (reach.kind === 'station' || reach.kind === 'department') return reach.stationId;
  throw forbidden();
}

/** Joint dispatch, consultations, inspections (issue 5; S10, S11, S12). */
export function commandRoutes(router: Router, app: AppContext): void {
  const reach = (s: Session | null) => reachOfSession(app.db, s!);

  // What the wall and console draw: active dispatches, open consultations, key periods in force (scoped, issue 10).
  router.add('GET', '/api/v1/command/live', 'session', async ({ session }) => {
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
  router.add('GET', '/api/v1/command/mine', 'session', async ({ session }) => {
    if (session!.role === 'display') throw forbidden();
    const body: CommandMineV1 = { dispatches: await myDispatches(app.db, session!.uid), invitations: await myInvitations(app.db, session!.uid) };
    return { body };
  });

  router.add('GET', '/api/v1/dispatches/proposal', 'command', async ({ url, session }) => {
    const { event } = readQuery(url, z.object({ event: Id }));
    const offer = await proposal(app, event);
    // Leaders see their own station's units only, as they may only dispatch those; another station's event answers as a missing one.
    if (session!.stationId === null || offer.stationId !== session!.stationId) throw new HttpError(404, 'not_found', `事件 ${event} 不存在`);
    return { body: offer };
  });

  router.add('POST', '/api/v1/dispatches', 'command', async (ctx) => {
    const input = await readBody(ctx.req, DispatchRequestV1);
    const r = await createDispatches(app, await actorOf(app.db, ctx.session!), input, ctx.ip);
    return { status: r.created > 0 && !r.replayed ? 201 : 200, body: { ...r, dispatches: await readDispatches(app.db, r.ids) } };
  });

  router.add('POST', '/api/v1/dispatches/:id/steps', 'respond', async (ctx) => {
    const id = idOf(ctx, '派遣');
    const input = await readBody(ctx.req, DispatchStepV1);
    const r = await stepDispatch(app, await actorOf(app.db, ctx.session!), id, input, ctx.ip);
    return { status: r.replayed ? 200 : 201, body: (await readDispatches(app.db, [id]))[0] };
  });

  router.add('POST', '/api/v1/dispatches/:id/reassign', 'command', async (ctx) => {
    const id = idOf(ctx, '派遣');
    const input = await readBody(ctx.req, z.object({ unitId: z.number().int().positive(), requestKey: IdempotencyKey }).strict());
    const r = await reassignDispatch(app, await actorOf(app.db, ctx.session!), id, input.unitId, input.requestKey, ctx.ip);
    return { status: r.replayed ? 200 : 201, body: { ...r, dispatches: await readDispatches(app.db, r.ids) } };
  });

  router.add('POST', '/api/v1/consultations', 'command', async (ctx) => {
    const input = await readBody(ctx.req, ConsultationCallV1);
    const r = await callEmergency(app, await actorOf(app.db, ctx.session!), input, ctx.ip);
    return { status: r.created && !r.replayed ? 201 : 200, body: { ...r, consultation: (await readConsultations(app.db, [r.id]))[0] } };
  });

  router.add('GET', '/api/v1/consultations/:id', 'session', async (ctx) => {
    const id = idOf(ctx, '会商');
    const [c] = await readConsultations(app.db, [id]);
    const s = ctx.session!;
    // Its station's screens and the district see it: an invitee is of the station (S11), and one who moved away no longer sees it.
    const visible = c && maySeeStation(await reach(s), c.stationId);
    if (!visible) throw new HttpError(404, 'not_found', `会商 ${id} 不存在`);
    return { body: c };
  });

  router.add('POST', '/api/v1/consultations/:id/reply', 'respond', async (ctx) => {
    const id = idOf(ctx, '会商');
    const input = await readBody(ctx.req, InvitationReplyV1);
    await replyInvitation(app, await actorOf(app.db, ctx.session!), id, input.accept, ctx.ip);
    return { body: (await readConsultations(app.db, [id]))[0] };
  });

  router.add('POST', '/api/v1/consultations/:id/decisions', 'command', async (ctx) => {
    const id = idOf(ctx, '会商');
    const input = await readBody(ctx.req, DecisionV1Input);
    const r = await addDecision(app, await actorOf(app.db, ctx.session!), id, input, ctx.ip);
    return { status: r.replayed ? 200 : 201, body: { ...r, consultation: (await readConsultations(app.db, [id]))[0] } };
  });

  router.add('POST', '/api/v1/consultations/:id/open', 'command', async (ctx) => {
    const id = idOf(ctx, '会商');
    await readBody(ctx.req, z.object({ requestKey: IdempotencyKey }).strict());
    await openMeeting(app, await actorOf(app.db, ctx.session!), id, ctx.ip);
    return { body: (await readConsultations(app.db, [id]))[0] };
  });

  router.add('POST', '/api/v1/consultations/:id/attendance', 'command', async (ctx) => {
    const id = idOf(ctx, '会商');
    const input = await readBody(ctx.req, AttendanceV1);
    await recordAttendance(app, await actorOf(app.db, ctx.session!), id, input.present, ctx.ip);
    return { body: (await readConsultations(app.db, [id]))[0] };
  });

  router.add('POST', '/api/v1/consultations/:id/close', 'command', async (ctx) => {
    const id = idOf(ctx, '会商');
    const input = await readBody(ctx.req, CloseConsultationV1);
    await closeConsultation(app, await actorOf(app.db, ctx.session!), id, input.summary, ctx.ip);
    return { body: (await readConsultations(app.db, [id]))[0] };
  });

  // Regular meetings of the viewer's station for a month (the scheduler keeps this and next month's).
  router.add('GET', '/api/v1/meetings', 'session', async ({ session, url }) => {
    const stationId = stationOf(await reach(session));
    return { body: await meetingsOf(app, stationId, monthOf(readQuery(url, Month))) };
  });

  router.add('GET', '/api/v1/inspections/plan', 'session', async ({ session, url }) => {
    const stationId = stationOf(await reach(session));
    return { body: await inspectionPlan(app, stationId, monthOf(readQuery(url, Month))) };
  });

  router.add('POST', '/api/v1/inspections', 'inspect', async (ctx) => {
    const input = await readBody(ctx.req, InspectionInput);
    return { status: 201, body: await recordInspection(app, await actorOf(app.db, ctx.session!), input, ctx.ip) };
  });

  router.add('POST', '/api/v1/inspections/:id/findings', 'inspect', async (ctx) => {
    const id = idOf(ctx, '巡查');
    const report = await readBody(ctx.req, EventReportV1);
    const r = await addFinding(app, await actorOf(app.db, ctx.session!), id, report, ctx.ip);
    return { status: r.created ? 201 : 200, body: r };
  });

  router.add('POST', '/api/v1/key-periods', 'command', async (ctx) => {
    const input = await readBody(ctx.req, KeyPeriodInput);
    return { status: 201, body: await addKeyPeriod(app, await actorOf(app.db, ctx.session!), input, ctx.ip) };
  });
}
