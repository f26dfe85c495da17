import { z } from 'zod';
import { EventActionV1, EventListQuery, EventReportV1, LockRequest, type NoticeV1 } from '@/lib/contracts/events';
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
import { forbidden, HttpError, unauthorized } from '../errors';
import { readBody, readQuery, type Ctx, type Router } from '../router';
import { isoSql } from '../../db/sql';

const Id = z.coerce.number().int().positive();
function idOf(ctx: Ctx): number {
  const parsed = Id.safeParse(ctx.params.id);
  if (!parsed.success) throw new HttpError(400, 'invalid', '事件编号无效', [{ path: 'params.id', message: '须为正整数' }]);
  return parsed.data;
}

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
  router.add('POST', '/api/v1/events', 'public', async (ctx) => {
    const who = await reporterOf(app, ctx);
    const input = await readBody(ctx.req, EventReportV1);
    const receipt = await reportEvent(app, who, input);
    return { status: receipt.created ? 201 : 200, body: receipt, headers: { location: `/api/v1/events/${receipt.id}` } };
  });

  router.add('GET', '/api/v1/events', 'session', async ({ session, url }) => {
    if (session!.role === 'display') throw forbidden();
    const q = readQuery(url, EventListQuery);
    return { body: await listEvents(app.db, await actorOf(app.db, session!), q.scope, q.state, q.limit) };
  });

  router.add('GET', '/api/v1/events/:id', 'session', async (ctx) => {
    if (ctx.session!.role === 'display') throw forbidden();
    return { body: await eventDetail(app.db, await actorOf(app.db, ctx.session!), idOf(ctx)) };
  });

  router.add('POST', '/api/v1/events/:id/actions', 'actOnEvents', async (ctx) => {
    const id = idOf(ctx);
    const input = await readBody(ctx.req, EventActionV1);
    const actor = await actorOf(app.db, ctx.session!);
    const result = await act(app, actor, id, input, ctx.ip);
    return { status: result.replayed ? 200 : 201, body: await eventDetail(app.db, actor, id) };
  });

  router.add('POST', '/api/v1/events/:id/lock', 'actOnEvents', async (ctx) => {
    const id = idOf(ctx);
    const { takeover } = await readBody(ctx.req, LockRequest);
    return { body: await takeLock(app, await actorOf(app.db, ctx.session!), id, takeover, ctx.ip) };
  });

  router.add('POST', '/api/v1/events/:id/unlock', 'actOnEvents', async (ctx) => {
    const id = idOf(ctx);
    await readBody(ctx.req, z.object({}).strict());
    await releaseLock(app, await actorOf(app.db, ctx.session!), id, ctx.ip);
    return { body: { ok: true } };
  });

  router.add('POST', '/api/v1/events/:id/tasks/:task/done', 'actOnEvents', async (ctx) => {
    const id = idOf(ctx);
    const task = Id.safeParse(ctx.params.task);
    if (!task.success) throw new HttpError(400, 'invalid', '子任务编号无效', [{ path: 'params.task', message: '须为正整数' }]);
    const { note } = await readBody(ctx.req, z.object({ note: z.string().trim().max(2000).optional() }).strict());
    const actor = await actorOf(app.db, ctx.session!);
    await completeTask(app, actor, id, task.data, note, ctx.ip);
    return { body: await eventDetail(app.db, actor, id) };
  });

  // S13 supervision notices: what the socket delivered live, for a page that was closed then.
  router.add('GET', '/api/v1/notices', 'session', async ({ session, url }) => {
    const { event } = readQuery(url, z.object({ event: z.coerce.number().int().positive().optional() }));
    const { rows } = await app.db.query<NoticeV1 & { read: boolean }>(
      `SELECT id, account_id AS "accountId", kind, event_id AS "eventId", title, body,
              ${isoSql('created_at')} AS "createdAt", read_at IS NOT NULL AS read
         FROM notifications WHERE account_id = $1 AND ($2::bigint IS NULL OR event_id = $2)
        ORDER BY created_at DESC, id DESC LIMIT 100`,
      [session!.uid, event ?? null],
    );
    return { body: rows };
  });

  router.add('POST', '/api/v1/notices/read', 'reportEvents', async (ctx) => {
    const { ids } = await readBody(ctx.req, z.object({ ids: z.array(z.number().int().positive()).min(1).max(500) }).strict());
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
