import { z } from 'zod';
import { EVENT_STATES } from '@/lib/events/machine';
import { EventActionV1, EventReportV1, EXTERNAL_SOURCES, PLACEMENT_LABEL, SOURCE_LABEL } from '@/lib/contracts/events';
import { PositionBatchV1, PositionV1, REJECT_REASONS } from '@/lib/contracts/live';
import { STATS_COLUMNS } from '@/lib/contracts/stats';
import { IMAGE_MIMES } from '@/lib/media/sniff';
import { PERMISSIONS, ROLE_LABEL, type Permission } from '@/lib/roles';
import { SESSION_COOKIE } from '../auth/session';
import { BODY_TYPES, type JsonSchema, type ResponseDoc, type RouteInfo, type Router, type SchemaLike } from './router';

export type { JsonSchema };

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface OpenApiOperation {
  summary: string;
  description?: string;
  operationId: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: JsonSchema[];
  requestBody?: { description?: string; required: boolean; content: Record<string, { schema: JsonSchema; example?: unknown }> };
  responses: Record<string, JsonSchema>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<Method, OpenApiOperation>>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

/** Components written here; route docs name them with ref(). */
type ComponentName = 'EventReportV1' | 'EventReceiptV1' | 'EventActionV1' | 'EventDetail' | 'Photo' | 'StatsUploadReceiptV1' | 'PositionBatchV1' | 'PositionV1' | 'PositionResult' | 'Error';

export const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });

/** Request schemas come from the zod schemas the server validates with, so the two cannot drift. */
function fromZod(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  // The document's dialect is OpenAPI 3.1's; a $schema in each schema would only repeat it.
  delete out.$schema;
  return out;
}

function eventReportSchema(): JsonSchema {
  return {
    ...fromZod(EventReportV1, 'input'),
    // The "one of these places" rule is a zod refinement, which JSON Schema conversion cannot see.
    anyOf: [{ required: ['location'] }, { required: ['villageCode'] }, { required: ['address'] }],
    description:
      '一条事件上报（版本 1）。须提供位置 location、村社代码 villageCode 或地址 address 之一：有点位按点落到网格，' +
      '否则按村社落点。同一来源内 idempotencyKey 相同的重试返回第一次的回执，不会重复建事件。photos 为先经 POST /api/v1/photos 上传得到的 id。',
  };
}

/**
 * The server takes a batch of anything and checks each item on its own (a bad one is rejected
 * with its reason, not the batch); a client should still send PositionV1 items.
 */
function positionBatchSchema(): JsonSchema {
  const batch = fromZod(PositionBatchV1, 'input');
  const props = batch.properties as Record<string, JsonSchema>;
  return { ...batch, properties: { ...props, positions: { ...props.positions, items: ref('PositionV1') } } };
}

/** Zod schemas that are components: a route passing one gets a $ref, not a copy. */
const NAMED = new Map<z.ZodType, ComponentName>([
  [EventReportV1, 'EventReportV1'],
  [EventActionV1, 'EventActionV1'],
  [PositionBatchV1, 'PositionBatchV1'],
  [PositionV1, 'PositionV1'],
]);

const nullable = (type: string, extra: JsonSchema = {}) => ({ type: [type, 'null'], ...extra });

const EventReceiptSchema: JsonSchema = {
  type: 'object',
  description: '上报回执：新事件 201，同一 idempotencyKey 的重试 200（回执相同，created 为 false）。',
  properties: {
    id: { type: 'integer', description: '事件编号' },
    created: { type: 'boolean', description: 'true：本次新建；false：此前已收到同一上报' },
    state: { type: 'string', enum: [...EVENT_STATES] },
    placement: { type: 'string', enum: Object.keys(PLACEMENT_LABEL), description: 'point 按点位；village 按村社；none 未定位' },
    gridCode: nullable('string'),
    villageCode: nullable('string'),
    townCode: nullable('string'),
    stationId: nullable('integer'),
    duplicateOf: nullable('integer', { description: '疑似重复的已有事件（同类、未结、100 米内、24 小时内）' }),
    deadlineAt: nullable('string', { format: 'date-time', description: '当前阶段的时限（黄牌）' }),
  },
  required: ['id', 'created', 'state', 'placement', 'gridCode', 'villageCode', 'townCode', 'stationId', 'duplicateOf', 'deadlineAt'],
  additionalProperties: false,
};

const ErrorSchema: JsonSchema = {
  type: 'object',
  description: '所有错误的形状。issues 列出出错的字段，path 形如 body.location.lon、query.from、params.id。',
  properties: {
    error: { type: 'string', description: '机器可读的错误码，如 invalid、unauthorized、idempotency_conflict、unknown_category' },
    message: { type: 'string', description: '中文说明' },
    issues: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
        required: ['path', 'message'],
      },
    },
  },
  required: ['error', 'message'],
};

const PhotoSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: '^[0-9a-f]{64}$', description: '内容的 SHA-256（十六进制）：同一张照片永远是同一个 id' },
    mime: { type: 'string', enum: [...IMAGE_MIMES], description: '按文件内容识别的类型' },
    bytes: { type: 'integer' },
  },
  required: ['id', 'mime', 'bytes'],
  additionalProperties: false,
};

const StatsReceiptSchema: JsonSchema = {
  type: 'object',
  description: '逐行回执。全部成功才写入（200，accepted 为写入行数）；任一行有误则什么都不写（422，accepted 为 0，另有 error 与 message）。',
  properties: {
    accepted: { type: 'integer' },
    rows: {
      type: 'array',
      items: {
        oneOf: [
          {
            type: 'object',
            properties: { row: { type: 'integer', description: '文件中的行号（表头为第 1 行）' }, ok: { const: true } },
            required: ['row', 'ok'],
          },
          {
            type: 'object',
            properties: {
              row: { type: 'integer' },
              ok: { const: false },
              field: { type: 'string', enum: [...STATS_COLUMNS, 'row', 'header', 'body'] },
              message: { type: 'string' },
            },
            required: ['row', 'ok', 'field', 'message'],
          },
        ],
      },
    },
    error: { type: 'string' },
    message: { type: 'string' },
  },
  required: ['accepted', 'rows'],
};

const PositionResultSchema: JsonSchema = {
  type: 'object',
  description: '逐条校验：不合格的点位给出原因，同一批的其余点位照常接收。',
  properties: {
    accepted: { type: 'integer' },
    rejected: {
      type: 'array',
      items: {
        type: 'object',
        properties: { index: { type: 'integer' }, reason: { type: 'string', enum: [...REJECT_REASONS] }, message: { type: 'string' } },
        required: ['index', 'reason', 'message'],
      },
    },
  },
  required: ['accepted', 'rejected'],
};

const EventDetailSchema: JsonSchema = {
  type: 'object',
  description: '事件详情（与 GET /api/v1/events/{id} 相同），含流转记录 log 与当前可执行的 actions。',
  properties: {
    id: { type: 'integer' },
    version: { type: 'integer' },
    state: { type: 'string', enum: [...EVENT_STATES] },
    log: { type: 'array', items: { type: 'object' } },
    actions: { type: 'array', items: { type: 'string' } },
  },
  required: ['id', 'version', 'state', 'log', 'actions'],
};

const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });

/** Groups by the path's first segments; the first rule that matches names the tag. */
const TAGS: [RegExp, string, string][] = [
  [/^\/(healthz|readyz|metrics|version)$|^\/api\/v1\/openapi\.json$/, '运维', '存活与就绪检查、版本、指标与本文档'],
  [/^\/api\/v1\/(auth|setup)\b/, '登录与会话', '工作人员登录、退出与首个管理员初始化'],
  [/^\/api\/v1\/(regions|stations$)/, '地图', '区划与工作站的 GeoJSON'],
  [/^\/api\/v1\/(units|live|positions|incidents|osmand|duty)\b/, '实时态势', '单位定位上报（含 OsmAnd 协议）、上岗下岗、实时事件与热力'],
  [/^\/api\/v1\/history\b|^\/api\/v1\/inspections\/[^/]+\/route$/, '轨迹回放', '轨迹、时刻快照与回放所需的事件（每次读取留审计）'],
  [/^\/api\/v1\/(coverage|visits)\b|^\/api\/v1\/admin\/coverage-settings$/, '巡查覆盖', '走访、巡查与四清覆盖（S3、S10）'],
  [/^\/api\/v1\/(events|notices)\b/, '事件', '事件上报、流转、锁定与督办通知（S9、S12、S13）'],
  [/^\/api\/v1\/photos\b/, '照片', '现场照片的上传与读取'],
  [/^\/api\/v1\/stats\b/, '统计', '未联通系统的定期统计（S9）'],
  [/^\/api\/v1\/kpi\b/, '指挥驾驶舱', '领导驾驶舱指标（S9、S13）'],
  [/^\/api\/v1\/warnings\b|^\/api\/v1\/admin\/(warning-settings|warnings)\b/, '智治预警', '新兴热点、高频事件、高风险场所与高频诉求的预警，签收与转办（S9）'],
  [/^\/api\/v1\/places\b/, '重点场所', '网格内的重点场所（S3）'],
  [/^\/api\/v1\/key-persons\b/, '重点人员', '网格内的重点人员（S3），个人信息打码，每次读取留审计'],
  [/^\/api\/v1\/(categories|departments)\b/, '类别与部门', '上报与交办所用的类别和部门'],
  [/^\/api\/v1\/admin\/(taxonomy|categories|time-limits|joint-rules|holidays)\b/, '类别与时限管理', '类别、时限、联合处置规则与节假日（管理员）'],
  [/^\/api\/v1\/admin\/(units|device-tokens|displays|api-keys)\b/, '单位、设备与密钥', '单位、定位设备令牌、大屏与来源系统 API 密钥'],
  [/^\/api\/v1\/(command|dispatches|consultations|meetings|inspections|key-periods)\b/, '联动指挥', '联合派遣、会商、联查与重点时段（S10、S11、S12）'],
  [/^\/api\/v1\/stations\//, '工作站', '工作站及其部门、轮驻与值班（S5）'],
  [/^\/api\/v1\/(people|accounts)\b/, '人员与账号', '人员、角色与登录账号（S6、S7）'],
  [/^\/api\/v1\/import\b/, '批量导入', 'xlsx 或 CSV 批量导入，全部或全不'],
  [/^\/api\/v1\/audit\b/, '审计日志', '审计日志的查询与导出'],
  [/^\/api\/v1\/basemap\b/, '底图', '可选底图的配置与本服务提供的 PMTiles 文件（默认无底图）'],
  [/^\/api\/v1\/citizen\b/, '群众诉求', '群众端（/m）的诉求提交、照片、进度查询、评价与公开地图（S9、S14），无需登录、按地址限频'],
  [/^\/open311\/v2\//, 'Open311', 'Open311 GeoReport v2：服务列表与定义、提交与查询群众诉求（JSON 或 XML，错误体按规范；issue 14、S9、S14）'],
  [/^\/api\/v1\/points\b/, '积分', '积分细则、明细、排行、兑换与查实虚假上报的扣回（S14）'],
  [/^\/api\/v1\/assessment\/(scores|adjustments|compute|stars)\b/, '考评得分', '逐月、季、年的联动站、入驻部门与工作人员考评得分，区级调整，立即计算与联动站星级（S13、S14）'],
  [/^\/api\/v1\/reports\b/, '考评报告', '月度、季度、年度考评报告：xlsx 下载、打印页数据与按需生成，每次下载留审计（S13、S14）'],
  [/^\/api\/v1\/assessment\b/, '考评细则', '考评指标目录与逐年考评细则的版本、校验与生效（S13、S14）'],
  [/^\/api\/v1\/mediation\b/, '调解', '调解工作室、调解员与调解案件：立案、调解记录、结案、协议书与回访（S4、S8）'],
  [/^\/api\/v1\/(reviews|review-tasks)\b/, '联动站验收', '镇（街道）对联动站的年度验收清单、证据、评分与整改任务（S14）'],
  [/^\/api\/v1\/accountability\b/, '追责问责', '通报批评、约谈与问责：由红牌、超期清单或手工作出，点名人员、关联事件，撤销留痕（S13）'],
];

function tagOf(path: string): string {
  return TAGS.find(([re]) => re.test(path))?.[1] ?? '其他';
}

/** `/api/v1/events/:id/actions` → `/api/v1/events/{id}/actions`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `POST /api/v1/events/:id/lock` → `postEventsByIdLock`, unless the route names its own. */
function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1\//, '/')
    .split('/')
    .filter(Boolean)
    .flatMap((seg) => (seg.startsWith(':') ? ['by', seg.slice(1)] : seg.split(/[^A-Za-z0-9]+/)));
  return method.toLowerCase() + words.filter(Boolean).map(capital).join('');
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Unless the route says otherwise, :id, :rid and :task are positive integer ids and the rest strings. */
const paramDefault = (name: string): JsonSchema => (/^(id|rid|task)$/.test(name) ? { type: 'integer', minimum: 1 } : { type: 'string' });
const JSON_LIMIT = '1 MB';

const roleList = (p: Permission) => PERMISSIONS[p].map((r) => `${ROLE_LABEL[r]}（${r}）`).join('、');

/** Builds one document; a component a zod conversion needs ($defs) is hoisted next to the written ones. */
class Builder {
  readonly schemas: Record<string, JsonSchema> = {
    EventReportV1: eventReportSchema(),
    EventReceiptV1: EventReceiptSchema,
    EventActionV1: fromZod(EventActionV1, 'input'),
    EventDetail: EventDetailSchema,
    Photo: PhotoSchema,
    StatsUploadReceiptV1: StatsReceiptSchema,
    PositionBatchV1: positionBatchSchema(),
    PositionV1: fromZod(PositionV1, 'input'),
    PositionResult: PositionResultSchema,
    Error: ErrorSchema,
  };

  schema(s: SchemaLike | undefined, io: 'input' | 'output', owner: string): JsonSchema {
    if (s === undefined) return {};
    if (!(s instanceof z.ZodType)) return s;
    const named = NAMED.get(s);
    if (named) return ref(named);
    return this.hoist(fromZod(s, io), owner);
  }

  /** A recursive or registered zod schema converts with local $defs, which only resolve at the document root. */
  private hoist(out: JsonSchema, owner: string): JsonSchema {
    const defs = out.$defs as Record<string, JsonSchema> | undefined;
    if (!defs) return out;
    delete out.$defs;
    const rename = (name: string) => `${owner}_${name}`;
    const rewrite = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(rewrite)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v).map(([k, x]) => [k, k === '$ref' && typeof x === 'string' && x.startsWith('#/$defs/') ? `#/components/schemas/${rename(x.slice(8))}` : rewrite(x)]),
            )
          : v;
    for (const [name, def] of Object.entries(defs)) this.schemas[rename(name)] = rewrite(def) as JsonSchema;
    return rewrite(out) as JsonSchema;
  }

  operation(route: RouteInfo): OpenApiOperation {
    const doc = route.doc ?? { summary: `${route.method} ${route.path}` };
    const operationId = doc.operationId ?? operationIdOf(route.method, route.path);
    const mutating = MUTATING.has(route.method);
    const keys = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);

    const parameters: JsonSchema[] = keys.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: doc.params?.[name] ? this.schema(doc.params[name], 'input', operationId) : paramDefault(name),
    }));
    if (doc.query) {
      const q = this.schema(doc.query, 'input', operationId);
      const props = q.properties as Record<string, JsonSchema> | undefined;
      if (!props) throw new Error(`${route.method} ${route.path}: the query schema is not an object`);
      const required = new Set((q.required as string[] | undefined) ?? []);
      for (const [name, schema] of Object.entries(props)) {
        parameters.push({ name, in: 'query', required: required.has(name), schema, ...(typeof schema.description === 'string' ? { description: schema.description } : {}) });
      }
    }

    const description = this.description(route, doc.description);
    const op: OpenApiOperation = {
      summary: doc.summary,
      ...(description ? { description } : {}),
      operationId,
      tags: doc.tags ?? [tagOf(route.path)],
      security: this.security(route),
      ...(parameters.length ? { parameters } : {}),
      ...(mutating ? { requestBody: this.requestBody(route, operationId) } : {}),
      responses: {},
    };

    const success = doc.responses ?? { 200: { description: '成功', schema: doc.response } };
    for (const [status, r] of Object.entries(success)) op.responses[status] = this.response(r, operationId);
    for (const [status, description] of Object.entries(this.errors(route, keys.length > 0))) {
      op.responses[status] ??= {
        description,
        ...(status === '503' ? { headers: { 'Retry-After': { description: '建议的重试间隔（秒）', schema: { type: 'integer', minimum: 1 } } } } : {}),
        ...json(ref('Error')),
      };
    }
    return op;
  }

  private description(route: RouteInfo, text: string | undefined): string | undefined {
    const who =
      route.access === 'public'
        ? undefined
        : route.access === 'session'
          ? '须登录：任何工作人员或大屏的会话。'
          : `须登录，且角色具有权限 ${route.access}：${roleList(route.access)}。`;
    return [text, who].filter(Boolean).join('\n\n') || undefined;
  }

  private security(route: RouteInfo): Record<string, string[]>[] {
    if (route.doc?.auth) return route.doc.auth.map((scheme) => ({ [scheme]: [] }));
    if (route.access === 'public') return [];
    // OpenAPI 3.1 lets a non-OAuth requirement list the roles it needs.
    if (route.access === 'session') return [{ session: [] }];
    return [{ session: [...PERMISSIONS[route.access]] }];
  }

  private requestBody(route: RouteInfo, owner: string): NonNullable<OpenApiOperation['requestBody']> {
    const doc = route.doc;
    const example = doc?.example === undefined ? {} : { example: doc.example };
    if (route.body === 'json') {
      if (!doc?.body)
        return { description: '不读取请求体；Content-Type 仍须为 application/json（防跨站请求）。', required: false, content: { 'application/json': { schema: {} } } };
      return { required: true, content: { 'application/json': { schema: this.schema(doc.body, 'input', owner), ...example } } };
    }
    const types = BODY_TYPES[route.body];
    return {
      required: true,
      content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', contentMediaType: t }, ...(t === 'text/csv' ? example : {}) }])),
    };
  }

  private response(r: ResponseDoc, owner: string): JsonSchema {
    const headers = r.headers ? { headers: r.headers } : {};
    const types = r.types ?? ['application/json'];
    if (types.length === 0) return { description: r.description, ...headers };
    const content = Object.fromEntries(
      types.map((t) => [t, { schema: t === 'application/json' || r.schema ? this.schema(r.schema, 'output', owner) : { type: 'string', contentMediaType: t } }]),
    );
    return { description: r.description, ...headers, content };
  }

  /** The errors every route of its kind can answer, then the route's own. */
  private errors(route: RouteInfo, hasParams: boolean): Record<string, string> {
    const doc = route.doc;
    const mutating = MUTATING.has(route.method);
    const e: Record<string, string> = {};
    if (hasParams || doc?.query || (mutating && route.body === 'json' && doc?.body))
      e[400] = '请求无效：issues 列出出错的字段（body.…、query.…、params.…）';
    if (route.access !== 'public' || doc?.auth) e[401] = '未登录，或会话已失效';
    if (route.access !== 'public' && route.access !== 'session') e[403] = `当前角色无权执行此操作（须为：${roleList(route.access)}）`;
    if (hasParams) e[404] = '对象不存在，或不在职责范围内';
    if (mutating) {
      e[413] = route.body === 'json' ? `请求体超过 ${JSON_LIMIT}（连接随后关闭）` : '请求体超过上限（连接随后关闭）';
      e[415] = `Content-Type 须为 ${BODY_TYPES[route.body].join('、')}`;
    }
    e[503] = '服务暂时不可用（数据库或消息总线无法连接）：请按 Retry-After 的秒数后重试';
    return { ...e, ...doc?.errors };
  }
}

function build(router: Router): OpenApiDocument {
  const b = new Builder();
  const paths: OpenApiDocument['paths'] = {};
  const used = new Set<string>();
  for (const route of router.list()) {
    const op = b.operation(route);
    (paths[openApiPath(route.path)] ??= {})[route.method.toLowerCase() as Method] = op;
    op.tags.forEach((t) => used.add(t));
  }
  const sources = EXTERNAL_SOURCES.map((s) => `\`${s}\`（${SOURCE_LABEL[s]}）`).join('、');
  return {
    openapi: '3.1.0',
    info: {
      title: '联动 Liandong API',
      version: '1',
      description:
        '社会治理联动工作站的全部 HTTP 接口：尚未联通的系统上报事件、照片、定位与定期统计（S9），工作人员的登录、事件流转、联动指挥与基础数据维护。' +
        '所有请求体为 UTF-8；时间为 ISO 8601（带时区），统计日期按 Asia/Shanghai。错误统一为 Error 形状；' +
        '依赖的服务不可用时答 503 并带 Retry-After。修改类请求须带各自的 Content-Type（JSON 请求为 application/json），这也是防跨站请求的手段。' +
        '实时推送走 Socket.IO（命名空间 /live 与 /field），不在本文档内。',
    },
    servers: [{ url: '/' }],
    tags: TAGS.filter(([, name]) => used.has(name)).map(([, name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: b.schemas,
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: `每个来源系统一把 API 密钥：Authorization: Bearer <密钥>。事件的来源由密钥决定。来源：${sources}。密钥由系统管理员签发，只保存其散列。`,
        },
        deviceToken: { type: 'http', scheme: 'bearer', description: '定位设备或网关的令牌：Authorization: Bearer <令牌>。' },
        metricsToken: { type: 'http', scheme: 'bearer', description: '指标抓取方的令牌（部署配置 METRICS_TOKEN）：Authorization: Bearer <令牌>。' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: '工作人员登录会话（POST /api/v1/auth/login 设置），或大屏打开 /wall?display=<令牌> 得到的只读会话。接口所需的角色列在其 security 中。',
        },
      },
    },
  };
}

const cache = new WeakMap<Router, OpenApiDocument>();

/** The OpenAPI 3.1 document of every route of this router; built once, since it depends only on code. */
export function openApiDocument(router: Router): OpenApiDocument {
  let doc = cache.get(router);
  if (!doc) cache.set(router, (doc = build(router)));
  return doc;
}
