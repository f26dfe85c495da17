import { http, HttpError, type Reply } from '@/app/http';

/*
 * The console's calls to our own API, settled into one Chinese sentence the drawer can show
 * inline: the server's own message when it sent one (409 locked / invalid_transition, 422
 * issues), else a plain description of what went wrong.
 */

export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; code: string | null; message: string };

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

const UNREADABLE = '服务器返回的内容无法识别，请稍后重试';

export function errorMessage(error: HttpError): { code: string | null; message: string } {
  const { code, status } = error;
  const candidates = [...error.issues.map((i) => i.message), error.said];
  const chinese = candidates.find((m): m is string => typeof m === 'string' && /[\u4e00-\u9fff]/.test(m)) ?? null;
  const message = chinese ?? (code && CODE_MESSAGE[code]) ?? STATUS_MESSAGE[status] ?? (status === 0 ? '网络连接失败，请稍后重试' : `服务器错误（${status}）`);
  return { code, message };
}

async function settle<T>(sent: Promise<Reply<T>>): Promise<ApiResult<T>> {
  try {
    const { status, body } = await sent;
    if (body === null) return { ok: false, status, code: null, message: UNREADABLE };
    return { ok: true, status, body };
  } catch (error) {
    // Anything but an HttpError is the caller's own abort: it no longer wants an answer.
    if (!(error instanceof HttpError)) throw error;
    if (error.reason === 'unreadable') return { ok: false, status: error.status, code: null, message: UNREADABLE };
    return { ok: false, status: error.status, ...errorMessage(error) };
  }
}

export function getJson<T>(url: string, signal?: AbortSignal): Promise<ApiResult<T>> {
  return settle(http.send<T>('GET', url, null, { signal }));
}

/** `keepalive` outlives the page. */
export function postJson<T>(url: string, body: unknown, options: { keepalive?: boolean; signal?: AbortSignal } = {}): Promise<ApiResult<T>> {
  return settle(http.send<T>('POST', url, { json: body }, options));
}
