import type { Reach } from '@/lib/access/scope';
import { valuesOf } from '@/lib/analytics/figures';
import { KPI_LIST, KPI_READERS } from '@/lib/analytics/kpis';
import { lastDays, lengthOf, periodRange, previousRange } from '@/lib/analytics/period';
import { EARLIEST_STATS_DAY } from '@/lib/contracts/stats';
import {
  KpiEventsQuery,
  KpiQuery,
  MAX_KPI_RANGE_DAYS,
  TrendQuery,
  type AreaRef,
  type DayRange,
  type KpiAnswerV1,
  type KpiEventsV1,
  type KpiRankingV1,
  type KpiTrendV1,
  type PeriodKind,
} from '@/lib/contracts/kpi';
import type { Session } from '../../auth/session';
import { shanghaiDay } from '@/lib/time/workdays';
import type { AppContext } from '../../context';
import { mayReadArea, mayReadRef, resolveArea, type Area } from '../../analytics/areas';
import { eventsBehind, KPI_EVENTS_PAGE } from '../../analytics/events';
import { kpiFigures } from '../../analytics/figures';
import { ranking } from '../../analytics/ranking';
import { trend } from '../../analytics/trend';
import { DomainError, forbidden } from '../../errors';
import { reachOfSession } from '../../events/viewer';
import { notFound } from '../../master/guard';
import { readQuery, type Router } from '../router';

const AREA_DOC = 'area：district（全区）、town:<镇街代码>、station:<工作站编号> 或 grid:<网格代码>；站领导与本站大屏只可读本站及本站网格。';
const PERIOD_DOC = 'period：today（今天）、week（本周，周一至周日）、month（本月）或 range（须给 from、to，YYYY-MM-DD，含两端），均为北京时间。';
const KPI_DOC = KPI_LIST.map((k) => `${k.name}（${k.code}）：${k.definition}`).join('\n');
const AREA_INFO = {
  type: 'object',
  properties: { ref: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' }, parent: { type: ['string', 'null'] } },
  required: ['ref', 'kind', 'name', 'parent'],
};
const RANGE = { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } }, required: ['from', 'to'] };
const ERRORS = { 403: '非区级角色、站领导或大屏；或所问区域不在本人范围内', 404: '区域不存在（区级可见范围内）' };

/** The reader's reach, or 403: the district roles, the station leaders (S7) and walls (issue 13). */
async function readerReach(app: AppContext, session: Session): Promise<Reach> {
  if (!KPI_READERS.includes(session.role)) throw forbidden();
  return reachOfSession(app.db, session);
}

/** The area, within scope (issue 10): a refusal never says whether an area outside it exists. */
async function areaFor(app: AppContext, reach: Reach, ref: AreaRef): Promise<Area> {
  if (!mayReadRef(reach, ref)) throw forbidden();
  const area = await resolveArea(app.db, ref);
  if (!area) throw reach.kind === 'district' ? notFound(`区域 ${ref} `) : forbidden();
  if (!mayReadArea(reach, area)) throw forbidden();
  return area;
}

/** The days of the period asked for, bounded so a query never scans more than two years. */
function rangeOf(q: { period: PeriodKind; from?: string; to?: string }): DayRange {
  for (const key of ['from', 'to'] as const) {
    const day = q[key];
    if (day !== undefined && day < EARLIEST_STATS_DAY)
      throw new DomainError('invalid', 'invalid', `日期不能早于 ${EARLIEST_STATS_DAY}`, [{ path: `query.${key}`, message: `不能早于 ${EARLIEST_STATS_DAY}` }]);
  }
  if (q.period === 'range' && q.from !== undefined && q.to !== undefined && q.from > q.to)
    throw new DomainError('invalid', 'invalid', 'from 不能晚于 to', [{ path: 'query.to', message: `须不早于 from（${q.from}）` }]);
  const range = periodRange(q.period, new Date(), q);
  if (lengthOf(range) > MAX_KPI_RANGE_DAYS)
    throw new DomainError('invalid', 'invalid', `一次最多 ${MAX_KPI_RANGE_DAYS} 天`, [{ path: 'query.from', message: `与 to 相距不超过 ${MAX_KPI_RANGE_DAYS} 天` }]);
  return range;
}

export function kpiRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/kpi', 'session', {
    doc: {
      summary: '领导驾驶舱指标',
      description:
        `一个区域、一个时段的全部指标及上一同长时段的值（本月对上月）。比率为 0–1，用时为小时；无可计之事时为 null。${AREA_DOC}${PERIOD_DOC}` +
        `计数取自按日汇总（与事件同一事务更新），分位数取自原始事件。各指标口径：\n${KPI_DOC}`,
      query: KpiQuery,
      response: {
        type: 'object',
        properties: { area: AREA_INFO, period: RANGE, previous: RANGE, values: { type: 'array', items: { type: 'object' } }, computedAt: { type: 'string' } },
        required: ['area', 'period', 'previous', 'values', 'computedAt'],
      },
      errors: ERRORS,
    },
  }, async ({ url, session }) => {
    const reach = await readerReach(app, session!);
    const q = readQuery(url, KpiQuery);
    const range = rangeOf(q);
    const area = await areaFor(app, reach, q.area);
    const previous = previousRange(q.period, range, shanghaiDay(new Date()));
    const [now, before] = await Promise.all([kpiFigures(app.db, area, range), kpiFigures(app.db, area, previous, false)]);
    const body: KpiAnswerV1 = {
      area: area.info,
      period: { kind: q.period, ...range },
      previous,
      values: valuesOf(now, before),
      computedAt: new Date().toISOString(),
    };
    return { body };
  });

  router.add('GET', '/api/v1/kpi/ranking', 'session', {
    doc: {
      summary: '下级区域指标并列（互比互看）',
      description: `全区与镇街：各工作站；工作站：各网格。values 按指标代码给出本时段的值。${AREA_DOC}${PERIOD_DOC}`,
      query: KpiQuery,
      response: { type: 'object', properties: { area: AREA_INFO, period: RANGE, rows: { type: 'array', items: { type: 'object' } } }, required: ['area', 'period', 'rows'] },
      errors: ERRORS,
    },
  }, async ({ url, session }) => {
    const reach = await readerReach(app, session!);
    const q = readQuery(url, KpiQuery);
    const range = rangeOf(q);
    const area = await areaFor(app, reach, q.area);
    const body: KpiRankingV1 = { area: area.info, period: { kind: q.period, ...range }, rows: await ranking(app.db, area, range) };
    return { body };
  });

  router.add('GET', '/api/v1/kpi/trend', 'session', {
    doc: {
      summary: '逐日趋势',
      description: `最近 7、30 或 90 天（含今天）每天的上报、其中已办结、其中超期件数，及按类别的上报件数（按上报日归入）。${AREA_DOC}`,
      query: TrendQuery,
      response: { type: 'object', properties: { area: AREA_INFO, days: { type: 'array', items: { type: 'object' } }, categories: { type: 'array', items: { type: 'object' } } }, required: ['area', 'days', 'categories'] },
      errors: ERRORS,
    },
  }, async ({ url, session }) => {
    const reach = await readerReach(app, session!);
    const q = readQuery(url, TrendQuery);
    const area = await areaFor(app, reach, q.area);
    const body: KpiTrendV1 = { area: area.info, ...(await trend(app.db, area, lastDays(q.days, new Date()))) };
    return { body };
  });

  router.add('GET', '/api/v1/kpi/events', 'session', {
    doc: {
      summary: '指标背后的事件',
      description:
        `某指标的分子（part=numerator，被计入的事件）或分母（part=denominator，比率据以计算的事件），与该指标同一判定条件、同一时段与区域，` +
        `且只含本人可见的事件。每页 ${KPI_EVENTS_PAGE} 条（offset 翻页），total 为总数；用时类指标给出 hours 并按其由长到短排列。` +
        `在线率、巡查覆盖率、调解成功率不以事件计，计数类指标没有分母：此时答 422。${AREA_DOC}${PERIOD_DOC}`,
      query: KpiEventsQuery,
      response: { type: 'object', properties: { kpi: { type: 'string' }, part: { type: 'string' }, total: { type: 'integer' }, events: { type: 'array', items: { type: 'object' } } }, required: ['kpi', 'part', 'total', 'events'] },
      errors: { ...ERRORS, 422: '该指标不以事件计（issues 指 query.kpi），或计数类指标没有分母（query.part）' },
    },
  }, async ({ url, session }) => {
    const reach = await readerReach(app, session!);
    const q = readQuery(url, KpiEventsQuery);
    const range = rangeOf(q);
    const area = await areaFor(app, reach, q.area);
    const found = await eventsBehind(app.db, reach, session!.uid, area, range, q.kpi, q.part, q.offset);
    if (!found) {
      const counted = KPI_LIST.find((k) => k.code === q.kpi)!.events !== 'none';
      throw new DomainError('unprocessable', 'not_counted_of_events', counted ? '计数类指标没有分母' : '该指标不以事件计', [
        counted ? { path: 'query.part', message: '此指标只有分子（numerator）' } : { path: 'query.kpi', message: '在线率、巡查覆盖率、调解成功率不以事件计' },
      ]);
    }
    const body: KpiEventsV1 = { kpi: q.kpi, part: q.part, ...found };
    return { body };
  });
}
