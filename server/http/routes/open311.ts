import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { errorsOf, FORMATS, formatOfPath, GEOREPORT_SPEC, isFormat, listOf, MEDIA_TYPE, parseW3cDateTime, renderDocument, windowOf, type Format } from '@/lib/open311/georeport';
import type { XmlValue } from '@/lib/open311/xml';
import { open311KeyOf, type Open311Key } from '../../auth/apikey';
import type { AppContext } from '../../context';
import { DomainError } from '../../errors';
import { countKeyPost, OPEN311_POSTS_PER_KEY } from '../../open311/limits';
import { findRequests, requestEntry } from '../../open311/requests';
import { serviceDefinition, serviceEntry, servicesOf } from '../../open311/services';
import { bad, fileRequest, missing } from '../../open311/submit';
import { auditRefusal } from '../../repo/audit';
import { readForm, readQuery, sendText, type Ctx, type ErrorBody, type JsonSchema, type RouteDoc, type Router } from '../router';

/**
 * Open311 GeoReport v2 (issue 14 point 2; S9: residents report from anywhere, through the civic
 * apps they already use): /open311/v2, in JSON and XML as the specification says, with its error
 * bodies. Public routes: a client application authenticates by the api_key form or query field (a
 * key of source 'open311' from /admin); no cookie is read, so these routes have no CSRF surface,
 * and civic platforms call them server to server, so no CORS is granted.
 */

const BASE = '/open311/v2';
/** A form of the spec's fields is a few KB; 64 KB leaves room for a 4,000-character description in any script. */
const MAX_FORM = 64 * 1024;

function sendGeoReport(res: ServerResponse, format: Format, root: string, value: XmlValue, status = 200): void {
  const { type, text } = renderDocument(format, root, value);
  sendText(res, status, type, text);
}

/**
 * Every refusal on these paths (ours, a validation's, the router's 405/413/415, a 503) in the spec's
 * error body, `[{code, description}]` or `<errors>`: the status and headers stay errorAnswer's.
 * Never our JSON problem format, which no Open311 client reads.
 */
const open311ErrorBody: ErrorBody = (answer, ctx) =>
  renderDocument(formatOfPath(ctx.url.pathname), 'errors', errorsOf(answer.status, answer.body.message, answer.body.issues));

const notFound = (field: string, message: string) => new DomainError('not_found', 'not_found', `${field}: ${message}`, [{ path: field, message }]);
const forbidden = (message: string) => new DomainError('forbidden', 'invalid_api_key', `api_key: ${message}`, [{ path: 'api_key', message }]);

function formatOf(ctx: Ctx): Format {
  const f = ctx.params.format;
  if (!isFormat(f)) throw notFound('format', `不支持的格式 .${f.slice(0, 20)}：可用 ${FORMATS.map((x) => `.${x}`).join('、')}`);
  return f;
}

/** Our one jurisdiction: the district's statistical code (e.g. 330503); the spec lets a single-jurisdiction endpoint ignore it, we check it when given. */
async function checkJurisdiction(app: AppContext, given: string | null | undefined): Promise<void> {
  if (!given?.trim()) return;
  const { rows } = await app.db.query<{ code: string }>(`SELECT code FROM regions WHERE level = 'district' ORDER BY code`);
  if (!rows.some((r) => r.code === given.trim())) throw notFound('jurisdiction_id', `未知的辖区 ${given.slice(0, 40)}（本服务为 ${rows.map((r) => r.code).join('、')}）`);
}

async function clientOf(app: AppContext, token: string | null | undefined, ip: string, required: boolean): Promise<Open311Key | null> {
  if (!token?.trim()) {
    if (required) throw forbidden('未提供 API 密钥（表单字段 api_key）');
    return null;
  }
  const key = await open311KeyOf(app.db, token.trim());
  if (!key) {
    await auditRefusal(app.db, { action: 'open311.key_refused', ip });
    throw forbidden('API 密钥无效或已吊销');
  }
  return key;
}

const Str = (d: string) => z.string().optional().describe(d);
const Jurisdiction = Str('辖区代码（区的统计代码，如 330503）；可省略');
const RequestsQuery = z.object({
  jurisdiction_id: Jurisdiction,
  api_key: Str('客户端应用的 API 密钥：给出时另含本应用提交的诉求（否则只有公开的已办结诉求）'),
  service_request_id: Str('查询码或公开编号 P<事件号>，逗号分隔；给出时忽略其他筛选'),
  service_code: Str('服务代码，逗号分隔'),
  start_date: Str('提交时间下限（W3C 日期时间，须带时区，如 2026-01-01T00:00:00+08:00）'),
  end_date: Str('提交时间上限；与 start_date 相距不超过 90 天；都省略时为最近 90 天'),
  status: Str('open 或 closed，逗号分隔'),
});
const OneQuery = z.object({ jurisdiction_id: Jurisdiction, api_key: RequestsQuery.shape.api_key });
const ServicesQuery = z.object({ jurisdiction_id: Jurisdiction });

const str = { type: 'string' } as const;
const nullable = (type: string): JsonSchema => ({ type: [type, 'null'] });
const ERRORS_SCHEMA: JsonSchema = {
  type: 'array',
  description: 'GeoReport v2 的错误列表（XML 为 <errors><error><code/><description/></error></errors>）',
  items: { type: 'object', required: ['code', 'description'], properties: { code: { type: 'integer' }, description: str } },
};
const REQUEST_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    service_request_id: str, status: { enum: ['open', 'closed'] }, status_notes: nullable('string'), service_name: str, service_code: str,
    description: nullable('string'), agency_responsible: nullable('string'), service_notice: nullable('string'),
    requested_datetime: str, updated_datetime: str, expected_datetime: nullable('string'), address: nullable('string'),
    address_id: nullable('string'), zipcode: nullable('string'), lat: nullable('number'), long: nullable('number'), media_url: nullable('string'),
  },
};
const TYPES = [MEDIA_TYPE.json.split(';')[0], MEDIA_TYPE.xml.split(';')[0]];
const params = (extra: Record<string, JsonSchema> = {}) => ({ format: { enum: [...FORMATS] }, ...extra });
const errorDocs = (codes: Record<number, string>) =>
  Object.fromEntries(Object.entries(codes).map(([status, description]) => [status, { description, schema: ERRORS_SCHEMA, types: TYPES }]));
const doc = (d: RouteDoc & { ok: JsonSchema; okStatus?: number; errs: Record<number, string> }): RouteDoc => {
  const { ok, okStatus = 200, errs, ...rest } = d;
  return { ...rest, responses: { [okStatus]: { description: '成功（格式由路径后缀 .json 或 .xml 决定）', schema: ok, types: TYPES }, ...errorDocs(errs) } };
};

export function open311Routes(router: Router, app: AppContext): void {
  const options = (d: RouteDoc) => ({ doc: d, errorBody: open311ErrorBody });

  router.add('GET', `${BASE}/discovery.:format`, 'public', options(doc({
    summary: 'Open311 服务发现',
    description: 'Open311 Service Discovery：本服务的 GeoReport v2 端点、支持的格式、联系与申请密钥的方式。',
    operationId: 'open311Discovery', params: params(), ok: { type: 'object' }, errs: { 404: '不支持的格式' },
  })), async (ctx) => {
    const format = formatOf(ctx);
    const { rows } = await app.db.query<{ changeset: string }>(`SELECT to_char(coalesce(max(updated_at), now()) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS changeset FROM categories`);
    const host = ctx.req.headers.host ?? 'localhost';
    const secure = app.config.mode === 'production';
    sendGeoReport(ctx.res, format, 'discovery', {
      changeset: rows[0].changeset,
      contact: '请联系区社会治理联动指挥中心的系统管理员。',
      key_service: '密钥由系统管理员在“系统管理 → 接口密钥”中签发（来源：Open311 应用）。',
      endpoints: [{ specification: GEOREPORT_SPEC, url: `${secure ? 'https' : 'http'}://${host}${BASE}`, changeset: rows[0].changeset, type: 'production', formats: TYPES }],
    });
  });

  router.add('GET', `${BASE}/services.:format`, 'public', options(doc({
    summary: 'Open311 服务列表（来自事件类别）',
    description: 'service_code 即类别代码；有子类的类别 metadata 为 true，其定义含 subcategory 单选属性；政策咨询、投诉、建议各为一项服务。',
    operationId: 'open311Services', params: params(), query: ServicesQuery, ok: { type: 'array' }, errs: { 404: '未知的 jurisdiction_id 或不支持的格式' },
  })), async (ctx) => {
    const format = formatOf(ctx);
    await checkJurisdiction(app, readQuery(ctx.url, ServicesQuery).jurisdiction_id);
    const ref = await app.reference.get();
    sendGeoReport(ctx.res, format, 'services', servicesOf(ref).map((s) => serviceEntry(s, ref)));
  });

  router.add('GET', `${BASE}/services/:service_code.:format`, 'public', options(doc({
    summary: 'Open311 服务定义',
    operationId: 'open311ServiceDefinition', params: params({ service_code: str }), query: ServicesQuery, ok: { type: 'object' },
    errs: { 404: '未知的 service_code 或 jurisdiction_id，或不支持的格式' },
  })), async (ctx) => {
    const format = formatOf(ctx);
    await checkJurisdiction(app, readQuery(ctx.url, ServicesQuery).jurisdiction_id);
    const service = servicesOf(await app.reference.get()).find((s) => s.code === ctx.params.service_code);
    if (!service) throw notFound('service_code', `未知的服务 ${ctx.params.service_code.slice(0, 40)}`);
    sendGeoReport(ctx.res, format, 'service_definition', serviceDefinition(service));
  });

  router.add('POST', `${BASE}/requests.:format`, 'public', {
    body: 'form',
    ...options(doc({
      summary: 'Open311 提交诉求（须 API 密钥）',
      description:
        '表单字段：api_key（必填）、service_code（必填）、位置（lat 与 long，或 address_string，或 address_id＝村社 12 位代码）、attribute[subcategory]、' +
        'description、first_name、last_name、phone、email、device_id、account_id、media_url（只保存，不抓取）。成为群众诉求（政策咨询→咨询，投诉/建议→投诉/建议，其余→问题上报），' +
        '进入所在工作站的队列；service_request_id 即查询码。同一应用重发完全相同的表单答同一 service_request_id（201 新建，200 重发）。' +
        `每个密钥每 10 分钟至多 ${OPEN311_POSTS_PER_KEY} 次；每个地址与群众端共用同一提交限额；超出答 429 并带 Retry-After。`,
      // Its key is the form's api_key field, not the Bearer scheme of the event sources: described here, not as a security scheme.
      operationId: 'open311PostRequest', params: params(), okStatus: 201,
      ok: { type: 'array', items: { type: 'object', properties: { service_request_id: str, service_notice: str, account_id: nullable('string') } } },
      errs: { 400: '字段缺失或无效（description 指出字段）', 403: 'api_key 缺失、无效或已吊销', 404: '未知的 service_code 或 jurisdiction_id，或不支持的格式', 429: '提交过于频繁（带 Retry-After）' },
    })),
  }, async (ctx) => {
    const format = formatOf(ctx);
    const form = await readForm(ctx.req, MAX_FORM);
    await checkJurisdiction(app, form.get('jurisdiction_id'));
    const key = (await clientOf(app, form.get('api_key'), ctx.ip, true))!;
    // Before anything else is read: a flood from a leaked key costs a counter, not the database (review M7).
    await countKeyPost(app.config, key.id);
    const code = form.get('service_code')?.trim();
    if (!code) throw missing('service_code');
    const service = servicesOf(await app.reference.get()).find((s) => s.code === code);
    if (!service) throw notFound('service_code', `未知的服务 ${code.slice(0, 40)}`);
    const filed = await fileRequest(app, key, service, form, ctx.ip).catch((err: unknown) => {
      // The spec has 404 for what does not exist, 403 for the key, and 400 for every other request it cannot fulfil.
      if (err instanceof DomainError && (err.failure === 'unprocessable' || err.failure === 'conflict')) throw new DomainError('invalid', err.code, err.message, err.issues);
      throw err;
    });
    sendGeoReport(ctx.res, format, 'service_requests', filed.answer, filed.created ? 201 : 200);
  });

  router.add('GET', `${BASE}/requests.:format`, 'public', options(doc({
    summary: 'Open311 查询诉求',
    description:
      '带 api_key 时为本应用提交的诉求（service_request_id 为查询码），另加选择公开的工作站已办结的问题上报；不带时只有后者：' +
      'service_request_id 为公开编号 P<事件号>（不是查询码），description 为类别名称，地址为村社名称，坐标保留 3 位小数。' +
      '本应用的诉求若已并入他人反映的同一事件，只答其状态，地址与坐标同公开的一样。不含任何人的姓名、电话或邮箱。最多 1000 条。',
    operationId: 'open311GetRequests', params: params(), query: RequestsQuery, ok: { type: 'array', items: REQUEST_SCHEMA },
    errs: { 400: '筛选条件无效（description 指出字段）', 403: 'api_key 无效或已吊销', 404: '未知的 jurisdiction_id 或不支持的格式' },
  })), async (ctx) => {
    const format = formatOf(ctx);
    const q = readQuery(ctx.url, RequestsQuery);
    await checkJurisdiction(app, q.jurisdiction_id);
    const key = await clientOf(app, q.api_key, ctx.ip, false);
    const ids = listOf(ctx.url.searchParams.getAll('service_request_id'));
    const statuses = listOf(ctx.url.searchParams.getAll('status'));
    const wrong = statuses.find((s) => s !== 'open' && s !== 'closed');
    if (wrong) throw bad('status', `须为 open 或 closed，收到 ${wrong.slice(0, 20)}`);
    const dateOf = (name: 'start_date' | 'end_date') => {
      const raw = q[name]?.trim();
      if (!raw) return null;
      const d = parseW3cDateTime(raw);
      if (!d) throw bad(name, '须为带时区的 W3C 日期时间，如 2026-01-01T00:00:00+08:00');
      return d;
    };
    const window = windowOf(dateOf('start_date'), dateOf('end_date'), new Date());
    if ('error' in window) throw bad('end_date', window.error);
    const rows = await findRequests(app, {
      clientId: key?.id ?? null,
      ...(ids.length ? { ids } : { serviceCodes: listOf(ctx.url.searchParams.getAll('service_code')), statuses: statuses as ('open' | 'closed')[], from: window.from, to: window.to }),
    });
    const ref = await app.reference.get();
    sendGeoReport(ctx.res, format, 'service_requests', rows.map((r) => requestEntry(r, ref)));
  });

  router.add('GET', `${BASE}/requests/:service_request_id.:format`, 'public', options(doc({
    summary: 'Open311 查询一条诉求',
    description: 'service_request_id 为本应用的查询码或公开编号 P<事件号>；可见范围同“查询诉求”；看不到的与不存在的一样答 404。',
    operationId: 'open311GetRequest', params: params({ service_request_id: str }), query: OneQuery, ok: { type: 'array', items: REQUEST_SCHEMA },
    errs: { 403: 'api_key 无效或已吊销', 404: '没有这条诉求（或不可见），或不支持的格式' },
  })), async (ctx) => {
    const format = formatOf(ctx);
    const q = readQuery(ctx.url, OneQuery);
    await checkJurisdiction(app, q.jurisdiction_id);
    const key = await clientOf(app, q.api_key, ctx.ip, false);
    const rows = await findRequests(app, { clientId: key?.id ?? null, ids: [ctx.params.service_request_id] });
    if (rows.length === 0) throw notFound('service_request_id', `没有查询码为 ${ctx.params.service_request_id.slice(0, 20)} 的诉求`);
    const ref = await app.reference.get();
    sendGeoReport(ctx.res, format, 'service_requests', rows.slice(0, 1).map((r) => requestEntry(r, ref)));
  });
}
