import { z } from 'zod';
import { FalseReportV1, LeaderboardQuery, RedemptionV1 } from '@/lib/contracts/points';
import type { AppContext } from '../../context';
import { DomainError } from '../../errors';
import { markFalse, redeem } from '../../points/act';
import { citizenLedger, leaderboard, listRules, myLedger, personLedger } from '../../points/read';
import { readBody, readQuery, type Ctx, type Router } from '../router';

/*
 * Rewards (积分; issue 15 point 5, S14). Changing: PERMISSIONS.managePoints (a station's leaders
 * for their station, the district's operator and the administrator), audited, retried by request
 * key. Reading: one's own ledger; managePoints for their station's people and residents; a
 * station's leaderboard for those who work there and the district. No UI in this slice.
 */

const obj = { type: 'object' } as const;
const list = { type: 'array', items: obj } as const;
const Id = z.coerce.number().int().positive();
const Code = z.string().trim().toUpperCase().regex(/^[0-9A-HJKMNP-TV-Z]{10}$/);

function idOf(ctx: Ctx): number {
  const parsed = Id.safeParse(ctx.params.id);
  if (!parsed.success) throw new DomainError('invalid', 'invalid', '编号无效', [{ path: 'params.id', message: '须为正整数' }]);
  return parsed.data;
}

export function pointsRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/points/rules', 'session', {
    doc: { summary: '积分细则', description: '各项积分的分值与适用对象（数据表 points_rules）。', response: list },
  }, async () => ({ body: await listRules(app.db) }));

  router.add('GET', '/api/v1/points/mine', 'session', {
    doc: { summary: '我的积分', description: '账号所关联人员的积分余额与明细（最近 500 条）；未关联人员的账号为空。', response: obj },
  }, async ({ session }) => ({ body: await myLedger(app.db, session!) }));

  router.add('GET', '/api/v1/points/people/:id', 'session', {
    doc: { summary: '人员积分明细', description: '本人；站长、副站长查看本站人员；区级（区指挥中心、管理员）查看全区。', response: obj, errors: { 404: '人员不存在或不在职责范围内' } },
  }, async (ctx) => ({ body: await personLedger(app.db, ctx.session!, idOf(ctx)) }));

  router.add('GET', '/api/v1/points/citizens/:code', 'managePoints', {
    doc: {
      summary: '群众积分明细（按查询码）',
      description: '群众的积分按其诉求所留电话累计，以查询码显示，电话不显示。本站诉求：站长、副站长；区级：全区。',
      params: { code: { type: 'string', description: '10 位查询码' } }, response: obj, errors: { 404: '查询码不存在或不在本站' },
    },
  }, async (ctx) => {
    const code = Code.safeParse(ctx.params.code);
    if (!code.success) throw new DomainError('invalid', 'invalid', '查询码无效', [{ path: 'params.code', message: '须为 10 位查询码' }]);
    return { body: await citizenLedger(app.db, ctx.session!, code.data) };
  });

  router.add('GET', '/api/v1/points/leaderboard', 'session', {
    doc: { summary: '工作站积分排行', description: '本月或本年（北京时间）在该站获得的积分（含扣回，不含兑换），前 50 名人员；群众不上榜。', query: LeaderboardQuery, response: obj, errors: { 404: '工作站不在职责范围内' } },
  }, async ({ session, url }) => ({ body: await leaderboard(app.db, session!, readQuery(url, LeaderboardQuery)) }));

  router.add('POST', '/api/v1/points/false-reports', 'managePoints', {
    doc: {
      summary: '查实虚假上报',
      description: '标记事件为查实虚假（须填理由），其上报所得积分随即以负分记账扣回；留审计；同一 requestKey 的重试返回第一次的结果。',
      body: FalseReportV1,
      responses: { 201: { description: '已标记，返回扣回的分录', schema: obj }, 200: { description: '同一 requestKey 的重试', schema: obj } },
      errors: { 404: '事件不存在或不在职责范围内', 409: '事件已标记过，或 requestKey 已用于另一项操作' },
    },
  }, async (ctx) => {
    const input = await readBody(ctx.req, FalseReportV1);
    const { answer, replayed } = await markFalse(app.db, ctx.session!, input, ctx.ip);
    return { status: replayed ? 200 : 201, body: answer };
  });

  router.add('POST', '/api/v1/points/redemptions', 'managePoints', {
    doc: {
      summary: '登记积分兑换',
      description: '为本站人员（personId）或群众（citizenCode）登记兑换，记一笔负分；余额不足则拒绝（issues 指出 body.points）；留审计。',
      body: RedemptionV1,
      responses: { 201: { description: '已登记', schema: obj }, 200: { description: '同一 requestKey 的重试', schema: obj } },
      errors: { 404: '人员或查询码不存在或不在本站', 409: 'requestKey 已用于另一项操作', 422: '积分不足' },
    },
  }, async (ctx) => {
    const input = await readBody(ctx.req, RedemptionV1);
    const { answer, replayed } = await redeem(app.db, ctx.session!, input, ctx.ip);
    return { status: replayed ? 200 : 201, body: answer };
  });
}
