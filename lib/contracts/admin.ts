import { z } from 'zod';
import { CategoryCode, DepartmentCode } from './events';
import { IncidentSeverity } from './live';

/*
 * What the administrator edits (issue 4: taxonomy, time limits and holidays are data). The
 * server validates with these schemas and the /admin page reads their messages next to the field.
 */

const Label = z.string().trim().min(1, '名称不能为空').max(50, '名称最多 50 个字');
const Sort = z.number({ error: '排序须为整数' }).int('排序须为整数').min(-1_000_000, '排序超出范围').max(1_000_000, '排序超出范围');
/** The `categories` table's check, said in the administrator's words. */
const NewCode = z
  .string()
  .max(64, '代码最多 64 个字符')
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)?$/, '代码只能用小写字母、数字和下划线，子类为“大类.子类”，如 hazard.fire');

/** POST /api/v1/admin/categories. A sub-category's code is '<parent>.<code>' (the table checks it too). */
export const CategoryCreate = z
  .object({
    code: NewCode,
    parentCode: CategoryCode.nullish(),
    label: Label,
    /** A departments.code; null or absent: the station coordinates it. */
    department: DepartmentCode.nullish(),
    severity: IncidentSeverity,
    sort: Sort.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.parentCode) {
      if (c.parentCode.includes('.'))
        ctx.addIssue({ code: 'custom', path: ['parentCode'], message: '子类下不能再建子类' });
      else if (!c.code.startsWith(`${c.parentCode}.`))
        ctx.addIssue({ code: 'custom', path: ['code'], message: `子类代码须以 "${c.parentCode}." 开头` });
    } else if (c.code.includes('.')) {
      ctx.addIssue({ code: 'custom', path: ['code'], message: '大类代码不能含 "."；子类请选择上级类别' });
    }
  });
export type CategoryCreate = z.infer<typeof CategoryCreate>;

/** PATCH /api/v1/admin/categories/:code. Categories are never deleted (events name them): retire with active=false. */
export const CategoryPatch = z
  .object({
    label: Label,
    department: DepartmentCode.nullable(),
    severity: IncidentSeverity,
    sort: Sort,
    active: z.boolean(),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: '没有要修改的字段' });
export type CategoryPatch = z.infer<typeof CategoryPatch>;

/** The limits are working days; 60 is about a quarter, beyond any limit a grid system sets. */
const Days = z.number({ error: '须为天数' }).int('须为整数').min(0, '不能小于 0').max(60, '不能超过 60 个工作日');

/** PUT /api/v1/admin/time-limits: one row per (category, severity); null means "all". */
export const TimeLimitInput = z
  .object({
    category: CategoryCode.nullable().default(null),
    severity: IncidentSeverity.nullable().default(null),
    acceptYellow: Days,
    acceptRed: Days,
    handleYellow: Days,
    handleRed: Days,
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.acceptRed < t.acceptYellow) ctx.addIssue({ code: 'custom', path: ['acceptRed'], message: '红牌时限不能短于黄牌时限' });
    if (t.handleRed < t.handleYellow) ctx.addIssue({ code: 'custom', path: ['handleRed'], message: '红牌时限不能短于黄牌时限' });
  });
export type TimeLimitInput = z.infer<typeof TimeLimitInput>;

export const HOLIDAY_KIND_LABEL = { holiday: '放假', workday: '调休上班' } as const;
export const HolidayKind = z.enum(['holiday', 'workday']);
export type HolidayKind = z.infer<typeof HolidayKind>;

/** A calendar day, 'YYYY-MM-DD', that exists (no 02-30). */
export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式须为 YYYY-MM-DD')
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
  }, '不存在的日期');

/** PUT /api/v1/admin/holidays/:day. */
export const HolidayInput = z
  .object({
    kind: HolidayKind,
    name: z.string().trim().min(1, '请填写名称，如“春节”').max(30, '名称最多 30 个字'),
  })
  .strict();
export type HolidayInput = z.infer<typeof HolidayInput>;

export const HolidayQuery = z.object({
  year: z.coerce.number({ error: '年份须为数字' }).int('年份须为整数').min(2000, '年份须在 2000–2100 之间').max(2100, '年份须在 2000–2100 之间').optional(),
});

/** DELETE carries `{}`: the router takes mutating requests as JSON only. */
export const EmptyBody = z.object({}).strict();

export interface AdminCategory {
  code: string;
  parentCode: string | null;
  label: string;
  department: string | null;
  severity: IncidentSeverity;
  sort: number;
  active: boolean;
  updatedAt: string;
}

export interface AdminTimeLimit {
  id: number;
  category: string | null;
  severity: IncidentSeverity | null;
  acceptYellow: number;
  acceptRed: number;
  handleYellow: number;
  handleRed: number;
}

/** GET /api/v1/admin/taxonomy. */
export interface AdminTaxonomy {
  categories: AdminCategory[];
  limits: AdminTimeLimit[];
  departments: { code: string; name: string }[];
}

export interface Holiday {
  day: string;
  kind: HolidayKind;
  name: string;
}

/** GET /api/v1/admin/holidays?year=. `years`: years with rows, plus this one and the next. */
export interface HolidayYear {
  year: number;
  days: Holiday[];
  years: number[];
}

/** GET /api/v1/admin/joint-rules: one category's joint-handling rule (issue 5). */
export interface AdminJointRule {
  category: string;
  /** Department codes, or 'grid' for the full-time gridders (lib/command/joint). */
  forces: string[];
  updatedAt: string;
}
