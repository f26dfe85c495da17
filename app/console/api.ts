/*
 * The console's calls to our own API. Every failure becomes one Chinese sentence the drawer can
 * show inline: the server's own message when it sent one (409 locked / invalid_transition, 422
 * issues), else a plain description of what went wrong.
 */

export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; code: string | null; message: string };

interface ErrorBody {
  error?: unknown;
  message?: unknown;
  issues?: { path?: unknown; message?: unknown }[];
}

const STATUS_MESSAGE: Record<number, string> = {
  400: '提交的内容有误，请检查后重试',
  401: '登录已过期，请重新登录',
  403: '您没有权限执行此操作',
  404: '事件不存在',
  409: '事件状态已变化，请刷新后重试',
  422: '填写内容有误',
};

/** The server says 'invalid_transition' in English for the log; users get the reason in words. */
const CODE_MESSAGE: Record<string, string> = {
  invalid_transition: '事件已被他人处理或状态已变化，当前不能执行此操作',
};

export function errorMessage(status: number, body: unknown): { code: string | null; message: string } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as ErrorBody;
  const code = typeof b.error === 'string' ? b.error : null;
  const candidates = [...(Array.isArray(b.issues) ? b.issues.map((i) => i?.message) : []), b.message];
  const chinese = candidates.find((m): m is string => typeof m === 'string' && /[\u4e00-\u9fff]/.test(m)) ?? null;
  const message = chinese ?? (code && CODE_MESSAGE[code]) ?? STATUS_MESSAGE[status] ?? (status === 0 ? '网络连接失败，请稍后重试' : `服务器错误（${status}）`);
  return { code, message };
}

async function call<T>(url: string, init: RequestInit): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, { cache: 'no-store', ...init });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    return { ok: false, status: 0, ...errorMessage(0, null) };
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch (error) {
    // Aborted while the body streamed in: the caller no longer wants it, same as an abort before.
    if (init.signal?.aborted) throw error;
  }
  if (res.ok && body === null) return { ok: false, status: res.status, code: null, message: '服务器返回的内容无法识别，请稍后重试' };
  if (res.ok) return { ok: true, status: res.status, body: body as T };
  return { ok: false, status: res.status, ...errorMessage(res.status, body) };
}

export function getJson<T>(url: string, signal?: AbortSignal): Promise<ApiResult<T>> {
  return call<T>(url, { signal });
}

/** Every POST of ours is JSON: the router refuses other bodies. `keepalive` outlives the page. */
export function postJson<T>(url: string, body: unknown, options: { keepalive?: boolean; signal?: AbortSignal } = {}): Promise<ApiResult<T>> {
  return call<T>(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    keepalive: options.keepalive,
    signal: options.signal,
  });
}
