import { z } from 'zod';
import {
  CitizenLookupV1, CitizenRatingV1, CitizenSubmissionV1, DEVICE_HEADER, DeviceId, StationPublishingV1, TrackingCode,
} from '@/lib/contracts/citizen';
import { IMAGE_LABEL, isImageMime, sniffImage } from '@/lib/media/sniff';
import type { AppContext } from '../../context';
import { eventContact } from '../../citizen/contact';
import { citizenLimits } from '../../citizen/limits';
import { citizenServices, publishedReports } from '../../citizen/public';
import { checkPublicUploadRoom } from '../../citizen/uploads';
import { rateRequest } from '../../citizen/rating';
import { submitCitizenRequest } from '../../citizen/submit';
import { notFound, requestByCode, requestByPhone, trackingOf } from '../../citizen/track';
import { inTransaction } from '../../db/pool';
import { DomainError, forbidden } from '../../errors';
import { actorOf } from '../../events/viewer';
import { MAX_CITIZEN_PHOTO_BYTES, savePhoto } from '../../photos/store';
import { audit } from '../../repo/audit';
import { noteNewEvents } from '../../jobs/warnings';
import { type Ctx, mediaTypeOf, pathId, readBody, readRaw, type Router } from '../router';

/*
 * The citizens' channel (issue 14; S9, S14): public routes for /m, and the staff's side of it
 * (the audited contact read, a station's opt-in to the published map). Every public route is
 * rate-limited per address (and per phone where it writes); see server/citizen/limits.ts.
 */

const Empty = z.object({}).strict();

const TrackingSchema = { type: 'object', description: 'CitizenTrackingV1（lib/contracts/citizen.ts）：群众可见的办理进度，不含坐标、工作人员姓名与他人信息' };
const ReceiptSchema = {
  type: 'object',
  properties: { code: { type: 'string' }, pin: { type: 'string' }, kind: { type: 'string' }, createdAt: { type: 'string' }, merged: { type: 'boolean' } },
  required: ['code', 'pin', 'kind', 'createdAt', 'merged'],
};


function codeOf(ctx: Ctx): string {
  const parsed = TrackingCode.safeParse(ctx.params.code);
  // A malformed code is as unknown as a well-formed one that does not exist (no hint which codes could be real).
  if (!parsed.success) throw notFound();
  return parsed.data;
}

function deviceOf(ctx: Ctx): string {
  const raw = ctx.req.headers[DEVICE_HEADER];
  const parsed = DeviceId.safeParse(Array.isArray(raw) ? raw[0] : raw);
  if (!parsed.success) {
    const message = '缺少或无效的设备标识（16–64 位字母、数字、_ 或 -）';
    throw new DomainError('invalid', 'invalid', message, [{ path: `header.${DEVICE_HEADER}`, message }]);
  }
  return parsed.data;
}

const badImage = (message: string) => new DomainError('unprocessable', 'invalid_image', message, [{ path: 'body', message }]);

export function citizenRoutes(router: Router, app: AppContext): void {
  const limits = () => citizenLimits(app.config);

  router.add('POST', '/api/v1/citizen/requests', 'public', {
    doc: {
      summary: '群众提交诉求（问题上报、调解申请、政策咨询、投诉、建议）',
      description:
        '无需登录。每条诉求成为工作站事件队列中的一条事件（群众上报），返回查询码与 6 位查询密码。同一手机同一 idempotencyKey 的重试返回第一次的回执；' +
        '同一手机（设备标识）24 小时内提交相同内容，返回第一次的回执（merged 为 true）；他人（包括只填了相同手机号的）24 小时内的相同问题并入同一事件（各自有查询码与密码）。针对某查询码的投诉、建议归入该诉求所在的村社与工作站。' +
        '按地址与设备限频（S14）。',
      operationId: 'submitCitizenRequest',
      body: CitizenSubmissionV1,
      responses: {
        201: { description: '新诉求', schema: ReceiptSchema },
        200: { description: '重试，或本机 24 小时内相同内容：返回第一次的回执', schema: ReceiptSchema },
      },
      errors: {
        400: '请求体无效（issues 指出字段，如 body.phone、body.location）',
        409: 'idempotencyKey 已用于另一条内容不同的诉求',
        422: '未知类别、村社或地址无法识别、照片不是本机上传、投诉所指查询码不存在、位置不在本区',
        429: '提交过于频繁（Retry-After 秒后再试）',
      },
    },
  }, async (ctx) => {
    const input = await readBody(ctx.req, CitizenSubmissionV1);
    await limits().submit(ctx.ip, input.deviceId);
    const result = await submitCitizenRequest(app, 'web', input, { ip: ctx.ip });
    if (result.created && !result.receipt.merged) noteNewEvents(1);
    return { status: result.created ? 201 : 200, body: result.receipt, headers: { location: `/api/v1/citizen/requests/${result.receipt.code}` } };
  });

  router.add('POST', '/api/v1/citizen/photos', 'public', {
    body: 'image',
    doc: {
      summary: '群众上传一张照片',
      description: `无需登录；须带请求头 ${DEVICE_HEADER}。请求体为图片原始字节，最大 5 MB，按文件头识别类型并去除元数据。返回的 id 只能由同一手机用于提交诉求。`,
      responses: { 201: { description: '新照片', schema: { type: 'object' } }, 200: { description: '同一张照片此前已上传', schema: { type: 'object' } } },
      errors: {
        400: `缺少或无效的 ${DEVICE_HEADER}`, 413: '超过 5 MB', 422: '内容不是 JPEG、PNG、WebP 图片，或与 Content-Type 不符',
        429: '上传过于频繁，或本地址今日上传量已满（每天 100 MB）', 507: '群众照片暂存空间已满（未被诉求引用的照片合计 2 GB）',
      },
    },
  }, async (ctx) => {
    const deviceId = deviceOf(ctx);
    await limits().photo(ctx.ip, deviceId);
    const declared = mediaTypeOf(ctx.req);
    const bytes = await readRaw(ctx.req, MAX_CITIZEN_PHOTO_BYTES);
    if (bytes.length === 0) throw badImage('请求体为空：须为一张 JPEG、PNG 或 WebP 图片的原始字节');
    const actual = sniffImage(bytes);
    if (!actual) throw badImage('请求体不是 JPEG、PNG 或 WebP 图片');
    if (!isImageMime(declared) || actual !== declared) throw badImage(`请求体是 ${IMAGE_LABEL[actual]} 图片，与声明的 Content-Type ${declared} 不符`);
    // Review L6: an address's bytes of the day, and all residents' photos not yet in any report, are bounded.
    await limits().photoBytes(ctx.ip, bytes.length);
    await checkPublicUploadRoom(app.db, bytes.length);
    const photo = await savePhoto(app.db, app.config.dataDir, bytes, actual, { kind: 'device', deviceId }, ctx.ip);
    return { status: photo.created ? 201 : 200, body: { id: photo.id, mime: photo.mime, bytes: photo.bytes } };
  });

  router.add('GET', '/api/v1/citizen/requests/:code', 'public', {
    doc: {
      summary: '按查询码查看诉求办理进度',
      params: { code: { type: 'string', description: '10 位查询码（可带 -）' } },
      response: TrackingSchema,
      errors: { 404: '查询码不存在', 429: '查询过于频繁' },
    },
  }, async (ctx) => {
    await limits().read(ctx.ip);
    const r = await requestByCode(app.db, codeOf(ctx));
    if (!r) throw notFound();
    return { body: await trackingOf(app, r), headers: { 'cache-control': 'no-store' } };
  });

  router.add('POST', '/api/v1/citizen/lookup', 'public', {
    doc: {
      summary: '按手机号与查询密码查找诉求',
      description: '用 POST，手机号不出现在网址与日志中。返回该手机号最近一条匹配的诉求。同一手机号每天最多 10 次密码错误，同一地址（IPv6 按 /64）每天最多 30 次，之后当天拒绝（429）。',
      body: CitizenLookupV1,
      response: TrackingSchema,
      errors: { 404: '没有匹配的诉求', 429: '查询过于频繁，或该手机号 / 地址今日密码错误次数过多' },
    },
  }, async (ctx) => {
    await limits().read(ctx.ip);
    const { phone, pin } = await readBody(ctx.req, CitizenLookupV1);
    // Review M2: a phone number's PIN is guessed at most so often a day, from however many addresses.
    await limits().secretAllowed(ctx.ip, phone);
    const r = await requestByPhone(app.db, phone, pin);
    if (!r) {
      await limits().secretFailed(ctx.ip, phone);
      throw new DomainError('not_found', 'not_found', '没有找到匹配的诉求，请核对手机号与查询密码');
    }
    return { body: await trackingOf(app, r), headers: { 'cache-control': 'no-store' } };
  });

  router.add('POST', '/api/v1/citizen/requests/:code/rating', 'public', {
    doc: {
      summary: '评价已办结的诉求',
      description:
        '办结（或已答复）后可评价一次：满意、基本满意、不满意。再次提交相同评价返回 200 且不变；不同评价答 409。不满意通知常务副站长（S14）。' +
        '须为提交该诉求的手机（deviceId 相同，限群众端提交的诉求），或带该诉求的查询密码 pin；Open311 提交的诉求只能凭查询密码评价。密码错误与查询共用每日错误次数限制。',
      params: { code: { type: 'string' } },
      body: CitizenRatingV1,
      response: TrackingSchema,
      errors: {
        403: '不是提交该诉求的手机，且查询密码缺失或不正确（issues 指向 body.pin）',
        404: '查询码不存在', 409: '尚未办结，或已作出不同的评价', 429: '操作过于频繁，或今日密码错误次数过多',
      },
    },
  }, async (ctx) => {
    const code = codeOf(ctx);
    const input = await readBody(ctx.req, CitizenRatingV1);
    await limits().read(ctx.ip);
    return { body: await rateRequest(app, code, input, ctx.ip, limits()) };
  });

  router.add('GET', '/api/v1/citizen/services', 'public', {
    doc: { summary: '群众端可选的问题类别、纠纷类型与镇街村社', response: { type: 'object', description: 'CitizenServicesV1' } },
  }, async () => ({ body: await citizenServices(app), headers: { 'cache-control': 'public, max-age=300' } }));

  router.add('GET', '/api/v1/citizen/published', 'public', {
    doc: {
      summary: '公开的已办结群众上报（匿名地图）',
      description: '仅限选择公开的工作站（S14）；近 12 个月，只有类别、办结月份与约 100 米精度的位置。',
      responses: { 200: { description: 'GeoJSON FeatureCollection，properties 为 PublishedReportV1', types: ['application/geo+json'], schema: { type: 'object' } } },
    },
  }, async () => ({ body: await publishedReports(app), headers: { 'content-type': 'application/geo+json', 'cache-control': 'public, max-age=600' } }));

  router.add('POST', '/api/v1/events/:id/contact', 'readCitizenContacts', {
    doc: {
      summary: '查看群众上报人的姓名与电话',
      description: '工作站站长、常务副站长与区级领导、区指挥中心，限职责范围内的事件；每次读取留审计（S14）。',
      body: Empty,
      response: { type: 'object', description: 'EventContactV1', properties: { name: {}, phone: {}, pin: {}, code: {} } },
      errors: { 404: '事件不存在或不在职责范围内' },
    },
  }, async (ctx) => {
    const id = pathId(ctx);
    await readBody(ctx.req, Empty);
    const actor = await actorOf(app.db, ctx.session!);
    return { body: await eventContact(app, actor, id, ctx.ip), headers: { 'cache-control': 'no-store' } };
  });

  router.add('PUT', '/api/v1/stations/:id/publishing', 'manageStation', {
    doc: {
      summary: '设置工作站是否公开已办结的群众上报',
      description: '本站站长、常务副站长，或系统管理员（S14 自愿公开：匿名地图）。',
      body: StationPublishingV1,
      response: { type: 'object', properties: { id: { type: 'integer' }, publishClosedReports: { type: 'boolean' } } },
      errors: { 404: '工作站不存在' },
    },
  }, async (ctx) => {
    const id = pathId(ctx);
    const { publishClosedReports } = await readBody(ctx.req, StationPublishingV1);
    const s = ctx.session!;
    if (s.role !== 'admin' && s.stationId !== id) throw forbidden();
    const done = await inTransaction(app.db, async (tx) => {
      const { rows } = await tx.query<{ id: number; before: boolean }>(
        `UPDATE stations s SET publish_closed_reports = $2 FROM stations old WHERE s.id = $1 AND old.id = s.id
         RETURNING s.id, old.publish_closed_reports AS before`,
        [id, publishClosedReports],
      );
      if (!rows[0]) return null;
      await audit(tx, s, { action: 'station.publishing', target: `station:${id}`, detail: { from: rows[0].before, to: publishClosedReports }, ip: ctx.ip });
      return rows[0];
    });
    if (!done) throw new DomainError('not_found', 'not_found', `工作站 ${id} 不存在`);
    return { body: { id, publishClosedReports } };
  });
}
