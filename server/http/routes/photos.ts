import { pipeline } from 'node:stream/promises';
import { PhotoId } from '@/lib/contracts/events';
import { IMAGE_LABEL, IMAGE_MIMES, isImageMime, sniffImage } from '@/lib/media/sniff';
import { can } from '@/lib/roles';
import { apiKeyOf, bearer } from '../../auth/apikey';
import type { AppContext } from '../../context';
import { MAX_PHOTO_BYTES, openPhoto, savePhoto, UPLOADED_BY, type Uploader } from '../../photos/store';
import { forbidden, DomainError, unauthorized } from '../../errors';
import type { Session } from '../../auth/session';
import { args, eventScopeSql } from '../../db/scope';
import { reachOfSession } from '../../events/viewer';
import { reviewPhotoSql } from '../../reviews/read';
import { ref } from '../openapi';
import { mediaTypeOf, readRaw, type Ctx, type Router } from '../router';

/** Staff with reportEvents upload from the field page; source systems with their API key (S9). */
async function uploaderOf(app: AppContext, ctx: Ctx): Promise<Uploader> {
  const token = bearer(ctx.req);
  if (token) {
    const key = await apiKeyOf(app.db, token);
    return { kind: 'system', source: key.source, apiKeyId: key.id };
  }
  if (!ctx.session) throw unauthorized();
  if (!can(ctx.session.role, 'reportEvents')) throw forbidden();
  return { kind: 'account', uid: ctx.session.uid, role: ctx.session.role };
}

const badBody = (message: string) => new DomainError('unprocessable', 'invalid_image', message, [{ path: 'body', message }]);

/** The scope rule for a photo: its uploader, or anyone who may see the event it shows (reported with it, or a step's photo). */
async function maySeePhoto(app: AppContext, session: Session, id: string): Promise<boolean> {
  const q = args([id, session.uid]);
  const scope = eventScopeSql(await reachOfSession(app.db, session), session.uid, q.arg);
  const { rows } = await app.db.query(
    `SELECT 1 FROM photos p WHERE p.id = $1 AND ((${UPLOADED_BY('p.id', '$2', 'NULL')} AND $2 > 0)
        OR EXISTS (SELECT 1 FROM events e WHERE e.photos <> '{}' AND e.photos @> ARRAY[p.id] AND ${scope})
        OR EXISTS (SELECT 1 FROM event_log l JOIN events e ON e.id = l.event_id
                    WHERE l.data ? 'photos' AND l.data -> 'photos' @> to_jsonb(ARRAY[p.id]) AND ${scope})
        OR ${reviewPhotoSql(session, q.arg)})`,
    q.args,
  );
  return rows.length > 0;
}

const maxMb = (n: number) => `${n / 1024 / 1024} MB`;

export function photoRoutes(router: Router, app: AppContext): void {
  // Authenticated inside, before a byte of the body is read: a session or a source's API key.
  router.add('POST', '/api/v1/photos', 'public', {
    body: 'image',
    doc: {
      summary: '上传一张照片',
      description:
        `请求体为图片原始字节（不是 multipart），最大 ${maxMb(MAX_PHOTO_BYTES)}；Content-Type 须与内容一致。` +
        '类型按文件头识别（JPEG、PNG、WebP），文件名与声明不作数。返回的 id 用于事件上报与处置反馈的 photos。',
      operationId: 'uploadPhoto',
      auth: ['apiKey', 'session'],
      responses: {
        201: { description: '新照片', schema: ref('Photo') },
        200: { description: '同一张照片此前已上传（内容相同即同一 id）', schema: ref('Photo') },
      },
      errors: {
        401: '缺少或无效的 API 密钥（或未登录）',
        403: '登录角色无权上报',
        413: `超过 ${maxMb(MAX_PHOTO_BYTES)}`,
        415: 'Content-Type 不是 image/jpeg、image/png 或 image/webp',
        422: '内容不是 JPEG、PNG、WebP 图片，或与声明的 Content-Type 不符（issues 的 path 为 body）',
      },
    },
  }, async (ctx) => {
    const who = await uploaderOf(app, ctx);
    const declared = mediaTypeOf(ctx.req);
    const bytes = await readRaw(ctx.req, MAX_PHOTO_BYTES);
    if (bytes.length === 0) throw badBody('请求体为空：须为一张 JPEG、PNG 或 WebP 图片的原始字节');
    // The bytes decide, not the header: a script or SVG labelled image/png is refused.
    const actual = sniffImage(bytes);
    if (!actual) throw badBody('请求体不是 JPEG、PNG 或 WebP 图片');
    if (!isImageMime(declared) || actual !== declared)
      throw badBody(`请求体是 ${IMAGE_LABEL[actual]} 图片，与声明的 Content-Type ${declared} 不符`);
    const photo = await savePhoto(app.db, app.config.dataDir, bytes, actual, who, ctx.ip);
    return {
      status: photo.created ? 201 : 200,
      body: { id: photo.id, mime: photo.mime, bytes: photo.bytes },
      headers: { location: `/api/v1/photos/${photo.id}` },
    };
  });

  router.add('GET', '/api/v1/photos/:id', 'session', {
    doc: {
      summary: '读取一张照片',
      description: '上传者本人，或可见其所属事件的工作人员可读；大屏不可读。id 即内容的散列，可永久缓存（ETag 即 id）。',
      params: { id: PhotoId },
      responses: {
        200: { description: '照片的原始字节', types: IMAGE_MIMES },
        304: { description: 'If-None-Match 与 ETag 相同：未改变', types: [] },
      },
      errors: { 403: '大屏不可读取照片', 404: '照片不存在，或不在职责范围内' },
    },
  }, async ({ req, res, params, session }) => {
    // Photos show people and homes: staff only, not the wall screen in the command room.
    if (session!.role === 'display') throw forbidden();
    const parsed = PhotoId.safeParse(params.id);
    if (!parsed.success) throw new DomainError('invalid', 'invalid', '照片编号无效', [{ path: 'params.id', message: '须为 64 位十六进制（POST /api/v1/photos 返回的 id）' }]);
    const id = parsed.data;
    const headers = {
      // The id is the content's hash, so a cached copy can never be stale.
      'cache-control': 'private, max-age=31536000, immutable',
      etag: `"${id}"`,
      'x-content-type-options': 'nosniff',
    };
    // Through its event, or to its uploader (a photo not yet attached); otherwise as if it did not exist (issue 10).
    if (!(await maySeePhoto(app, session!, id))) throw new DomainError('not_found', 'not_found', '照片不存在');
    if (req.headers['if-none-match'] === `"${id}"`) return void res.writeHead(304, headers).end();
    const photo = await openPhoto(app.db, app.config.dataDir, id);
    if (!photo) throw new DomainError('not_found', 'not_found', '照片不存在');
    res.writeHead(200, { ...headers, 'content-type': photo.mime, 'content-length': photo.bytes });
    await pipeline(photo.stream, res);
  });
}
