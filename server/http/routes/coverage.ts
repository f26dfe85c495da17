import { maySeeStation } from '@/lib/access/scope';
import {
  CheckInInput,
  CoverageQuery,
  CoverageSettingsInput,
  MineQuery,
  OwedQuery,
  PatrolMinimumInput,
  StationParam,
  type CoverageAnswer,
  type MineAnswer,
  type OwedAnswer,
} from '@/lib/coverage/contracts';
import { FIGURE_HINT, FIGURE_LABEL, FIGURES } from '@/lib/coverage/figures';
import { monthOf } from '@/lib/coverage/month';
import { nearestFirst } from '@/lib/coverage/nearest';
import { CHECKIN_MAX_M } from '@/lib/coverage/rules';
import type { AppContext } from '../../context';
import { checkIn } from '../../coverage/checkin';
import { coverageRows, gridTallies } from '../../coverage/figures';
import { owedIn, shown } from '../../coverage/owed';
import { gridsOf } from '../../repo/keyPersons';
import { readSettings, writeSettings } from '../../coverage/settings';
import { inTransaction } from '../../db/pool';
import { DomainError } from '../../errors';
import { reachOfSession } from '../../events/viewer';
import { mayManageStation, notFound } from '../../master/guard';
import { audit } from '../../repo/audit';
import { readBody, readQuery, type Router } from '../router';

const OWED_ITEM = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['place', 'person'] }, id: { type: 'integer' }, name: { type: 'string' }, category: { type: 'string' },
    address: { type: ['string', 'null'] }, lon: { type: 'number' }, lat: { type: 'number' }, gridCode: { type: 'string' },
    owed: { type: 'integer' }, made: { type: 'integer' }, lastVisitAt: { type: ['string', 'null'] }, masked: { type: 'boolean' },
    distanceM: { type: ['integer', 'null'] },
  },
  required: ['kind', 'id', 'name', 'lon', 'lat', 'gridCode', 'owed', 'made', 'masked'],
};
const SETTINGS = { type: 'object', properties: { visitMinutes: { type: 'integer' }, visitRadiusM: { type: 'integer' } }, required: ['visitMinutes', 'visitRadiusM'] };
const FIGURES_DOC = FIGURES.map((f) => `${FIGURE_LABEL[f]}（${f}）：${FIGURE_HINT[f]}`).join('；');

export function coverageRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/coverage', 'session', {
    doc: {
      summary: '巡查全覆盖四项指标',
      description:
        `S10 的人口清、场所清、隐患清、动态清，按网格、村（社区）、工作站或全区，默认本月（上海时间）。${FIGURES_DOC}。` +
        'ratios 为 0–1（无应办事项时为 null），lowest 为其中最低者（地图着色用）。只含本人可见范围（区级角色为全区）。',
      query: CoverageQuery,
      response: { type: 'object', properties: { month: { type: 'string' }, level: { type: 'string' }, rows: { type: 'array', items: { type: 'object' } } }, required: ['month', 'level', 'rows'] },
    },
  }, async ({ url, session }) => {
    const q = readQuery(url, CoverageQuery);
    const month = q.month ?? monthOf(new Date());
    const reach = await reachOfSession(app.db, session!);
    const grids = reach.kind === 'own' || reach.kind === 'none' ? [] : await gridTallies(app.db, reach, month, q.station);
    const body: CoverageAnswer = { month, level: q.level, rows: coverageRows(grids, q.level) };
    return { body };
  });

  router.add('GET', '/api/v1/coverage/owed', 'session', {
    doc: {
      summary: '网格本月尚欠走访',
      description: '尚未走访的重点场所与走访次数不足的重点人员，带位置。重点人员姓名除其网格员与站领导、区领导外一律脱敏（张*），明文读取记入审计。',
      query: OwedQuery,
      response: { type: 'object', properties: { month: { type: 'string' }, gridCode: { type: 'string' }, items: { type: 'array', items: OWED_ITEM } }, required: ['month', 'gridCode', 'items'] },
      errors: { 404: '网格不存在或不在可见范围内' },
    },
  }, async ({ url, session, ip }) => {
    const q = readQuery(url, OwedQuery);
    const month = q.month ?? monthOf(new Date());
    const reach = await reachOfSession(app.db, session!);
    const { rows } = await app.db.query<{ stationId: number | null }>(
      `SELECT sv.station_id AS "stationId" FROM regions g LEFT JOIN station_villages sv ON sv.village_code = g.parent_code WHERE g.code = $1 AND g.level = 'grid'`,
      [q.grid],
    );
    if (!rows[0] || !maySeeStation(reach, rows[0].stationId)) throw notFound(`网格 ${q.grid} `);
    const items = await shown(app.db, session!, await owedIn(app.db, [q.grid], month), ip, 'coverage.owed');
    const body: OwedAnswer = { month, gridCode: q.grid, items };
    return { body };
  });

  router.add('GET', '/api/v1/coverage/mine', 'session', {
    doc: {
      summary: '本人本月待访（手机）',
      description: '本人负责网格中本月尚欠走访的重点场所与重点人员；给出 lon、lat 时按距离由近及远排列（distanceM 为米）。非网格人员得到空列表。',
      query: MineQuery,
      response: { type: 'object', properties: { month: { type: 'string' }, grids: { type: 'array', items: { type: 'string' } }, items: { type: 'array', items: OWED_ITEM } }, required: ['month', 'grids', 'items'] },
    },
  }, async ({ url, session, ip }) => {
    const q = readQuery(url, MineQuery);
    if ((q.lon === undefined) !== (q.lat === undefined))
      throw new DomainError('invalid', 'invalid', 'lon 与 lat 须同时给出', [{ path: q.lon === undefined ? 'query.lon' : 'query.lat', message: '须与另一坐标同时给出' }]);
    const month = monthOf(new Date());
    const grids = await gridsOf(app.db, session!.uid);
    const items = grids.length ? await shown(app.db, session!, await owedIn(app.db, grids, month), ip, 'coverage.mine') : [];
    const here = q.lon !== undefined && q.lat !== undefined ? { lon: q.lon, lat: q.lat } : null;
    const body: MineAnswer = { month, grids, items: nearestFirst(items, here) };
    return { body };
  });

  router.add('POST', '/api/v1/visits', 'editPlaces', {
    doc: {
      summary: '手动签到（走访）',
      description:
        `轨迹无法证明走访时的补充（S3）：负责该网格的网格人员，在场所或人员住址 ${CHECKIN_MAX_M} 米内，附现场照片（先 POST /api/v1/photos）与当前位置。` +
        '记为“手动签到”，与轨迹识别的走访区分显示。同一 requestKey 重试返回首次结果。',
      body: CheckInInput,
      responses: {
        201: { description: '已签到', schema: { type: 'object', properties: { id: { type: 'integer' }, source: { type: 'string' }, duplicate: { type: 'boolean' } }, required: ['id', 'source', 'duplicate'] } },
        200: { description: '同一 requestKey 的重试：首次签到', schema: { type: 'object', properties: { id: { type: 'integer' }, source: { type: 'string' }, duplicate: { type: 'boolean' } }, required: ['id', 'source', 'duplicate'] } },
      },
      errors: { 404: '不是本人负责网格的场所或人员', 422: `位置距目标超过 ${CHECKIN_MAX_M} 米（issues 指 body.lon），或照片不是本人上传的` },
    },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, CheckInInput);
    return checkIn(app.db, session!, input, ip);
  });

  router.add('GET', '/api/v1/admin/coverage-settings', 'manageSystem', {
    doc: { summary: '走访识别参数', description: '轨迹在目标多少米内停留多少分钟算一次走访（S3）。', response: SETTINGS },
  }, async () => ({ body: await readSettings(app.db) }));

  router.add('PUT', '/api/v1/admin/coverage-settings', 'manageSystem', {
    doc: { summary: '修改走访识别参数', description: 'visitMinutes 1–240 分钟，visitRadiusM 5–1000 米；之后计算的走访按新参数，已识别的不变。', body: CoverageSettingsInput, response: SETTINGS },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, CoverageSettingsInput);
    const saved = await inTransaction(app.db, async (tx) => {
      const s = await writeSettings(tx, input);
      await audit(tx, session, { action: 'coverage.settings', target: 'coverage_settings', detail: { ...s }, ip });
      return s;
    });
    return { body: saved };
  });

  router.add('PUT', '/api/v1/stations/:id/patrol-minimum', 'manageStation', {
    doc: {
      summary: '设定本站每名网格员每月最低巡查时长',
      description: '动态清的基准（S10）：每名网格员每月在岗巡查小时数，0–744。管理员可设全区各站，站长、常务副站长只设本站。',
      body: PatrolMinimumInput,
      response: { type: 'object', properties: { id: { type: 'integer' }, patrolHoursMonth: { type: 'integer' } }, required: ['id', 'patrolHoursMonth'] },
      errors: { 404: '工作站不存在或不归本人管理' },
    },
  }, async (ctx) => {
    const parsed = StationParam.safeParse(ctx.params.id);
    if (!parsed.success) throw new DomainError('invalid', 'invalid', '工作站编号无效', [{ path: 'params.id', message: '须为正整数' }]);
    const id = parsed.data;
    mayManageStation(ctx.session!, id);
    const input = await readBody(ctx.req, PatrolMinimumInput);
    await inTransaction(app.db, async (tx) => {
      const { rowCount } = await tx.query(`UPDATE stations SET patrol_hours_month = $2 WHERE id = $1`, [id, input.patrolHoursMonth]);
      if (!rowCount) throw notFound(`工作站 ${id} `);
      await audit(tx, ctx.session, { action: 'station.patrol_minimum', target: `station:${id}`, detail: input, ip: ctx.ip });
    });
    return { body: { id, patrolHoursMonth: input.patrolHoursMonth } };
  });
}
