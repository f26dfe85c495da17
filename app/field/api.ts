import type { z } from 'zod';
import { http, HttpError } from '@/app/http';
import { classify, type Outcome } from './outbox';

/* A hung request on a weak cell is worse than a failed one: it never lets the retry start. */
const GET_TIMEOUT_MS = 15_000;
const POST_TIMEOUT_MS = 30_000;
export const UPLOAD_TIMEOUT_MS = 120_000;

const MESSAGES: Record<number, string> = {
  401: '登录已过期，请重新登录',
  403: '当前角色无权执行此操作',
  404: '未找到',
  409: '状态已变化，请刷新后重试',
  413: '文件过大',
  415: '不支持的文件类型',
  429: '请求过于频繁，稍后自动重试',
};

/** A failed call in the outbox's terms: worth retrying, or refused for good. */
function outcomeOf(error: unknown): Exclude<Outcome, { kind: 'ok' }> {
  // The phone passes no abort signal, so anything else is a fault of ours: let it surface.
  if (!(error instanceof HttpError)) throw error;
  switch (error.reason) {
    case 'network':
      return { kind: 'retry', status: null, message: '网络不可用' };
    case 'timeout':
      return { kind: 'retry', status: null, message: '网络超时' };
    case 'unreadable':
      // A body lost mid-way on a flaky link: the request went through, so only the reply is missing.
      return { kind: 'retry', status: error.status, message: '回执不完整' };
    case 'malformed':
      return { kind: 'fail', status: error.status, message: error.message, issues: [] };
    case 'refused': {
      const { status } = error;
      const message = error.said ?? (status >= 500 ? `服务器暂时不可用（${status}），稍后自动重试` : (MESSAGES[status] ?? `请求失败（${status}）`));
      return classify(status) === 'retry' ? { kind: 'retry', status, message } : { kind: 'fail', status, message, issues: [...error.issues] };
    }
  }
}

/** One HTTP call, its outcome in the outbox's terms: ok, worth retrying, or refused. */
export async function call(
  method: 'GET' | 'POST',
  url: string,
  options: { json?: unknown; blob?: Blob; timeoutMs?: number } = {},
): Promise<Outcome> {
  const payload = options.json !== undefined ? { json: options.json } : options.blob ? { blob: options.blob } : null;
  try {
    const { status, body } = await http.send(method, url, payload, { timeoutMs: options.timeoutMs ?? (method === 'GET' ? GET_TIMEOUT_MS : POST_TIMEOUT_MS) });
    return { kind: 'ok', status, body };
  } catch (error) {
    return outcomeOf(error);
  }
}

export type Loaded<T> = { ok: true; data: T } | { ok: false; message: string; status: number | null };

/** A GET whose reply is checked against `schema`. */
export async function load<T>(url: string, schema: z.ZodType<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, data: await http.get(url, { schema, timeoutMs: GET_TIMEOUT_MS }) };
  } catch (error) {
    const { message, status } = outcomeOf(error);
    return { ok: false, message, status };
  }
}
