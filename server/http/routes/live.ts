import { z } from 'zod';
import { PositionBatchV1 } from '@/lib/contracts/live';
import type { AppContext } from '../../context';
import { liveIncidents } from '../../events/live';
import { itemsToWgs84 } from '@/lib/live/datum';
import { acceptedFixes, ShiftOpener } from '../../live/duty';
import { deviceByToken, onlyOf } from '../../live/device-token';
import { auditRefusal } from '../../repo/audit';
import { reachOfSession } from '../../events/viewer';
import { maySeeStation } from '@/lib/access/scope';
import { args, eventScopeSql } from '../../db/scope';
import { DomainError } from '../../errors';
import { ref } from '../openapi';
import { readBody, readQuery, type Router } from '../router';

const WINDOW_HOURS = { '24h': 24, '7d': 24 * 7, '30d': 24 * 30 } as const;
const HeatQuery = z.object({ window: z.enum(['24h', '7d', '30d']).default('24h') });

function live(app: AppContext) {
  if (!app.live) throw new DomainError('unavailable', 'starting', '服务启动中', undefined, { 'retry-after': '5' });
  return app.live;
}

export function liveRoutes(router: Router, app: AppContext): void {
  // A device's first fix opens its 'device' duty shift (issue 12).
  const deviceDuty = new ShiftOpener(app.db, 'device');
  // Units of the stations the viewer may see (issue 10: every screen used to get the district's).
  router.add('GET', '/api/v1/units', 'session', {
    doc: { summary: '可见的单位及其最新位置', description: '本站（区级角色为全区）的单位；位置随 /live 的推送更新。', response: { type: 'array', items: { type: 'object' } } },
  }, async ({ session }) => {
    const reach = await reachOfSession(app.db, session!);
    return { body: live(app).units.all().filter((u) => maySeeStation(reach, u.stationId)) };
  });

  // Counters of this process, no data of anyone's (the soak run reads them from a wall page).
  router.add('GET', '/api/v1/live/stats', 'session', {
    doc: { summary: '本进程的实时计数', description: '接收与拒收的定位数、推送序号、在线连接数等，不含任何人的数据。', response: { type: 'object' } },
  }, async () => {
    const l = live(app);
    return {
      body: {
        counters: l.ingest.counters,
        tickSeq: l.fanout.seq,
        liveSockets: l.fanout.clients,
        historyWritten: l.history.written,
        unitsKnown: l.units.all().length,
        rssBytes: process.memoryUsage().rss,
      },
    };
  });

  // Devices and gateways post batches with a bearer token; a token bound to a unit reports only that unit.
  router.add('POST', '/api/v1/positions', 'public', {
    doc: {
      summary: '上报一批定位',
      description: '设备或网关凭设备令牌上报；绑定到某个单元的令牌只能上报该单元。每条点位单独校验。令牌标为 GCJ-02 或 BD-09 时先换算为 WGS-84；设备的第一个点位为其单位开一个 device 在岗班次。',
      operationId: 'reportPositions',
      auth: ['deviceToken'],
      body: PositionBatchV1,
      responses: { 200: { description: '已处理；rejected 列出未接收的点位及原因', schema: ref('PositionResult') } },
      errors: {
        400: '请求体无效（不是 JSON，或不符合 PositionBatchV1）',
        401: '设备令牌无效',
        413: '请求体超过 1 MB',
        415: 'Content-Type 不是 application/json',
        503: '服务启动中，请稍后重试',
      },
    },
  }, async ({ req, ip }) => {
    const t = await deviceByToken(app.db, /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]);
    if (!t) {
      await auditRefusal(app.db, { action: 'positions.token_refused', ip });
      throw new DomainError('unauthorized', 'unauthorized', '设备令牌无效');
    }
    const batch = await readBody(req, PositionBatchV1);
    // A device marked GCJ-02 or BD-09 is converted before validation (issue 12, lib/live/datum.ts).
    const items = itemsToWgs84(t.datum, batch.positions);
    const result = await live(app).ingest.ingest(items, onlyOf(t));
    await deviceDuty.seen(acceptedFixes(live(app).units, items, result.rejected));
    return { body: result };
  });

  router.add('GET', '/api/v1/incidents/live', 'session', {
    doc: { summary: '可见的进行中事件', description: '地图与大屏启动时读取；之后由 /live 推送更新。', response: { type: 'object' } },
  }, async ({ session }) => ({
    body: await liveIncidents(app.db, await reachOfSession(app.db, session!), session!.uid),
  }));

  // Hotspots: incidents binned to ~100 m cells, so 100,000 incidents travel as a few thousand cells.
  router.add('GET', '/api/v1/incidents/heat', 'session', {
    doc: {
      summary: '事件热力',
      description: '一段时间内可见事件按约 100 米的格子计数：cells 为 [经度, 纬度, 件数]。',
      query: HeatQuery,
      response: { type: 'object', properties: { window: { type: 'string' }, cells: { type: 'array', items: { type: 'array', items: { type: 'number' }, minItems: 3, maxItems: 3 } } }, required: ['window', 'cells'] },
    },
  }, async ({ url, session }) => {
    const { window } = readQuery(url, HeatQuery);
    const q = args([WINDOW_HOURS[window]]);
    const scope = eventScopeSql(await reachOfSession(app.db, session!), session!.uid, q.arg);
    const { rows } = await app.db.query<{ lon: number; lat: number; n: number }>(
      `SELECT round(ST_X(e.location)::numeric, 3)::float8 AS lon, round(ST_Y(e.location)::numeric, 3)::float8 AS lat, count(*)::int AS n
         FROM events e WHERE e.location IS NOT NULL AND e.reported_at >= now() - $1 * interval '1 hour' AND ${scope}
        GROUP BY 1, 2`,
      q.args,
    );
    return { body: { window, cells: rows.map((r) => [r.lon, r.lat, r.n]) } };
  });
}
