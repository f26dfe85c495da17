import { z } from 'zod';
import {
  AcknowledgeInput,
  ConvertInput,
  HOTSPOT_CLASS_LABEL,
  WARNING_KIND_LABEL,
  WarningDetailV1,
  WarningListQuery,
  WarningListV1,
  WarningSettings,
  WarningV1,
} from '@/lib/contracts/warnings';
import type { AppContext } from '../../context';
import { inTransaction } from '../../db/pool';
import { args, eventScopeSql } from '../../db/scope';
import { isoSql } from '../../db/sql';
import { DomainError, forbidden } from '../../errors';
import { reachOfSession } from '../../events/viewer';
import { audit } from '../../repo/audit';
import { acknowledgeWarning, checkMayAct, convertWarning } from '../../warnings/act';
import { listWarnings, warningsById } from '../../warnings/read';
import { runWarnings } from '../../warnings/run';
import { forViewer, maySeeWarning, WARNING_READERS } from '../../warnings/scope';
import { readWarningSettings, writeWarningSettings } from '../../warnings/settings';
import { readBody, readQuery, type Ctx, type Router } from '../router';

const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
function idOf(ctx: Ctx): number {
  const parsed = Id.safeParse(ctx.params.id);
  if (!parsed.success) throw new DomainError('invalid', 'invalid', '预警编号无效', [{ path: 'params.id', message: '须为正整数' }]);
  return parsed.data;
}
const notFound = (id: number) => new DomainError('not_found', 'not_found', `预警 ${id} 不存在`);
const Empty = z.object({}).strict();
function reader(ctx: Ctx): NonNullable<Ctx['session']> {
  if (!WARNING_READERS.includes(ctx.session!.role)) throw forbidden();
  return ctx.session!;
}

const KINDS = Object.entries(WARNING_KIND_LABEL).map(([k, v]) => `${v}（${k}）`).join('、');
const CLASSES = Object.entries(HOTSPOT_CLASS_LABEL).map(([k, v]) => `${v}（${k}）`).join('、');
const WARNING = { description: '预警的现状', schema: WarningV1 };
const ACTORS = '区级领导、区指挥中心可处置任何预警；站长、常务副站长处置本站的预警（全区预警由区级处置）。';

export function warningRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/warnings', 'session', {
    doc: {
      summary: '预警列表',
      description:
        `S9 智治预警：${KINDS}；新兴热点的类别为 ${CLASSES}。state=active（默认）为仍被检出或仍在处置中的预警，all 含已消除的（最多 500 条，红橙黄蓝、再按更新时间）。` +
        '区级角色与区级大屏看全区；站长、常务副站长与工作站大屏看本站的与全区性的（stationId 为 null）；其他角色 403。',
      query: WarningListQuery,
      response: WarningListV1,
    },
  }, async (ctx) => {
    const session = reader(ctx);
    const q = readQuery(ctx.url, WarningListQuery);
    const body: WarningListV1 = { warnings: await listWarnings(app.db, await reachOfSession(app.db, session), q) };
    return { body };
  });

  router.add('GET', '/api/v1/warnings/:id', 'session', {
    doc: {
      summary: '一条预警及其事件',
      description: '预警与其依据的事件摘要（至多 200 条，最新在前；只含本人可见的事件）。',
      response: WarningDetailV1,
      errors: { 403: '不是领导或大屏角色', 404: '预警不存在或不在可见范围内' },
    },
  }, async (ctx) => {
    const session = reader(ctx);
    const id = idOf(ctx);
    const reach = await reachOfSession(app.db, session);
    const [warning] = await warningsById(app.db, [id]);
    if (!warning || !maySeeWarning(reach, warning.stationId)) throw notFound(id);
    const { args: list, arg } = args([warning.eventIds]);
    const { rows } = await app.db.query<WarningDetailV1['events'][number]>(
      `SELECT e.id, e.title, e.category, e.state, ${isoSql('e.reported_at')} AS "reportedAt", e.grid_code AS "gridCode",
              ST_X(e.location) AS lon, ST_Y(e.location) AS lat
         FROM events e WHERE e.id = ANY($1::bigint[]) AND ${eventScopeSql(reach, session.uid, arg)}
        ORDER BY e.reported_at DESC`,
      list,
    );
    const body: WarningDetailV1 = { warning: forViewer(warning, reach), events: rows };
    return { body };
  });

  router.add('POST', '/api/v1/warnings/:id/acknowledge', 'actOnWarnings', {
    doc: {
      summary: '签收预警',
      description: `待签收 → 已签收。${ACTORS}同一 requestKey 的重试返回第一次的结果。`,
      body: AcknowledgeInput,
      responses: { 200: WARNING },
      errors: { 403: '不是本站的预警', 404: '预警不存在或不可见', 409: '预警已签收、已转办或已消除' },
    },
  }, async (ctx) => {
    const id = idOf(ctx);
    await checkMayAct(app.db, ctx.session!, id);
    const input = await readBody(ctx.req, AcknowledgeInput);
    return { body: await acknowledgeWarning(app, ctx.session!, id, input, ctx.ip) };
  });

  router.add('POST', '/api/v1/warnings/:id/convert', 'actOnWarnings', {
    doc: {
      summary: '预警转会商议题或联合巡查',
      description:
        'to=consultation：成为本站下一次会商（最早的待开例会，没有则为进行中的会商；都没有时先安排本月与下月例会）的议题“预警：标题”，议程随即更新并推送（S11）；' +
        `to=inspection：建立一项 7 天内完成的联合巡查任务（S10）。同时视为签收。${ACTORS}同一 requestKey 的重试返回第一次的结果。`,
      body: ConvertInput,
      responses: { 200: WARNING },
      errors: { 403: '不是本站的预警', 404: '预警不存在或不可见', 409: '预警已转办或已消除', 422: '全区预警不能转为会商议题（body.to）' },
    },
  }, async (ctx) => {
    const id = idOf(ctx);
    await checkMayAct(app.db, ctx.session!, id);
    const input = await readBody(ctx.req, ConvertInput);
    return { body: await convertWarning(app, ctx.session!, id, input, ctx.ip) };
  });

  router.add('GET', '/api/v1/admin/warning-settings', 'manageSystem', {
    doc: { summary: '预警参数', description: '各预警方法的阈值（全区一份），含义见 README“预警（S9）”。', response: WarningSettings },
  }, async () => ({ body: await readWarningSettings(app.db) }));

  router.add('PUT', '/api/v1/admin/warning-settings', 'manageSystem', {
    doc: {
      summary: '修改预警参数',
      description: '整份替换；下一次运行起生效（运行间隔 everyMinutes 在下一个检查点即生效）。留审计。',
      body: WarningSettings,
      response: WarningSettings,
    },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, WarningSettings);
    const saved = await inTransaction(app.db, async (tx) => {
      const s = await writeWarningSettings(tx, input);
      await audit(tx, session, { action: 'warning.settings', target: 'warning_settings', detail: { ...s }, ip });
      return s;
    });
    return { body: saved };
  });

  router.add('POST', '/api/v1/admin/warnings/run', 'runWarnings', {
    doc: {
      summary: '立即运行预警',
      description: '立即运行四种预警检测并保存结果（新增、更新、消除），返回各方法检出数与耗时（毫秒）；多个进程同时运行时依次保存，不会重复。留审计。',
      body: Empty,
      response: { type: 'object', properties: { ran: { type: 'boolean' }, found: { type: 'object' }, raised: { type: 'integer' }, updated: { type: 'integer' }, cleared: { type: 'integer' }, unchanged: { type: 'integer' }, ms: { type: 'object' }, changed: { type: 'array', items: { type: 'integer' } } }, required: ['ran', 'found', 'ms'] },
    },
  }, async ({ req, session, ip }) => {
    await readBody(req, Empty);
    const run = await runWarnings(app);
    await audit(app.db, session, { action: 'warning.run', target: 'warnings', detail: { ran: run.ran, found: run.found, raised: run.raised, cleared: run.cleared, ms: run.ms }, ip });
    return { body: run };
  });
}
