/** The admin API as the page calls it: failures carry the server's field issues to show beside each field. */

export interface Issue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  // The router takes every change as JSON, DELETE included, so changes always send a body.
  const init: RequestInit =
    method === 'GET'
      ? { cache: 'no-store' }
      : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) };
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, '网络错误，请稍后重试');
  }
  const data = (await res.json().catch(() => null)) as (T & { message?: string; issues?: Issue[] }) | null;
  if (!res.ok) {
    // The session lapsed: reloading lets the page guard send the user to log in and back here.
    if (res.status === 401) window.location.reload();
    throw new ApiError(res.status, data?.message ?? `请求失败（${res.status}）`, data?.issues ?? []);
  }
  return data as T;
}

/** What a failed change shows: each field's message beside it, and the rest in one line. */
export interface FormErrors {
  fields: Record<string, string>;
  message: string;
}

export const NO_ERRORS: FormErrors = { fields: {}, message: '' };

/**
 * Issue paths such as 'body.acceptRed' or 'params.day' become field names ('acceptRed', 'day');
 * `shown` names the fields the form displays, so an issue about any other still reaches the user.
 */
export function formErrors(err: unknown, shown: readonly string[]): FormErrors {
  if (!(err instanceof ApiError)) return { fields: {}, message: err instanceof Error ? err.message : String(err) };
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const i of err.issues) {
    const name = i.path.split('.').slice(1).join('.');
    if (shown.includes(name)) fields[name] ??= i.message;
    else rest.push(i.message);
  }
  const message = err.issues.length === 0 ? err.message : rest.length > 0 ? rest.join('；') : err.status === 400 ? '请检查标出的字段' : '';
  return { fields, message };
}
