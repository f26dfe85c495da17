import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { RejectReason } from '@/lib/contracts/live';
import { toWgs84 } from '@/lib/live/datum';
import { fromFields, fromJson, OsmAndFault, type OsmAndField, type OsmAndFix } from '@/lib/live/osmand';
import type { AppContext } from '../../context';
import { DomainError } from '../../errors';
import { ShiftOpener } from '../../live/duty';
import { deviceByToken, type DeviceToken } from '../../live/device-token';
import { counter } from '../../obs/metrics';
import { auditRefusal } from '../../repo/audit';
import { ref } from '../openapi';
import { mediaTypeOf, readRaw, type Ctx, type Router } from '../router';

/** One fix is a few hundred bytes; Traccar Client's batched upload of 1,000 fits well within this. */
const MAX_BODY = 512 * 1024;

/**
 * Refused OsmAnd requests and fixes by reason: the field at fault, 'token', or the validation's
 * reason (lib/contracts/live REJECT_REASONS). A tracker misconfigured in the field shows here.
 */
const refused = counter<'reason'>('liandong_osmand_refused_total', 'OsmAnd-protocol requests or fixes refused, by reason (the field at fault, token, or the validation reason).', ['reason']);

/**
 * Refusals that a retry cannot change but that are not the request's form: answered 200 with the
 * reason in `rejected`, like POST /positions. Traccar Client for Android retries anything but a 200
 * with the same fix at the head of its queue, so a 400 for one stale or jumping fix would stop the
 * device reporting for good.
 */
const ANSWERED_OK: ReadonlySet<RejectReason> = new Set(['outside_area', 'no_geography', 'future', 'too_old', 'impossible_speed']);

const Query = z.object({
  token: z.string().optional().describe('设备令牌（也可用 Authorization: Bearer）'),
  id: z.string().optional().describe('单位编码（Traccar Client 的“设备标识”填单位编码）'),
  lat: z.string().optional().describe('纬度（度）'),
  lon: z.string().optional().describe('经度（度）'),
  timestamp: z.string().optional().describe('时间：秒、毫秒或 ISO 8601；缺省为收到的时刻'),
  speed: z.string().optional().describe('速度（节，OsmAnd 协议如此）'),
  bearing: z.string().optional().describe('方向（度，自北顺时针）'),
  accuracy: z.string().optional().describe('精度（米）'),
  batt: z.string().optional().describe('电量（%），校验但不保存'),
});

function bad(field: OsmAndField | 'token' | RejectReason, where: 'query' | 'body', message: string): DomainError {
  refused.inc({ reason: field });
  return new DomainError('invalid', 'invalid', message, [{ path: `${where}.${field}`, message }]);
}

/** The request's fixes: query fields, a form body, or Traccar Client's JSON. */
async function fixesOf(req: IncomingMessage, url: URL, now: number): Promise<{ fixes: OsmAndFix[]; where: 'query' | 'body' }> {
  const fields = new URLSearchParams(url.search);
  fields.delete('token');
  let where: 'query' | 'body' = 'query';
  try {
    if (req.method === 'POST') {
      const raw = (await readRaw(req, MAX_BODY)).toString('utf8');
      const type = mediaTypeOf(req);
      if (type === 'application/json') {
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          throw new OsmAndFault('body', '请求体不是有效的 JSON');
        }
        return { fixes: fromJson(body, now), where: 'body' };
      }
      // A form body, with the query's fields over it (the token and the server URL's own parameters).
      if (type === 'application/x-www-form-urlencoded' && raw.trim() !== '') {
        const merged = new URLSearchParams(raw);
        for (const [k, v] of fields) merged.set(k, v);
        where = 'body';
        return { fixes: [fromFields(merged, now)], where };
      }
    }
    return { fixes: [fromFields(fields, now)], where };
  } catch (err) {
    if (err instanceof OsmAndFault) throw bad(err.field, where, err.message);
    throw err;
  }
}

/** The unit a fix names, if this token may report it (as POST /positions: its unit, or its station's as a gateway). */
function unitAllowed(app: AppContext, t: DeviceToken, code: string): boolean {
  const units = app.live!.units;
  const id = units.idOf(code);
  if (id === undefined) return false;
  if (t.unitId !== null) return t.unitId === id;
  return t.stationId === null || units.get(id)?.stationId === t.stationId;
}

const DOC = {
  summary: 'OsmAnd 协议上报定位（Traccar Client 等）',
  description:
    'OsmAnd、Traccar Client 与许多 GPS 定位器所用的协议：字段 id、lat、lon、timestamp、speed（节）、bearing、accuracy、batt，' +
    '放在查询串或表单体中；也收 Traccar Client 的 JSON（device_id 与 location.coords）。设备令牌放在 ?token=（Traccar Client 只能填服务器地址：' +
    '填 https://本站地址/api/v1/osmand?token=令牌），或 Authorization: Bearer。id 填单位编码：绑定单位的令牌只能报该单位，工作站网关令牌只能报本站单位。' +
    '令牌标为 GCJ-02 或 BD-09 时先换算为 WGS-84。请求本身有误（缺字段、字段不是数字、单位不符）答 400，reason 指出字段，并按原因计数；' +
    '点位格式正确但不被接收（超出辖区、过旧、未来时间、速度不可能）答 200，rejected 给出原因——设备重发同一点位也不会改变，而 Traccar Client 遇非 200 会一直重发而卡住后面的点位。' +
    '设备的第一个点位为其单位开一个 device 在岗班次。',
  auth: ['deviceToken'] as const,
  query: Query,
  responses: { 200: { description: '已处理；rejected 列出未接收的点位及原因', schema: ref('PositionResult') } },
  errors: { 400: '请求有误：issues 的 path 指出字段（query.lat、body.id 等）', 401: '设备令牌无效', 413: '请求体超过 512 KB', 503: '服务启动中或数据库不可用，请稍后重试' },
};

/** OsmAnd / Traccar Client (issue 12): existing apps and trackers report through the same ingest. */
export function osmandRoutes(router: Router, app: AppContext): void {
  const deviceDuty = new ShiftOpener(app.db, 'device');

  const handle = async ({ req, url, ip }: Ctx) => {
    const header = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = await deviceByToken(app.db, url.searchParams.get('token') ?? header);
    if (!token) {
      refused.inc({ reason: 'token' });
      await auditRefusal(app.db, { action: 'osmand.token_refused', ip });
      throw new DomainError('unauthorized', 'unauthorized', '设备令牌无效');
    }
    if (!app.live) throw new DomainError('unavailable', 'starting', '服务启动中', undefined, { 'retry-after': '5' });
    const { fixes, where } = await fixesOf(req, url, Date.now());
    const code = fixes[0].unit;
    if (!unitAllowed(app, token, code)) throw bad('id', where, `id: 单位 ${code.slice(0, 64)} 不存在，或不是此令牌可上报的单位`);
    const items = fixes.map((f) => {
      const [lon, lat] = toWgs84(token.datum, f.lon, f.lat);
      return { unit: f.unit, t: f.t, lon, lat, speed: f.speed, heading: f.heading, accuracy: f.accuracy };
    });
    const result = await app.live.ingest.ingest(items, token.unitId ?? (token.stationId !== null ? { station: token.stationId } : undefined));
    for (const r of result.rejected) {
      if (ANSWERED_OK.has(r.reason)) refused.inc({ reason: r.reason });
      // The validation's own form check (a speed beyond 100 m/s, a bearing past 360): the field it names.
      else if (fixes.length === 1) throw bad(fieldOf(r.message), where, r.message);
      else refused.inc({ reason: r.reason });
    }
    const unitId = app.live.units.idOf(code)!;
    await deviceDuty.seen(items.filter((_, i) => !result.rejected.some((r) => r.index === i)).map((f) => ({ unitId, t: f.t })));
    return { body: result };
  };

  router.add('GET', '/api/v1/osmand', 'public', { doc: { ...DOC, operationId: 'reportOsmAnd' } }, handle);
  router.add('POST', '/api/v1/osmand', 'public', { body: 'tracker', doc: { ...DOC, operationId: 'reportOsmAndPost', description: `${DOC.description}POST 时字段可在查询串或表单体中。` } }, handle);
}

/** The OsmAnd field a validation message is about ("speed: …" → speed; heading is OsmAnd's bearing). */
function fieldOf(message: string): OsmAndField {
  const name = message.split(':')[0].trim();
  const map: Record<string, OsmAndField> = { unit: 'id', t: 'timestamp', lon: 'lon', lat: 'lat', speed: 'speed', heading: 'bearing', accuracy: 'accuracy' };
  return map[name] ?? 'body';
}
