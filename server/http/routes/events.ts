import { z } from 'zod';
import { EventActionV1, EventListQuery, EventReportV1, EventSummaryV1, LockRequest, NoticeV1 } from '@/lib/contracts/events';
import { can } from '@/lib/roles';
import { apiKeyOf, bearer } from '../../auth/apikey';
import type { AppContext } from '../../context';
import { act } from '../../events/act';
import { releaseLock, takeLock } from '../../events/locks';
import { completeTask } from '../../events/tasks';
import { eventDetail, listEvents } from '../../events/queries';
import { reportEvent, type Reporter } from '../../events/report';
import { actorOf } from '../../events/viewer';
import { inTransaction } from '../../db/pool';
import { audit } from '../../repo/audit';
import { forbidden, DomainError, unauthorized } from '../../errors';
import { ref } from '../openapi';
import { type Ctx, pathId, readBody, readQuery, type Router } from '../router';
import { isoSql } from '../../db/sql';
import { noteNewEvents } from '../../jobs/warnings';

const Id = z.coerce.number().int().positive();
const Empty = z.object({}).strict();
const TaskDone = z.object({ note: z.string().trim().max(2000).optional() }).strict();
const NoticesQuery = z.object({ event: z.coerce.number().int().positive().optional() });
const NoticesRead = z.object({ ids: z.array(z.number().int().positive()).min(1).max(500) }).strict();
const DETAIL = { description: '事件详情，含流转记录 log 与当前可执行的 actions', schema: ref('EventDetail') };

/** Staff in a session report as `field`; other systems by the API key of their source (S9). */
async function reporterOf(app: AppContext, ctx: Ctx): Promise<Reporter> {
  const token = bearer(ctx.req);
  if (token) {
    const key = await apiKeyOf(app.db, token);
    return { source: key.source, accountId: null, apiKeyId: key.id, role: 'system', name: key.name, ip: ctx.ip };
  }
  if (!ctx.session) throw unauthorized();
  if (!can(ctx.session.role, 'reportEvents')) throw forbidden();
  return { source: 'field', accountId: ctx.session.uid, role: ctx.session.role, name: ctx.session.name, ip: ctx.ip };
}

export function eventRoutes(router: Router, app: AppContext): void {
  // Authenticated inside: a session or a source's API key.
  router.add('POST', '/api/v1/events', 'public', {
    doc: {
      summary: '上报一条事件',
      description: '来源系统用其 API 密钥上报，source 由密钥决定；工作人员也可凭登录会话上报（来源为 field）。',
      operationId: 'reportEvent',
      auth: ['apiKey', 'session'],
      body: EventReportV1,
      responses: {
        201: { description: '新建事件', schema: ref('EventReceiptV1'), headers: { Location: { schema: { type: 'string' }, description: '/api/v1/events/{id}' } } },
        200: { description: '同一来源、同一 idempotencyKey、同一内容的重试：返回第一次的回执，不重复建事件', schema: ref('EventReceiptV1') },
      },
      errors: {
        400: '请求体无效（不是 JSON，或字段不符合 EventReportV1；issues 指出字段）',
        401: '缺少或无效的 API 密钥（或未登录）',
        403: '登录角色无权上报',
        409: 'idempotencyKey 已用于另一条内容不同的上报',
        413: '请求体超过 1 MB',
        415: 'Content-Type 不是 application/json',
        422: '内容无法处理：未知类别或子类、未知村社、地址无法识别、照片未上传、位置不在本区',
      },
    },
  }, async (ctx) => {
    const who = await reporterOf(app, ctx);
    const input = await readBody(ctx.req, EventReportV1);
    const receipt = await reportEvent(app, who, input);
    // A batch of ≥ 100 new events (a source system catching up) asks for an early warnings run (issue 13).
    if (receipt.created) noteNewEvents(1);
    return { status: receipt.created ? 201 : 200, body: receipt, headers: { location: `/api/v1/events/${receipt.id}` } };
  });

  router.add('GET', '/api/v1/events', 'session', {
    doc: {
      summary: '事件列表',
      description: 'scope=mine：与我有关的事件（手机的任务列表）；scope=station：职责范围内的全部。',
      query: EventListQuery,
      response: z.array(EventSummaryV1),
      errors: { 403: '大屏不可读取事件列表' },
    },
  }, async ({ session, url }) => {
    if (session!.role === 'display') throw forbidden();
    const q = readQuery(url, EventListQuery);
    return { body: await listEvents(app.db, await actorOf(app.db, session!), q.scope, q.state, q.limit) };
  });

  router.add('GET', '/api/v1/events/:id', 'session', {
    doc: { summary: '事件详情', responses: { 200: DETAIL }, errors: { 403: '大屏不可读取事件详情' } },
  }, async (ctx) => {
    if (ctx.session!.role === 'display') throw forbidden();
    return { body: await eventDetail(app.db, await actorOf(app.db, ctx.session!), pathId(ctx, { what: '事件编号' })) };
  });

  router.add('POST', '/api/v1/events/:id/actions', 'actOnEvents', {
    doc: {
      summary: '对事件执行一步流转（受理、交办、处置反馈、核查……）',
      description: '工作人员凭登录会话执行，角色与职责范围由服务端按事件状态机校验。带 requestKey 的重试返回第一次的结果。',
      operationId: 'actOnEvent',
      body: EventActionV1,
      responses: {
        201: { description: '已执行，返回事件详情', schema: ref('EventDetail') },
        200: { description: '同一 requestKey 的重试：未重复执行，返回事件详情', schema: ref('EventDetail') },
      },
      errors: {
        400: '请求体或事件编号无效',
        401: '未登录',
        403: '角色无权执行此操作，或事件不在职责范围内',
        404: '事件不存在',
        409: '当前状态不允许此操作，或他人正在处理（锁定）',
        415: 'Content-Type 不是 application/json',
        422: '引用无效：未知部门、合并目标不存在、照片未上传',
      },
    },
  }, async (ctx) => {
    const id = pathId(ctx, { what: '事件编号' });
    const input = await readBody(ctx.req, EventActionV1);
    const actor = await actorOf(app.db, ctx.session!);
    const result = await act(app, actor, id, input, ctx.ip);
    return { status: result.replayed ? 200 : 201, body: await eventDetail(app.db, actor, id) };
  });

  router.add('POST', '/api/v1/events/:id/lock', 'actOnEvents', {
    doc: {
      summary: '锁定事件（表示我正在处理）',
      description: '软锁：他人可见谁在处理。他人持锁时答 409，takeover 为 true 时接手。',
      body: LockRequest,
      response: { type: 'object' },
      errors: { 409: '他人正在处理' },
    },
  }, async (ctx) => {
    const id = pathId(ctx, { what: '事件编号' });
    const { takeover } = await readBody(ctx.req, LockRequest);
    return { body: await takeLock(app, await actorOf(app.db, ctx.session!), id, takeover, ctx.ip) };
  });

  router.add('POST', '/api/v1/events/:id/unlock', 'actOnEvents', {
    doc: { summary: '解除我对事件的锁定', body: Empty, response: { type: 'object', properties: { ok: { const: true } }, required: ['ok'] } },
  }, async (ctx) => {
    const id = pathId(ctx, { what: '事件编号' });
    await readBody(ctx.req, Empty);
    await releaseLock(app, await actorOf(app.db, ctx.session!), id, ctx.ip);
    return { body: { ok: true } };
  });

  router.add('POST', '/api/v1/events/:id/tasks/:task/done', 'actOnEvents', {
    doc: { summary: '完成联合处置的一项子任务', description: '本部门的子任务（S12）；全部完成后事件可处置反馈。', body: TaskDone, responses: { 200: DETAIL }, errors: { 409: '子任务已完成或事件状态不允许' } },
  }, async (ctx) => {
    const id = pathId(ctx, { what: '事件编号' });
    const task = Id.safeParse(ctx.params.task);
    if (!task.success) throw new DomainError('invalid', 'invalid', '子任务编号无效', [{ path: 'params.task', message: '须为正整数' }]);
    const { note } = await readBody(ctx.req, TaskDone);
    const actor = await actorOf(app.db, ctx.session!);
    await completeTask(app, actor, id, task.data, note, ctx.ip);
    return { body: await eventDetail(app.db, actor, id) };
  });

  // S13 supervision notices: what the socket delivered live, for a page that was closed then.
  router.add('GET', '/api/v1/notices', 'session', {
    doc: { summary: '我的通知', description: '督办通知等（S13），新的在前，最多 100 条；event 只列某事件的。', query: NoticesQuery, response: z.array(NoticeV1.extend({ read: z.boolean() })) },
  }, async ({ session, url }) => {
    const { event } = readQuery(url, NoticesQuery);
    const { rows } = await app.db.query<NoticeV1 & { read: boolean }>(
      `SELECT id, account_id AS "accountId", kind, event_id AS "eventId", title, body,
              ${isoSql('created_at')} AS "createdAt", read_at IS NOT NULL AS read
         FROM notifications WHERE account_id = $1 AND ($2::bigint IS NULL OR event_id = $2)
        ORDER BY created_at DESC, id DESC LIMIT 100`,
      [session!.uid, event ?? null],
    );
    return { body: rows };
  });

  router.add('POST', '/api/v1/notices/read', 'reportEvents', {
    doc: { summary: '把通知标为已读', body: NoticesRead, response: { type: 'object', properties: { read: { type: 'integer', description: '本次新标为已读的条数' } }, required: ['read'] } },
  }, async (ctx) => {
    const { ids } = await readBody(ctx.req, NoticesRead);
    const read = await inTransaction(app.db, async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE notifications SET read_at = now() WHERE account_id = $1 AND id = ANY($2::bigint[]) AND read_at IS NULL`,
        [ctx.session!.uid, ids],
      );
      if (rowCount) await audit(tx, ctx.session, { action: 'notice.read', detail: { ids }, ip: ctx.ip });
      return rowCount ?? 0;
    });
    return { body: { read } };
  });
}
