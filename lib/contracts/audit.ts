import { z } from 'zod';
import { ROLE_LABEL, Role } from '../roles';

/*
 * The audit log as its readers see it (issue 10: the administrator and the district roles).
 * The /audit page builds its query with these names and the server validates with the schema.
 */

/** The page leaves a box empty rather than dropping the parameter; empty means "any". */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const Instant = z.iso.datetime({ offset: true, error: '须为 ISO 8601 时间，如 2025-01-31T08:00:00+08:00' });
const Id = z.coerce.number({ error: '须为正整数' }).int('须为正整数').positive('须为正整数').max(Number.MAX_SAFE_INTEGER, '超出范围');

export const MAX_AUDIT_PAGE = 500;
/** An export holds at most this many rows, newest first; the sheet says when it was cut. */
export const MAX_AUDIT_EXPORT = 200_000;

/** GET /api/v1/audit and /api/v1/audit/export.xlsx. */
export const AuditQuery = z
  .object({
    /** An account id, or part of a username or display name. */
    person: optional(z.string().trim().max(64, '最多 64 个字符')),
    /** An object kind (`event`) or one object (`event:123`). */
    entity: optional(
      z
        .string()
        .trim()
        .max(200, '最多 200 个字符')
        .regex(/^[a-z_]+(:\S+)?$/, '须为对象类型（如 event）或对象（如 event:123）'),
    ),
    /** One action (`event.unlock`) or, ending in a dot, a family of them (`event.`). */
    action: optional(z.string().trim().max(64, '最多 64 个字符').regex(/^[a-z_.]+$/, '须为操作代码，如 auth.login 或 event.')),
    from: optional(Instant),
    to: optional(Instant),
    /** Keyset paging: rows with a smaller id than this (the previous page's `nextBefore`). */
    before: optional(Id),
    limit: optional(z.coerce.number({ error: '须为整数' }).int('须为整数').min(1, '至少 1').max(MAX_AUDIT_PAGE, `最多 ${MAX_AUDIT_PAGE}`)),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from && q.to && Date.parse(q.from) >= Date.parse(q.to))
      ctx.addIssue({ code: 'custom', path: ['to'], message: '结束时间须晚于开始时间' });
  });
export type AuditQuery = z.infer<typeof AuditQuery>;

export interface AuditRow {
  id: number;
  /** ISO 8601 UTC. */
  at: string;
  accountId: number | null;
  username: string | null;
  /** The account's display name; null for wall screens, API keys and failed logins. */
  name: string | null;
  /** A role code (lib/roles) as it was when the entry was written. */
  role: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
}

export interface AuditPage {
  rows: AuditRow[];
  /** Pass as `before` for the next (older) page; null when this was the last. */
  nextBefore: number | null;
}

/** GET /api/v1/audit/actions: every action the log holds, for the filter. */
export interface AuditActions {
  actions: string[];
}

/** The role column in words; entries written by the server's own jobs carry 'system'. */
export function auditRoleLabel(role: string | null): string | null {
  if (role === null) return null;
  if (role === 'system') return '系统';
  const known = Role.safeParse(role);
  return known.success ? ROLE_LABEL[known.data] : role;
}
