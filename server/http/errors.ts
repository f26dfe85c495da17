import type { z } from 'zod';

/** An error the client caused, with its HTTP status and, for bad input, the fields at fault. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
    /** Extra response headers, e.g. Retry-After on 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export function invalid(error: z.ZodError, where = 'body'): HttpError {
  const issues = error.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message }));
  return new HttpError(400, 'invalid', `无效的输入：${issues.map((i) => `${i.path}: ${i.message}`).join('；')}`, issues);
}

export const unauthorized = () => new HttpError(401, 'unauthorized', '请先登录');
export const forbidden = () => new HttpError(403, 'forbidden', '当前角色无权执行此操作');
