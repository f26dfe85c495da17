import { z } from 'zod';
import { EVENT_STATES } from '@/lib/events/machine';
import { EventActionV1, EventReportV1, EXTERNAL_SOURCES, PLACEMENT_LABEL, SOURCE_LABEL } from '@/lib/contracts/events';
import { PositionBatchV1, PositionV1, REJECT_REASONS } from '@/lib/contracts/live';
import { MAX_STATS_BYTES, MAX_STATS_ROWS, STATS_COLUMNS } from '@/lib/contracts/stats';
import { IMAGE_MIMES } from '@/lib/media/sniff';
import { MAX_PHOTO_BYTES } from '../photos/store';
import { SESSION_COOKIE } from '../auth/session';

export type JsonSchema = { [key: string]: unknown };

export interface OpenApiOperation {
  summary: string;
  description?: string;
  operationId: string;
  security: Record<string, string[]>[];
  parameters?: JsonSchema[];
  requestBody: { required: boolean; content: Record<string, { schema: JsonSchema; example?: unknown }> };
  responses: Record<string, JsonSchema>;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<string, Record<'post', OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });

/** Request schemas come from the zod schemas the server validates with, so the two cannot drift. */
function fromZod(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  // The document's dialect is OpenAPI 3.1's; a $schema in each component would only repeat it.
  delete out.$schema;
  return out;
}

function eventReportSchema(): JsonSchema {
  return {
    ...fromZod(EventReportV1),
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
  const batch = fromZod(PositionBatchV1);
  const props = batch.properties as Record<string, JsonSchema>;
  return { ...batch, properties: { ...props, positions: { ...props.positions, items: ref('PositionV1') } } };
}

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

function errors(codes: Record<number, string>): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(codes).map(([status, description]) => [status, { description, ...json(ref('Error')) }]));
}

function build(): OpenApiDocument {
  const sources = EXTERNAL_SOURCES.map((s) => `\`${s}\`（${SOURCE_LABEL[s]}）`).join('、');
  const maxMb = (n: number) => `${n / 1024 / 1024} MB`;
  return {
    openapi: '3.1.0',
    info: {
      title: '联动 Liandong 接入 API',
      version: '1',
      description:
        '尚未联通的系统向社会治理联动工作站上报事件、照片、定位与定期统计（S9）。' +
        '所有请求体为 UTF-8；时间为 ISO 8601（带时区），统计日期按 Asia/Shanghai。错误统一为 Error 形状。',
    },
    servers: [{ url: '/' }],
    paths: {
      '/api/v1/events': {
        post: {
          summary: '上报一条事件',
          description: '来源系统用其 API 密钥上报，source 由密钥决定；工作人员也可凭登录会话上报（来源为 field）。',
          operationId: 'reportEvent',
          security: [{ apiKey: [] }, { session: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('EventReportV1') } } },
          responses: {
            '201': { description: '新建事件', headers: { Location: { schema: { type: 'string' }, description: '/api/v1/events/{id}' } }, ...json(ref('EventReceiptV1')) },
            '200': { description: '同一来源、同一 idempotencyKey、同一内容的重试：返回第一次的回执，不重复建事件', ...json(ref('EventReceiptV1')) },
            ...errors({
              400: '请求体无效（不是 JSON，或字段不符合 EventReportV1；issues 指出字段）',
              401: '缺少或无效的 API 密钥（或未登录）',
              403: '登录角色无权上报',
              409: 'idempotencyKey 已用于另一条内容不同的上报',
              413: '请求体超过 1 MB',
              415: 'Content-Type 不是 application/json',
              422: '内容无法处理：未知类别或子类、未知村社、地址无法识别、照片未上传、位置不在本区',
            }),
          },
        },
      },
      '/api/v1/events/{id}/actions': {
        post: {
          summary: '对事件执行一步流转（受理、交办、处置反馈、核查……）',
          description: '工作人员凭登录会话执行，角色与职责范围由服务端按事件状态机校验。带 requestKey 的重试返回第一次的结果。',
          operationId: 'actOnEvent',
          security: [{ session: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('EventActionV1') } } },
          responses: {
            '201': { description: '已执行，返回事件详情', ...json(ref('EventDetail')) },
            '200': { description: '同一 requestKey 的重试：未重复执行，返回事件详情', ...json(ref('EventDetail')) },
            ...errors({
              400: '请求体或事件编号无效',
              401: '未登录',
              403: '角色无权执行此操作，或事件不在职责范围内',
              404: '事件不存在',
              409: '当前状态不允许此操作，或他人正在处理（锁定）',
              415: 'Content-Type 不是 application/json',
              422: '引用无效：未知部门、合并目标不存在、照片未上传',
            }),
          },
        },
      },
      '/api/v1/photos': {
        post: {
          summary: '上传一张照片',
          description:
            `请求体为图片原始字节（不是 multipart），最大 ${maxMb(MAX_PHOTO_BYTES)}；Content-Type 须与内容一致。` +
            '类型按文件头识别（JPEG、PNG、WebP），文件名与声明不作数。返回的 id 用于事件上报与处置反馈的 photos。',
          operationId: 'uploadPhoto',
          security: [{ apiKey: [] }, { session: [] }],
          requestBody: {
            required: true,
            content: Object.fromEntries(IMAGE_MIMES.map((m) => [m, { schema: { type: 'string', contentMediaType: m } }])),
          },
          responses: {
            '201': { description: '新照片', ...json(ref('Photo')) },
            '200': { description: '同一张照片此前已上传（内容相同即同一 id）', ...json(ref('Photo')) },
            ...errors({
              401: '缺少或无效的 API 密钥（或未登录）',
              403: '登录角色无权上报',
              413: `超过 ${maxMb(MAX_PHOTO_BYTES)}`,
              415: 'Content-Type 不是 image/jpeg、image/png 或 image/webp',
              422: '内容不是 JPEG、PNG、WebP 图片，或与声明的 Content-Type 不符（issues 的 path 为 body）',
            }),
          },
        },
      },
      '/api/v1/stats': {
        post: {
          summary: '上传定期统计（CSV）',
          description:
            `尚未联通的系统定期推送统计（S9）。UTF-8 CSV（可带 BOM），第 1 行为表头 ${STATS_COLUMNS.join(',')}（列序不限），` +
            '每行：date 为 YYYY-MM-DD（不晚于今天），category 为类别代码（GET /api/v1/categories），region_code 为区、镇街、村社或网格的统计代码，count 为不小于 0 的整数。' +
            `同一文件内日期、类别、区划不得重复。最多 ${MAX_STATS_ROWS} 行、${maxMb(MAX_STATS_BYTES)}。` +
            '全部或全不：任一行有误则不写入。重传同一日期、类别、区划的行会覆盖原数量，重试是安全的。只接受 API 密钥。',
          operationId: 'uploadStats',
          security: [{ apiKey: [] }],
          requestBody: {
            required: true,
            content: {
              'text/csv': {
                schema: { type: 'string', contentMediaType: 'text/csv' },
                example: `${STATS_COLUMNS.join(',')}\r\n2026-03-01,dispute.neighbour,330503001001,3\r\n2026-03-01,hazard.fire,330503001,1\r\n`,
              },
            },
          },
          responses: {
            '200': { description: '全部写入', ...json(ref('StatsUploadReceiptV1')) },
            '422': { description: '有行出错（或表头、编码有误），未写入任何数据；rows 逐行说明', ...json(ref('StatsUploadReceiptV1')) },
            ...errors({
              401: '缺少或无效的 API 密钥（登录会话不可用）',
              413: `超过 ${maxMb(MAX_STATS_BYTES)} 或 ${MAX_STATS_ROWS} 行`,
              415: 'Content-Type 不是 text/csv，或 charset 不是 UTF-8',
            }),
          },
        },
      },
      '/api/v1/positions': {
        post: {
          summary: '上报一批定位',
          description: '设备或网关凭设备令牌上报；绑定到某个单元的令牌只能上报该单元。每条点位单独校验。',
          operationId: 'reportPositions',
          security: [{ deviceToken: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('PositionBatchV1') } } },
          responses: {
            '200': { description: '已处理；rejected 列出未接收的点位及原因', ...json(ref('PositionResult')) },
            ...errors({
              400: '请求体无效（不是 JSON，或不符合 PositionBatchV1）',
              401: '设备令牌无效',
              413: '请求体超过 1 MB',
              415: 'Content-Type 不是 application/json',
              503: '服务启动中，请稍后重试',
            }),
          },
        },
      },
    },
    components: {
      schemas: {
        EventReportV1: eventReportSchema(),
        EventReceiptV1: EventReceiptSchema,
        EventActionV1: fromZod(EventActionV1),
        EventDetail: EventDetailSchema,
        Photo: PhotoSchema,
        StatsUploadReceiptV1: StatsReceiptSchema,
        PositionBatchV1: positionBatchSchema(),
        PositionV1: fromZod(PositionV1),
        PositionResult: PositionResultSchema,
        Error: ErrorSchema,
      },
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: `每个来源系统一把 API 密钥：Authorization: Bearer <密钥>。事件的来源由密钥决定。来源：${sources}。密钥由系统管理员签发，只保存其散列。`,
        },
        deviceToken: { type: 'http', scheme: 'bearer', description: '定位设备或网关的令牌：Authorization: Bearer <令牌>。' },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: '工作人员登录会话（POST /api/v1/auth/login 设置）。' },
      },
    },
  };
}

let cached: OpenApiDocument | null = null;

/** The ingest API's OpenAPI 3.1 document; built once, since it depends only on code. */
export function openApiDocument(): OpenApiDocument {
  cached ??= build();
  return cached;
}
