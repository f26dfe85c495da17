import { INDICATORS } from '@/lib/assessment/indicators';
import { FUNCTIONS } from '@/lib/assessment/formula';
import { ActivateInputV1, RuleListQuery, RuleSetInputV1 } from '@/lib/contracts/assessment';
import { activateRuleSet, checkReader, createRuleSet, listRuleSets, ruleSet } from '../../assessment/rules';
import type { AppContext } from '../../context';
import { pathId, readBody, readQuery, type Router } from '../router';

/*
 * 考评细则 (issue 15 point 1; S13 assessment rules, S14 star stations). Reading: the district roles
 * and the station leaders (lib/assessment/rules.ts ASSESSMENT_READERS); a new version and its
 * activation: PERMISSIONS.editAssessment. A refused rule set answers 400 with issues naming each
 * field (body.items, body.items.2.formula, body.stars.1 …).
 */

const obj = { type: 'object' } as const;
const list = { type: 'array', items: obj } as const;
const READ_ERRORS = { 403: '非区级角色或站长、常务副站长' };


export function assessmentRuleRoutes(router: Router, app: AppContext): void {
  router.add('GET', '/api/v1/assessment/indicators', 'session', {
    doc: {
      summary: '考评指标目录',
      description: `考评细则的公式可用的指标（代码、名称、单位、方向、口径）与函数（${FUNCTIONS.join('、')}）。`,
      response: obj,
      errors: READ_ERRORS,
    },
  }, async ({ session }) => {
    checkReader(session!);
    return { body: { indicators: INDICATORS, functions: FUNCTIONS } };
  });

  router.add('GET', '/api/v1/assessment/rules', 'session', {
    doc: { summary: '考评细则各版本', description: '按年度倒序、版本倒序；不含细则正文。year：只列该年度。', query: RuleListQuery, response: list, errors: READ_ERRORS },
  }, async ({ session, url }) => {
    checkReader(session!);
    const q = readQuery(url, RuleListQuery);
    return { body: await listRuleSets(app.db, q.year) };
  });

  router.add('GET', '/api/v1/assessment/rules/:id', 'session', {
    doc: { summary: '一版考评细则（含考评项、分值、公式与星级区间）', response: obj, errors: { ...READ_ERRORS, 404: '该版本不存在' } },
  }, async (ctx) => {
    checkReader(ctx.session!);
    return { body: await ruleSet(app.db, pathId(ctx, { max: 2_147_483_647 })) };
  });

  router.add('POST', '/api/v1/assessment/rules', 'editAssessment', {
    doc: {
      summary: '新建一版考评细则（草稿）',
      description: '版本号为该年度已有最大版本号加一。校验：计分项分值之和须为 100（body.items）；公式可读且只引用指标目录中、并列入本项 indicators 的指标（body.items.<i>.formula，含字符位置）；编码不重复；星级区间从 1 星起连续、不重叠、无空档，最高区间上限为 100（body.stars.<i>）。',
      body: RuleSetInputV1,
      responses: { 201: { description: '新建的草稿', schema: obj }, 200: { description: '同一 requestKey 的重试：返回第一次新建的版本', schema: obj } },
      errors: { 400: '细则不合规，issues 指出字段与原因', 409: 'requestKey 已用于另一项操作' },
    },
  }, async (ctx) => {
    const input = await readBody(ctx.req, RuleSetInputV1);
    const { record, created } = await createRuleSet(app.db, ctx.session!, input, ctx.ip);
    return { status: created ? 201 : 200, body: record, headers: { location: `/api/v1/assessment/rules/${record.id}` } };
  });

  router.add('POST', '/api/v1/assessment/rules/:id/activate', 'editAssessment', {
    doc: {
      summary: '使一版考评细则生效',
      description: '该年度原生效版本同时停用，每年度只有一版生效；已停用的版本可重新生效（回到旧细则）；对已生效版本重复操作不做改变。',
      body: ActivateInputV1,
      responses: { 200: { description: '生效后的版本（含正文）', schema: obj } },
      errors: { 404: '该版本不存在', 409: 'requestKey 已用于另一项操作或另一版本' },
    },
  }, async (ctx) => {
    const id = pathId(ctx, { max: 2_147_483_647 });
    const input = await readBody(ctx.req, ActivateInputV1);
    const { record } = await activateRuleSet(app.db, ctx.session!, id, input, ctx.ip);
    return { body: record };
  });
}
