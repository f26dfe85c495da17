import { z } from 'zod';
import {
  HistoryEventsQuery, MAX_TRACE_HOURS, SnapshotQuery, TracesQuery,
  type HistoryEventsV1, type HistoryUnit, type InspectionRouteV1, type SnapshotV1, type TracesV1,
} from '@/lib/contracts/history';
import type { Session } from '../../auth/session';
import type { AppContext } from '../../context';
import { reachOfSession } from '../../events/viewer';
import { DomainError } from '../../errors';
import { dispatchesBetween, incidentsBetween, inspectionOf, participantUnits, unitsAsked } from '../../history/read';
import { snapshotAt, traces } from '../../history/queries';
import { audit } from '../../repo/audit';
import { readQuery, type Ctx, type Router } from '../router';

const POINT = { type: 'array', items: { type: 'number' }, minItems: 3, maxItems: 3, description: '[毫秒时间戳, 经度, 纬度]（WGS-84）' };
const UNIT_PROPS = {
  id: { type: 'integer' }, code: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' },
  isTeam: { type: 'boolean' }, stationId: { type: ['integer', 'null'] },
};
const TRACE = { type: 'object', properties: { ...UNIT_PROPS, points: { type: 'array', items: POINT } }, required: ['id', 'points'] };
const TRACES = { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, units: { type: 'array', items: TRACE } }, required: ['from', 'to', 'units'] };
const OBJECT = { type: 'object' };
const SCOPE = '仅限可见工作站（lib/access/scope maySeeStation）的单位；每次读取记入审计（history.read），因为轨迹是个人信息。';
const SCOPE_ERRORS = { 403: '所请求的单位或工作站不在职责范围内', 404: '单位或工作站不存在' };

/** Shanghai has no daylight saving time: a local day is [D 00:00+08:00, D+1 00:00+08:00). */
const shanghaiDayRange = (day: string) => {
  const from = new Date(`${day}T00:00:00+08:00`);
  return { from, to: new Date(from.getTime() + 86_400_000) };
};

const who = (q: { units?: number[]; station?: number }) => (q.station !== undefined ? { station: q.station } : { units: q.units });

/** A read of someone's positions, on the record with what was asked (personal data). */
const recordRead = (app: AppContext, ctx: Ctx, target: string, detail: Record<string, unknown>) =>
  audit(app.db, ctx.session, {
    action: 'history.read',
    target,
    detail: ctx.session!.displayId === null ? detail : { ...detail, displayId: ctx.session!.displayId },
    ip: ctx.ip,
  });

const targetOf = (q: { station?: number }, units: HistoryUnit[]) =>
  q.station !== undefined ? `station:${q.station}` : units.length === 1 ? `unit:${units[0].id}` : 'units';

/** History playback (issue 12, part 5): traces, "where was everyone at 14:05", the range's incidents and dispatches. */
export function historyRoutes(router: Router, app: AppContext): void {
  const reach = (s: Session | null) => reachOfSession(app.db, s!);

  router.add('GET', '/api/v1/history/traces', 'session', {
    doc: {
      summary: '单位的历史轨迹',
      description: `units（逗号分隔的单元 id）或 station（该站全部单元）二选一；时间范围最长 ${MAX_TRACE_HOURS} 小时。每个单元的点位按时间先后为 [毫秒时间戳, 经度, 纬度]。${SCOPE}`,
      query: TracesQuery,
      response: TRACES,
      errors: SCOPE_ERRORS,
    },
  }, async (ctx) => {
    const q = readQuery(ctx.url, TracesQuery);
    const units = await unitsAsked(app.db, await reach(ctx.session), who(q));
    const from = new Date(q.from);
    const to = new Date(q.to);
    const byUnit = await traces(app.db, units.map((u) => u.id), from, to);
    await recordRead(app, ctx, targetOf(q, units), {
      kind: 'traces', ...who(q), from: from.toISOString(), to: to.toISOString(),
      fixes: [...byUnit.values()].reduce((n, p) => n + p.length, 0),
    });
    const body: TracesV1 = { from: from.toISOString(), to: to.toISOString(), units: units.map((u) => ({ ...u, points: byUnit.get(u.id) ?? [] })) };
    return { body };
  });

  router.add('GET', '/api/v1/history/snapshot', 'session', {
    doc: {
      summary: '某一时刻各单位的位置',
      description: `每个单元在 at 时刻或之前的最后一个点位，早于 at 超过 withinMin 分钟（默认 10）的不算。units 或 station 二选一。${SCOPE}`,
      query: SnapshotQuery,
      response: { type: 'object', properties: { at: { type: 'string' }, withinMin: { type: 'integer' }, units: { type: 'array', items: OBJECT } }, required: ['at', 'withinMin', 'units'] },
      errors: SCOPE_ERRORS,
    },
  }, async (ctx) => {
    const q = readQuery(ctx.url, SnapshotQuery);
    const units = await unitsAsked(app.db, await reach(ctx.session), who(q));
    const at = new Date(q.at);
    const withinMin = q.withinMin ?? 10;
    const fixes = await snapshotAt(app.db, units.map((u) => u.id), at, withinMin * 60_000);
    await recordRead(app, ctx, targetOf(q, units), { kind: 'snapshot', ...who(q), at: at.toISOString(), withinMin, found: fixes.length });
    const meta = new Map(units.map((u) => [u.id, u]));
    const body: SnapshotV1 = {
      at: at.toISOString(),
      withinMin,
      units: fixes.map(({ unitId, ...f }) => ({ ...meta.get(unitId)!, ...f })),
    };
    return { body };
  });

  router.add('GET', '/api/v1/history/events', 'session', {
    doc: {
      summary: '一段时间内的事件与派遣',
      description: '回放所用：时段内上报的事件（上报时间与位置），以及时段内进行过的派遣（派出时间、单元到事件的连线、各步骤时间）。可见范围同事件列表；station 缩小到一个工作站。最长 7 天。',
      query: HistoryEventsQuery,
      response: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, incidents: { type: 'array', items: OBJECT }, dispatches: { type: 'array', items: OBJECT } }, required: ['from', 'to', 'incidents', 'dispatches'] },
    },
  }, async ({ url, session }) => {
    const q = readQuery(url, HistoryEventsQuery);
    const r = await reach(session);
    const from = new Date(q.from);
    const to = new Date(q.to);
    const [incidents, dispatches] = await Promise.all([
      incidentsBetween(app.db, r, session!.uid, from, to, q.station),
      dispatchesBetween(app.db, r, session!.uid, from, to, q.station),
    ]);
    const body: HistoryEventsV1 = { from: from.toISOString(), to: to.toISOString(), incidents, dispatches };
    return { body };
  });

  router.add('GET', '/api/v1/inspections/:id/route', 'session', {
    doc: {
      summary: '联合巡查的路线',
      description: `参加人员（按姓名对应到本站单元）在巡查当天（北京时间）的轨迹；对不上单元的姓名列在 unmatched。${SCOPE}`,
      response: { type: 'object', properties: { inspection: OBJECT, from: { type: 'string' }, to: { type: 'string' }, units: { type: 'array', items: TRACE }, unmatched: { type: 'array', items: { type: 'string' } } }, required: ['inspection', 'units', 'unmatched'] },
      errors: { 403: '此巡查不属于您的职责范围', 404: '巡查不存在' },
    },
  }, async (ctx) => {
    const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).safeParse(ctx.params.id);
    if (!id.success) throw new DomainError('invalid', 'invalid', '巡查编号无效', [{ path: 'params.id', message: '须为正整数' }]);
    const inspection = await inspectionOf(app.db, await reach(ctx.session), id.data);
    const { units, unmatched } = await participantUnits(app.db, inspection);
    const { from, to } = shanghaiDayRange(inspection.day);
    const byUnit = await traces(app.db, units.map((u) => u.id), from, to);
    await recordRead(app, ctx, `inspection:${inspection.id}`, { kind: 'inspection_route', units: units.map((u) => u.id), day: inspection.day });
    const body: InspectionRouteV1 = {
      inspection, from: from.toISOString(), to: to.toISOString(), unmatched,
      units: units.map((u) => ({ ...u, points: byUnit.get(u.id) ?? [] })),
    };
    return { body };
  });
}
