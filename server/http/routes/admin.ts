import { z } from 'zod';
import {
  CategoryCreate,
  CategoryPatch,
  Day,
  EmptyBody,
  HolidayInput,
  HolidayQuery,
  TimeLimitInput,
  type AdminCategory,
  type AdminJointRule,
  type AdminTaxonomy,
  type AdminTimeLimit,
  type Holiday,
  type HolidayYear,
} from '@/lib/contracts/admin';
import { GRID_FORCE } from '@/lib/command/joint';
import { CategoryCode } from '@/lib/contracts/events';
import { shanghaiDay } from '@/lib/time/workdays';
import type { AppContext } from '../../context';
import { inTransaction, type Db, type Tx } from '../../db/pool';
import { audit } from '../../repo/audit';
import { DomainError } from '../../errors';
import { readBody, readQuery, type Ctx, type Router } from '../router';
import { isoSql } from '../../db/sql';

const CATEGORY = `code, parent_code AS "parentCode", label, department_code AS department, severity, sort, active,
  ${isoSql('updated_at')} AS "updatedAt"`;
const LIMIT = `id, category_code AS category, severity, accept_yellow AS "acceptYellow", accept_red AS "acceptRed",
  handle_yellow AS "handleYellow", handle_red AS "handleRed"`;
const HOLIDAY = `to_char(day, 'YYYY-MM-DD') AS day, kind, name`;
const JOINT_RULE = `category_code AS category, forces, ${isoSql('updated_at')} AS "updatedAt"`;

/** A category's joint-handling rule (issue 5, S12): the forces, in order, its events need on scene. */
const Force = z
  .string({ error: '须为部门代码' })
  .max(64, '部门代码最多 64 个字符')
  .regex(/^[a-z0-9_]+$/, `须为部门代码（小写字母、数字和下划线）或 ${GRID_FORCE}`);

/** PUT /api/v1/admin/joint-rules/:code. Which codes name a department is the table's to say (422 below). */
export const JointRuleInput = z
  .object({
    forces: z.array(Force, { error: '须为部门代码列表' }).min(1, '至少选择一支力量').max(10, '最多 10 支力量'),
  })
  .strict()
  .superRefine((r, ctx) => {
    r.forces.forEach((f, i) => {
      if (r.forces.indexOf(f) < i) ctx.addIssue({ code: 'custom', path: ['forces', i], message: `重复的力量：${f}` });
    });
  });

const LimitId = z.coerce.number().int().positive().max(2 ** 31 - 1);
const OBJECT = { type: 'object' };
const CATEGORY_DOC = { type: 'object', properties: { code: { type: 'string' }, parentCode: { type: ['string', 'null'] }, label: { type: 'string' }, department: { type: ['string', 'null'] }, severity: { type: 'string' }, sort: { type: 'integer' }, active: { type: 'boolean' }, updatedAt: { type: 'string', format: 'date-time' } } };
const DELETED = { type: 'object', properties: { ok: { const: true }, deleted: OBJECT }, required: ['ok', 'deleted'] };

const unprocessable = (path: string, code: string, message: string) => new DomainError('unprocessable', code, message, [{ path, message }]);
const notFound = (path: string, message: string) => new DomainError('not_found', 'not_found', message, [{ path, message }]);

function param<S extends z.ZodType>(ctx: Ctx, key: string, schema: S, message: string): z.infer<S> {
  const parsed = schema.safeParse(ctx.params[key]);
  if (!parsed.success) throw new DomainError('invalid', 'invalid', message, [{ path: `params.${key}`, message }]);
  return parsed.data;
}

async function checkDepartment(q: Db | Tx, department: string | null | undefined): Promise<void> {
  if (!department) return;
  const { rowCount } = await q.query(`SELECT 1 FROM departments WHERE code = $1`, [department]);
  if (!rowCount) throw unprocessable('body.department', 'unknown_department', `未知的部门：${department}`);
}

/** The administrator's taxonomy, time limits and holiday table (issue 4). */
export function adminRoutes(router: Router, app: AppContext): void {
  /**
   * Every edit commits with its audit entry, then drops this process's reference cache so the
   * next report or step is decided on the new data (other processes within its max age).
   */
  async function change<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const result = await inTransaction(app.db, fn);
    app.reference.invalidate();
    return result;
  }

  router.add('GET', '/api/v1/admin/taxonomy', 'editTaxonomy', {
    doc: {
      summary: '类别、时限与部门（管理）',
      description: '全部类别（含停用的）、时限表（默认行在前，越具体越靠后）与部门。',
      response: { type: 'object', properties: { categories: { type: 'array', items: CATEGORY_DOC }, limits: { type: 'array', items: OBJECT }, departments: { type: 'array', items: OBJECT } }, required: ['categories', 'limits', 'departments'] },
    },
  }, async () => {
    const [categories, limits, departments] = await Promise.all([
      app.db.query<AdminCategory>(`SELECT ${CATEGORY} FROM categories ORDER BY sort, code`),
      // The default row first and the most specific last, so the table reads as the rule widens and narrows.
      app.db.query<AdminTimeLimit>(
        `SELECT ${LIMIT} FROM time_limits ORDER BY (category_code IS NOT NULL), (severity IS NOT NULL), category_code, severity, id`,
      ),
      app.db.query<{ code: string; name: string }>(`SELECT code, name FROM departments ORDER BY id`),
    ]);
    const body: AdminTaxonomy = { categories: categories.rows, limits: limits.rows, departments: departments.rows };
    return { body };
  });

  router.add('POST', '/api/v1/admin/categories', 'editTaxonomy', {
    doc: {
      summary: '新建类别或子类',
      description: '子类代码为“大类.子类”。未给 sort 时排在同级之后。',
      body: CategoryCreate,
      responses: { 201: { description: '已新建', schema: CATEGORY_DOC, headers: { Location: { description: '/api/v1/admin/categories/{code}', schema: { type: 'string' } } } } },
      errors: { 409: '类别代码已存在（停用的类别也占用代码）', 422: '上级类别未知、已停用或本身是子类；部门未知' },
    },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, CategoryCreate);
    const created = await change(async (tx) => {
      const parent = input.parentCode ?? null;
      if (parent) {
        const { rows } = await tx.query<{ parentCode: string | null; active: boolean }>(
          `SELECT parent_code AS "parentCode", active FROM categories WHERE code = $1 FOR SHARE`,
          [parent],
        );
        if (!rows[0]) throw unprocessable('body.parentCode', 'unknown_category', `未知的上级类别：${parent}`);
        if (rows[0].parentCode !== null) throw unprocessable('body.parentCode', 'not_top_level', '子类下不能再建子类');
        if (!rows[0].active) throw unprocessable('body.parentCode', 'retired', '上级类别已停用，请先启用');
      }
      await checkDepartment(tx, input.department);
      // Appended after its siblings unless placed: sub-categories follow their parent, categories step by 100 as seeded.
      const sort =
        input.sort ??
        (parent
          ? (await tx.query<{ s: number }>(`SELECT max(sort) + 1 AS s FROM categories WHERE code = $1 OR parent_code = $1`, [parent])).rows[0].s
          : (await tx.query<{ s: number }>(`SELECT coalesce(max(sort), -100) + 100 AS s FROM categories WHERE parent_code IS NULL`)).rows[0].s);
      const { rows } = await tx.query<AdminCategory>(
        `INSERT INTO categories (code, parent_code, label, department_code, severity, sort)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING RETURNING ${CATEGORY}`,
        [input.code, parent, input.label, input.department ?? null, input.severity, sort],
      );
      const row = rows[0];
      if (!row) throw new DomainError('conflict', 'duplicate', `类别代码 ${input.code} 已存在`, [{ path: 'body.code', message: '代码已存在（停用的类别也占用代码）' }]);
      await audit(tx, session, { action: 'category.create', target: `category:${row.code}`, detail: { after: row }, ip });
      return row;
    });
    return { status: 201, body: created, headers: { location: `/api/v1/admin/categories/${encodeURIComponent(created.code)}` } };
  });

  router.add('PATCH', '/api/v1/admin/categories/:code', 'editTaxonomy', {
    doc: {
      summary: '修改类别',
      description: '类别从不删除（事件引用它）：以 active=false 停用。',
      params: { code: CategoryCode },
      body: CategoryPatch,
      response: CATEGORY_DOC,
      errors: { 404: '没有该类别', 422: '部门未知' },
    },
  }, async (ctx) => {
    const code = param(ctx, 'code', CategoryCode, '类别代码无效');
    const patch = await readBody(ctx.req, CategoryPatch);
    const updated = await change(async (tx) => {
      const before = (await tx.query<AdminCategory>(`SELECT ${CATEGORY} FROM categories WHERE code = $1 FOR UPDATE`, [code])).rows[0];
      if (!before) throw notFound('params.code', `没有类别 ${code}`);
      await checkDepartment(tx, patch.department);
      const { rows } = await tx.query<AdminCategory>(
        `UPDATE categories SET
           label = coalesce($2, label),
           department_code = CASE WHEN $3::boolean THEN $4 ELSE department_code END,
           severity = coalesce($5, severity),
           sort = coalesce($6, sort),
           active = coalesce($7, active),
           updated_at = now()
         WHERE code = $1 RETURNING ${CATEGORY}`,
        [code, patch.label ?? null, patch.department !== undefined, patch.department ?? null, patch.severity ?? null, patch.sort ?? null, patch.active ?? null],
      );
      const after = rows[0];
      const action = patch.active === false && before.active ? 'category.retire' : patch.active === true && !before.active ? 'category.reactivate' : 'category.update';
      await audit(tx, ctx.session, { action, target: `category:${code}`, detail: { patch, before, after }, ip: ctx.ip });
      return after;
    });
    return { body: updated };
  });

  router.add('PUT', '/api/v1/admin/time-limits', 'editTaxonomy', {
    doc: {
      summary: '设定一行时限',
      description: '按（类别, 程度）一行，null 表示全部；已有则覆盖。时限为工作日数。',
      body: TimeLimitInput,
      responses: { 201: { description: '新增', schema: OBJECT }, 200: { description: '已覆盖', schema: OBJECT } },
      errors: { 422: '类别未知' },
    },
  }, async ({ req, session, ip }) => {
    const input = await readBody(req, TimeLimitInput);
    const { row, created } = await change(async (tx) => {
      if (input.category) {
        const { rowCount } = await tx.query(`SELECT 1 FROM categories WHERE code = $1`, [input.category]);
        if (!rowCount) throw unprocessable('body.category', 'unknown_category', `未知的类别：${input.category}`);
      }
      const before = (
        await tx.query<AdminTimeLimit>(
          `SELECT ${LIMIT} FROM time_limits WHERE category_code IS NOT DISTINCT FROM $1 AND severity IS NOT DISTINCT FROM $2 FOR UPDATE`,
          [input.category, input.severity],
        )
      ).rows[0];
      const { rows } = await tx.query<AdminTimeLimit & { inserted: boolean }>(
        `INSERT INTO time_limits (category_code, severity, accept_yellow, accept_red, handle_yellow, handle_red)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (category_code, severity) DO UPDATE SET accept_yellow = EXCLUDED.accept_yellow, accept_red = EXCLUDED.accept_red,
           handle_yellow = EXCLUDED.handle_yellow, handle_red = EXCLUDED.handle_red
         RETURNING ${LIMIT}, (xmax = 0) AS inserted`,
        [input.category, input.severity, input.acceptYellow, input.acceptRed, input.handleYellow, input.handleRed],
      );
      const { inserted, ...after } = rows[0];
      await audit(tx, session, { action: 'time_limit.put', target: `time_limit:${after.id}`, detail: { before: before ?? null, after }, ip });
      return { row: after, created: inserted };
    });
    return { status: created ? 201 : 200, body: row };
  });

  router.add('DELETE', '/api/v1/admin/time-limits/:id', 'editTaxonomy', {
    doc: { summary: '删除一行时限', params: { id: LimitId }, body: EmptyBody, response: DELETED, errors: { 404: '没有该时限', 409: '默认时限（全部类别、全部程度）不能删除，只能修改' } },
  }, async (ctx) => {
    const id = param(ctx, 'id', LimitId, '时限编号须为正整数');
    await readBody(ctx.req, EmptyBody);
    const deleted = await change(async (tx) => {
      const row = (await tx.query<AdminTimeLimit>(`SELECT ${LIMIT} FROM time_limits WHERE id = $1 FOR UPDATE`, [id])).rows[0];
      if (!row) throw notFound('params.id', `没有编号为 ${id} 的时限`);
      // Every event resolves to some row; without the default one a new category would have none.
      if (row.category === null && row.severity === null)
        throw new DomainError('conflict', 'default_row', '默认时限（全部类别、全部程度）不能删除，只能修改', [{ path: 'params.id', message: '默认时限不能删除' }]);
      await tx.query(`DELETE FROM time_limits WHERE id = $1`, [id]);
      await audit(tx, ctx.session, { action: 'time_limit.delete', target: `time_limit:${id}`, detail: { before: row }, ip: ctx.ip });
      return row;
    });
    return { body: { ok: true, deleted } };
  });

  router.add('GET', '/api/v1/admin/joint-rules', 'editTaxonomy', {
    doc: { summary: '联合处置规则', description: '各类别的事件需要到场的力量（部门代码，或 grid 表示专职网格员），按顺序。', response: { type: 'array', items: OBJECT } },
  }, async () => {
    const { rows } = await app.db.query<AdminJointRule>(
      `SELECT ${JOINT_RULE} FROM joint_rules ORDER BY (SELECT sort FROM categories WHERE code = category_code), category_code`,
    );
    return { body: rows };
  });

  router.add('PUT', '/api/v1/admin/joint-rules/:code', 'editTaxonomy', {
    doc: {
      summary: '设定一个类别的联合处置规则',
      params: { code: CategoryCode },
      body: JointRuleInput,
      responses: { 201: { description: '新增', schema: OBJECT }, 200: { description: '已覆盖', schema: OBJECT } },
      errors: { 404: '没有该类别', 422: '未知的部门' },
    },
  }, async (ctx) => {
    const code = param(ctx, 'code', CategoryCode, '类别代码无效');
    const input = await readBody(ctx.req, JointRuleInput);
    const { row, created } = await change(async (tx) => {
      const { rowCount } = await tx.query(`SELECT 1 FROM categories WHERE code = $1 FOR SHARE`, [code]);
      if (!rowCount) throw notFound('params.code', `没有类别 ${code}`);
      const { rows: known } = await tx.query<{ code: string }>(`SELECT code FROM departments WHERE code = ANY($1::text[])`, [input.forces]);
      const departments = new Set(known.map((d) => d.code));
      const unknown = input.forces.findIndex((f) => f !== GRID_FORCE && !departments.has(f));
      if (unknown >= 0) throw unprocessable(`body.forces.${unknown}`, 'unknown_department', `未知的部门：${input.forces[unknown]}`);
      const before = (await tx.query<AdminJointRule>(`SELECT ${JOINT_RULE} FROM joint_rules WHERE category_code = $1 FOR UPDATE`, [code])).rows[0];
      const { rows } = await tx.query<AdminJointRule>(
        `INSERT INTO joint_rules (category_code, forces) VALUES ($1, $2)
         ON CONFLICT (category_code) DO UPDATE SET forces = EXCLUDED.forces, updated_at = now() RETURNING ${JOINT_RULE}`,
        [code, input.forces],
      );
      await audit(tx, ctx.session, { action: 'joint_rule.update', target: `joint_rule:${code}`, detail: { before: before ?? null, after: rows[0] }, ip: ctx.ip });
      return { row: rows[0], created: !before };
    });
    return { status: created ? 201 : 200, body: row };
  });

  router.add('GET', '/api/v1/admin/holidays', 'editTaxonomy', {
    doc: {
      summary: '一年的节假日与调休',
      description: '默认今年；years 为有记录的年份加今明两年。',
      query: HolidayQuery,
      response: { type: 'object', properties: { year: { type: 'integer' }, days: { type: 'array', items: OBJECT }, years: { type: 'array', items: { type: 'integer' } } }, required: ['year', 'days', 'years'] },
    },
  }, async ({ url }) => {
    const thisYear = Number(shanghaiDay(new Date()).slice(0, 4));
    const year = readQuery(url, HolidayQuery).year ?? thisYear;
    const [days, years] = await Promise.all([
      app.db.query<Holiday>(`SELECT ${HOLIDAY} FROM holidays WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1) ORDER BY day`, [year]),
      app.db.query<{ y: number }>(`SELECT DISTINCT extract(year FROM day)::int AS y FROM holidays`),
    ]);
    const known = new Set([...years.rows.map((r) => r.y), thisYear, thisYear + 1, year]);
    const body: HolidayYear = { year, days: days.rows, years: [...known].sort((a, b) => a - b) };
    return { body };
  });

  router.add('PUT', '/api/v1/admin/holidays/:day', 'editTaxonomy', {
    doc: {
      summary: '设定一天为节假日或调休上班日',
      params: { day: Day },
      body: HolidayInput,
      responses: { 201: { description: '新增', schema: OBJECT }, 200: { description: '已覆盖', schema: OBJECT } },
      errors: { 422: '调休上班日须为周六或周日' },
    },
  }, async (ctx) => {
    const day = param(ctx, 'day', Day, '日期须为 YYYY-MM-DD');
    const input = await readBody(ctx.req, HolidayInput);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    // A make-up working day on a weekday changes nothing; a weekend holiday is kept since the published tables list them.
    if (input.kind === 'workday' && weekday !== 0 && weekday !== 6)
      throw unprocessable('body.kind', 'not_weekend', '调休上班日须为周六或周日（工作日本来就上班）');
    const { row, created } = await change(async (tx) => {
      const before = (await tx.query<Holiday>(`SELECT ${HOLIDAY} FROM holidays WHERE day = $1 FOR UPDATE`, [day])).rows[0];
      const { rows } = await tx.query<Holiday>(
        `INSERT INTO holidays (day, kind, name) VALUES ($1, $2, $3)
         ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name RETURNING ${HOLIDAY}`,
        [day, input.kind, input.name],
      );
      await audit(tx, ctx.session, { action: 'holiday.put', target: `holiday:${day}`, detail: { before: before ?? null, after: rows[0] }, ip: ctx.ip });
      return { row: rows[0], created: !before };
    });
    return { status: created ? 201 : 200, body: row };
  });

  router.add('DELETE', '/api/v1/admin/holidays/:day', 'editTaxonomy', {
    doc: { summary: '从节假日表删除一天', params: { day: Day }, body: EmptyBody, response: DELETED, errors: { 404: '该日不在节假日表中' } },
  }, async (ctx) => {
    const day = param(ctx, 'day', Day, '日期须为 YYYY-MM-DD');
    await readBody(ctx.req, EmptyBody);
    const deleted = await change(async (tx) => {
      const { rows } = await tx.query<Holiday>(`DELETE FROM holidays WHERE day = $1 RETURNING ${HOLIDAY}`, [day]);
      if (!rows[0]) throw notFound('params.day', `${day} 不在节假日表中`);
      await audit(tx, ctx.session, { action: 'holiday.delete', target: `holiday:${day}`, detail: { before: rows[0] }, ip: ctx.ip });
      return rows[0];
    });
    return { body: { ok: true, deleted } };
  });
}
