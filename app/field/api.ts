import type { z } from 'zod';
import { classify, type Outcome } from './outbox';
import { ApiError } from './schemas';

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

async function readError(res: Response): Promise<{ message: string; issues: { path: string; message: string }[] }> {
  let parsed: z.infer<typeof ApiError> = {};
  try {
    const r = ApiError.safeParse(await res.json());
    if (r.success) parsed = r.data;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const fallback = res.status >= 500 ? `服务器暂时不可用（${res.status}），稍后自动重试` : (MESSAGES[res.status] ?? `请求失败（${res.status}）`);
  return { message: parsed.message ?? fallback, issues: parsed.issues ?? [] };
}

/** One HTTP call, its outcome in the outbox's terms: ok, worth retrying, or refused. */
export async function call(
  method: 'GET' | 'POST',
  url: string,
  options: { json?: unknown; blob?: Blob; timeoutMs?: number } = {},
): Promise<Outcome> {
  const headers: Record<string, string> = {};
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.blob) {
    headers['content-type'] = options.blob.type;
    body = options.blob;
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body,
      cache: 'no-store',
      signal: AbortSignal.timeout(options.timeoutMs ?? (method === 'GET' ? GET_TIMEOUT_MS : POST_TIMEOUT_MS)),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return { kind: 'retry', status: null, message: timedOut ? '网络超时' : '网络不可用' };
  }
  const verdict = classify(res.status);
  if (verdict === 'ok') {
    let parsed: unknown = null;
    try {
      parsed = await res.json();
    } catch {
      // A body lost mid-way on a flaky link: the request went through, so only the reply is missing.
      return { kind: 'retry', status: res.status, message: '回执不完整' };
    }
    return { kind: 'ok', status: res.status, body: parsed };
  }
  const { message, issues } = await readError(res);
  return verdict === 'retry' ? { kind: 'retry', status: res.status, message } : { kind: 'fail', status: res.status, message, issues };
}

export type Loaded<T> = { ok: true; data: T } | { ok: false; message: string; status: number | null };

/** A GET whose reply is checked against `schema`. */
export async function load<T>(url: string, schema: z.ZodType<T>): Promise<Loaded<T>> {
  const out = await call('GET', url);
  if (out.kind !== 'ok') return { ok: false, message: out.message, status: out.status };
  const parsed = schema.safeParse(out.body);
  if (!parsed.success) return { ok: false, message: '服务器回复的格式不符', status: out.status };
  return { ok: true, data: parsed.data };
}
