import type { z } from 'zod';

/*
 * Every page's calls to our own API go through here, so a reply is read one way: JSON in and out,
 * the router's error body ({ error, message, issues }) turned into one typed error. What a page
 * then tells its user stays the page's own choice (the console, the phone and the desks word
 * failures differently).
 */

/** One field the server found fault with; `path` as the router writes it ('body.name'). */
export interface Issue {
  path: string;
  message: string;
}

/**
 * Why no usable answer came: no reply at all, none in time, a refusal (not 2xx), a 2xx whose body
 * is not JSON, or JSON that is not what the caller's schema expects.
 */
export type Failure = 'network' | 'timeout' | 'refused' | 'unreadable' | 'malformed';

const FALLBACK: Record<Exclude<Failure, 'refused'>, string> = {
  network: '网络错误，请稍后重试',
  timeout: '网络超时',
  unreadable: '服务器返回的内容无法识别，请稍后重试',
  malformed: '服务器回复的格式不符',
};

/*
 * Read leniently rather than by a schema: a proxy's error page or a half-formed body must still
 * yield whatever message it does carry, and the login page need not load zod for this.
 */
function readErrorBody(body: unknown): { code: string | null; said: string | null; issues: Issue[] } {
  const b = typeof body === 'object' && body !== null ? (body as { error?: unknown; message?: unknown; issues?: unknown }) : {};
  const issues = Array.isArray(b.issues)
    ? b.issues.flatMap((i: unknown) => {
        const { path, message } = (typeof i === 'object' && i !== null ? i : {}) as { path?: unknown; message?: unknown };
        return typeof message === 'string' ? [{ path: typeof path === 'string' ? path : '', message }] : [];
      })
    : [];
  return { code: typeof b.error === 'string' ? b.error : null, said: typeof b.message === 'string' ? b.message : null, issues };
}

export class HttpError extends Error {
  /** 0 when no reply came. */
  readonly status: number;
  readonly reason: Failure;
  /** The router's machine-readable `error` ('locked', 'invalid_transition'), if any. */
  readonly code: string | null;
  /** The server's own sentence; `message` falls back to a plain one when it sent none. */
  readonly said: string | null;
  readonly issues: readonly Issue[];

  /** `what` names the attempt in the fallback sentence of a refusal: '登录' gives '登录失败（502）'. */
  constructor(status: number, body: unknown, reason: Failure = 'refused', what = '请求') {
    const { code, said, issues } = readErrorBody(body);
    super(said ?? (reason === 'refused' ? `${what}失败（${status}）` : FALLBACK[reason]));
    this.name = 'HttpError';
    this.status = status;
    this.reason = reason;
    this.code = code;
    this.said = said;
    this.issues = issues;
  }
}

export interface CallOptions<T> {
  /** Aborting rejects with the abort itself, not an HttpError: the caller asked for it. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Lets the request outlive the page (an unlock sent while the tab closes). */
  keepalive?: boolean;
  /** Checks a 2xx body; a mismatch is an HttpError with reason 'malformed'. */
  schema?: z.ZodType<T>;
  /** See HttpError. */
  what?: string;
}

export interface Reply<T> {
  status: number;
  body: T;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A JSON body, or a file sent as it is under `type` (its own type when not given). */
export type Payload = { json: unknown } | { blob: Blob; type?: string } | null;

function withDeadline(signal: AbortSignal | undefined, timeoutMs: number | undefined): AbortSignal | undefined {
  if (timeoutMs === undefined) return signal;
  const timeout = AbortSignal.timeout(timeoutMs);
  if (!signal) return timeout;
  if (signal.aborted) return signal;
  // AbortSignal.any is too new for the browsers some offices still run.
  const both = new AbortController();
  for (const s of [signal, timeout]) s.addEventListener('abort', () => both.abort(s.reason), { once: true });
  return both.signal;
}

async function exchange(
  method: Method,
  url: string,
  payload: Payload,
  options: CallOptions<unknown>,
  read: 'json' | 'text',
  onSignedOut: (() => void) | undefined,
): Promise<Reply<unknown>> {
  const headers: Record<string, string> = {};
  let body: BodyInit | undefined;
  if (payload && 'json' in payload) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(payload.json);
  } else if (payload) {
    headers['content-type'] = payload.type ?? payload.blob.type;
    body = payload.blob;
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body,
      cache: 'no-store',
      credentials: 'same-origin',
      keepalive: options.keepalive,
      signal: withDeadline(options.signal, options.timeoutMs),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new HttpError(0, null, error instanceof DOMException && error.name === 'TimeoutError' ? 'timeout' : 'network');
  }
  let data: unknown = null;
  let readable = true;
  try {
    data = read === 'json' ? await res.json() : await res.text();
  } catch (error) {
    // Aborted while the body streamed in: the caller no longer wants it, same as an abort before.
    if (options.signal?.aborted) throw error;
    readable = false;
  }
  if (!res.ok) {
    if (res.status === 401) onSignedOut?.();
    throw new HttpError(res.status, read === 'json' ? data : parseOrNull(data), 'refused', options.what);
  }
  if (!readable) throw new HttpError(res.status, null, 'unreadable');
  if (options.schema) {
    const parsed = options.schema.safeParse(data);
    if (!parsed.success) throw new HttpError(res.status, null, 'malformed');
    data = parsed.data;
  }
  return { status: res.status, body: data };
}

function parseOrNull(text: unknown): unknown {
  try {
    return typeof text === 'string' ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

export interface Client {
  /** The call in full, status included: for callers that keep the status of a success too. */
  send<T = unknown>(method: Method, url: string, payload: Payload, options?: CallOptions<T>): Promise<Reply<T>>;
  get<T = unknown>(url: string, options?: CallOptions<T>): Promise<T>;
  /** The body as text, unparsed: for a feed that compares payloads before parsing them. */
  text(url: string, options?: Omit<CallOptions<string>, 'schema'>): Promise<string>;
  // The router takes every change as JSON, DELETE included, so changes always send a body.
  post<T = unknown>(url: string, body?: unknown, options?: CallOptions<T>): Promise<T>;
  put<T = unknown>(url: string, body?: unknown, options?: CallOptions<T>): Promise<T>;
  patch<T = unknown>(url: string, body?: unknown, options?: CallOptions<T>): Promise<T>;
  delete<T = unknown>(url: string, body?: unknown, options?: CallOptions<T>): Promise<T>;
  upload<T = unknown>(url: string, blob: Blob, options?: CallOptions<T> & { type?: string }): Promise<T>;
}

/**
 * `onSignedOut` runs on any 401 before the error is thrown: the desks reload so their page guard
 * sends the user to log in and back; the other pages word a lapsed session themselves.
 */
export function client(onSignedOut?: () => void): Client {
  // The schema, when given, is what makes the reply a T; without one the caller's T is taken on trust.
  const send = <T>(method: Method, url: string, payload: Payload, options: CallOptions<T> = {}) =>
    exchange(method, url, payload, options as CallOptions<unknown>, 'json', onSignedOut) as Promise<Reply<T>>;
  const change =
    (method: Method) =>
    <T>(url: string, body: unknown = {}, options?: CallOptions<T>) =>
      send<T>(method, url, { json: body }, options).then((r) => r.body);
  return {
    send,
    get: (url, options) => send('GET', url, null, options).then((r) => r.body),
    text: (url, options = {}) => exchange('GET', url, null, options, 'text', onSignedOut).then((r) => r.body as string),
    post: change('POST'),
    put: change('PUT'),
    patch: change('PATCH'),
    delete: change('DELETE'),
    upload: (url, blob, { type, ...options } = {}) => send('POST', url, { blob, type }, options).then((r) => r.body),
  };
}

/** For pages that handle a lapsed session in their own words. */
export const http = client();
