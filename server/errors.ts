import type { z } from 'zod';

/**
 * Errors of the domain and its adapters, free of HTTP (issue 11: domain code imported the HTTP
 * layer's error). Each names what went wrong; the router maps it to a status once
 * (server/http/router.ts errorAnswer).
 */
export const FAILURE_STATUS = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  too_large: 413,
  unsupported_media: 415,
  unprocessable: 422,
  too_many: 429,
  /** The public uploads' disk budget is spent (issue 14 review L6). */
  insufficient_storage: 507,
  unavailable: 503,
} as const;
export type Failure = keyof typeof FAILURE_STATUS;

export interface Issue {
  path: string;
  message: string;
}

/** A request that cannot be done as asked, with a code for programs and a message for people. */
export class DomainError extends Error {
  constructor(
    readonly failure: Failure,
    readonly code: string,
    message: string,
    /** For bad input: the fields at fault. */
    readonly issues?: Issue[],
    /** Extra response headers, e.g. Retry-After when throttled. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/**
 * A service we depend on (Redis, PostgreSQL) cannot answer now; the request did not take effect
 * and may be retried after `retryAfterS` seconds. Answered 503 with Retry-After, never 500.
 */
export class Unavailable extends DomainError {
  constructor(
    readonly service: 'redis' | 'postgres',
    message: string,
    readonly retryAfterS = 5,
  ) {
    super('unavailable', 'unavailable', message, undefined, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterS))) });
    this.name = 'Unavailable';
  }
}

export function invalid(error: z.ZodError, where = 'body'): DomainError {
  const issues = error.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message }));
  return new DomainError('invalid', 'invalid', `无效的输入：${issues.map((i) => `${i.path}: ${i.message}`).join('；')}`, issues);
}

export const unauthorized = () => new DomainError('unauthorized', 'unauthorized', '请先登录');
export const forbidden = () => new DomainError('forbidden', 'forbidden', '当前角色无权执行此操作');
