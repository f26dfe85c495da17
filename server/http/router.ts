import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { can, type Permission } from '@/lib/roles';
import type { Session } from '../auth/session';
import { DomainError, FAILURE_STATUS, forbidden, invalid, unauthorized, Unavailable } from '../errors';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  session: Session | null;
  ip: string;
}

/** What a route returns: a JSON body (status 200 unless given) or nothing when it wrote the response itself. */
export type Reply = { status?: number; body: unknown; headers?: Record<string, string> } | void;

/** `public`: anyone; `session`: any logged-in user or wall screen; a permission: roles that hold it. */
export type Access = 'public' | 'session' | Permission;

/** What a mutating route reads: a JSON document (the default), a CSV file or one image. */
export type BodyKind = 'json' | 'csv' | 'image' | 'sheet' | 'tracker' | 'form';

/** A JSON Schema (2020-12, OpenAPI 3.1's dialect), for what has no zod schema. */
export type JsonSchema = { [key: string]: unknown };
/** A zod schema the route validates with (converted for the document), or a JSON Schema. */
export type SchemaLike = z.ZodType | JsonSchema;

export interface ResponseDoc {
  description: string;
  /** The answer's schema; absent for an answer without a body. */
  schema?: SchemaLike;
  /** Media types of a non-JSON answer (GeoJSON, a workbook, an image); default application/json. */
  types?: readonly string[];
  headers?: Record<string, { description: string; schema?: JsonSchema }>;
}

/**
 * What the OpenAPI document says of a route (server/http/openapi.ts). The schemas are the ones
 * the route validates with, so the document cannot drift from the checks.
 */
export interface RouteDoc {
  /** One line, in Chinese. */
  summary: string;
  description?: string;
  /** Default: the group named by the path (server/http/openapi.ts TAGS). */
  tags?: string[];
  operationId?: string;
  /** A JSON body's schema, as given to readBody; other kinds are described by their media types. */
  body?: SchemaLike;
  /** A body as a client would send it (a CSV, say). */
  example?: unknown;
  /** The query's schema, as given to readQuery (an object). */
  query?: z.ZodType;
  /** Path parameters that are not positive integer ids (the default for :id, :rid, :task). */
  params?: Record<string, SchemaLike>;
  /** Shorthand for a 200 JSON answer. */
  response?: SchemaLike;
  /** Success answers by status, when not just a 200 JSON one. */
  responses?: Record<number, ResponseDoc>;
  /** Error answers of this route beyond those its access and body kind imply, or said better. */
  errors?: Record<number, string>;
  /** A `public` route that authenticates itself: the schemes it takes. */
  auth?: readonly ('apiKey' | 'deviceToken' | 'metricsToken' | 'session')[];
}

export interface RouteOptions {
  body?: BodyKind;
  doc?: RouteDoc;
  /**
   * The route's own error body, for a protocol that prescribes one (Open311's `[{code, description}]`
   * or `<errors>`): the status and headers stay the router's (errorAnswer), only the body is written
   * this way. Also used for a wrong method on the route's path.
   */
  errorBody?: ErrorBody;
}

/** Renders an error answer in a route's own format. */
export type ErrorBody = (answer: ErrorAnswer, ctx: Omit<Ctx, 'params'>) => { type: string; text: string };

/** A route as registered: what the access matrix, the OpenAPI document and the fuzzer enumerate. */
export interface RouteInfo {
  method: string;
  path: string;
  access: Access;
  body: BodyKind;
  doc?: RouteDoc;
}

export type Handler = (ctx: Ctx) => Promise<Reply>;

/**
 * The media types each body kind accepts. None of them is one a cross-site HTML form can send
 * (form posts are limited to the CORS-safelisted urlencoded, multipart and text/plain), and
 * fetch with any of them needs a CORS preflight we never grant, so each also stops CSRF.
 */
export const BODY_TYPES: Record<BodyKind, readonly string[]> = {
  json: ['application/json'],
  csv: ['text/csv'],
  image: ['image/jpeg', 'image/png', 'image/webp'],
  /** A bulk import: an xlsx workbook or a UTF-8 CSV. */
  sheet: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
  /**
   * GPS trackers speaking OsmAnd (issue 12): a form body, or Traccar Client's JSON; Traccar Client
   * for Android posts its query string with no body and no Content-Type, also let through. A form
   * is what CSRF sends, but these routes take a device token, never the session cookie.
   */
  tracker: ['application/x-www-form-urlencoded', 'application/json'],
  /**
   * Open311 GeoReport v2's POST (issue 14): a form, as its specification prescribes. A form is what
   * CSRF sends, but these routes authenticate by the api_key field alone and never read the session
   * cookie, so a cross-site post carries nothing of the visitor's.
   */
  form: ['application/x-www-form-urlencoded'],
};

interface Route extends RouteInfo {
  pattern: RegExp;
  keys: string[];
  handler: Handler;
  errorBody?: ErrorBody;
}

/** A route's path as a pattern: `:name` is one segment (or, before a literal, the part of it up to that), the rest is literal. */
function patternOf(path: string, keys: string[]): RegExp {
  const parts = path.split(/(:\w+)/);
  const source = parts.map((part) => (part.startsWith(':') ? (keys.push(part.slice(1)), '([^/]+)') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`);
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class Router {
  private routes: Route[] = [];

  add(method: string, path: string, access: Access, handler: Handler): this;
  add(method: string, path: string, access: Access, options: RouteOptions, handler: Handler): this;
  add(method: string, path: string, access: Access, a: Handler | RouteOptions, b?: Handler): this {
    const [options, handler] = typeof a === 'function' ? [{}, a] : [a, b];
    if (!handler) throw new Error(`${method} ${path}: no handler`);
    const keys: string[] = [];
    // Literal dots are escaped: `/open311/v2/services.:format` must not match `/open311/v2/servicesXjson`.
    const pattern = patternOf(path, keys);
    // A mutating route open to everyone is a mistake unless it is deliberately public (login).
    if (MUTATING.has(method) && access === 'session') throw new Error(`${method} ${path}: mutating routes name a permission`);
    this.routes.push({ method, path, pattern, keys, access, body: options.body ?? 'json', doc: options.doc, handler, errorBody: options.errorBody });
    return this;
  }

  /** Every route as registered, in order: the access matrix, the OpenAPI document and the fuzzer go through them all. */
  list(): RouteInfo[] {
    return this.routes.map(({ method, path, access, body, doc }) => ({ method, path, access, body, doc }));
  }

  /** Whether a request for this method and concrete path would reach a route (the OpenAPI test asks). */
  has(method: string, pathname: string): boolean {
    return this.routes.some((r) => r.method === method && r.pattern.test(pathname));
  }

  /** Handles the request when a route matches its path; returns false to let the caller go on. */
  async handle(ctx: Omit<Ctx, 'params'>): Promise<boolean> {
    const byPath = this.routes.filter((r) => r.pattern.test(ctx.url.pathname));
    if (byPath.length === 0) return false;
    const route = byPath.find((r) => r.method === ctx.req.method);
    try {
      if (!route) throw new DomainError('method_not_allowed', 'method_not_allowed', `不支持的方法 ${ctx.req.method}`, undefined, { allow: byPath.map((r) => r.method).join(', ') });
      const m = route.pattern.exec(ctx.url.pathname)!;
      const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeParam(k, m[i + 1])]));
      checkAccess(route.access, ctx.session);
      if (MUTATING.has(route.method)) checkMediaType(route.body, ctx.req);
      const reply = await route.handler({ ...ctx, params });
      if (reply) send(ctx.res, reply.status ?? 200, reply.body, reply.headers);
    } catch (err) {
      answerError(ctx, err, (route ?? byPath[0]).errorBody);
    }
    return true;
  }
}

/** A PostgreSQL error of this SQLSTATE (node-postgres puts it in `code`). */
function isPgError(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

/**
 * The database cannot be reached, or dropped us: socket errors, SQLSTATE class 08 (connection
 * exception) and 57P01–57P03 (shut down, crashed, starting up), and node-postgres' own messages
 * for a pool or client that never got a connection or lost it.
 */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const CONNECTION_MESSAGES = new Set([
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
  'Connection terminated unexpectedly',
  'Connection terminated',
]);

export function isConnectionFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return (typeof code === 'string' && CONNECTION_CODES.has(code)) || CONNECTION_MESSAGES.has(err.message);
}

/** Seconds a client waits before retrying when the database is out of reach: about a restart or a failover. */
const DATABASE_RETRY_S = 5;

/** What the client is told of an error, and how loudly we log it. */
export interface ErrorAnswer {
  status: number;
  body: { error: string; message: string; issues?: { path: string; message: string }[] };
  headers?: Record<string, string>;
  log: 'none' | 'warn' | 'error';
}

/**
 * The one mapping from an error to an answer. Only a fault of ours is a 500: the client's
 * mistakes are 4xx, and a service we depend on being out of reach is a 503 the client may retry.
 */
export function errorAnswer(err: unknown): ErrorAnswer {
  if (err instanceof Unavailable) {
    const retry = Math.max(1, Math.ceil(err.retryAfterS));
    return { status: 503, body: { error: 'unavailable', message: `服务暂时不可用，请 ${retry} 秒后重试` }, headers: { 'retry-after': String(retry) }, log: 'warn' };
  }
  // The domain's errors, each to its status (server/errors.ts FAILURE_STATUS): the one place they meet HTTP.
  if (err instanceof DomainError) {
    return { status: FAILURE_STATUS[err.failure], body: { error: err.code, message: err.message, issues: err.issues }, headers: err.headers, log: 'none' };
  }
  if (isConnectionFailure(err)) {
    return {
      status: 503,
      body: { error: 'unavailable', message: `数据库暂时无法连接，请 ${DATABASE_RETRY_S} 秒后重试` },
      headers: { 'retry-after': String(DATABASE_RETRY_S) },
      log: 'warn',
    };
  }
  // Two requests raced past our own check for a duplicate: the database's unique index decided.
  if (isPgError(err, '23505')) return { status: 409, body: { error: 'duplicate', message: '与已有记录重复（编码、用户名等须唯一）' }, log: 'warn' };
  // Data the database cannot hold that our checks let through: the client's input, so a 400, logged
  // so the missing check is seen (zod's ISO formats take year 0000 and a +23:59 offset, which
  // PostgreSQL refuses; a NUL may come in an imported cell).
  if (isPgError(err, '22003')) return { status: 400, body: { error: 'invalid', message: '数值超出范围' }, log: 'warn' };
  if (['22007', '22008', '22009'].some((code) => isPgError(err, code))) return { status: 400, body: { error: 'invalid', message: '日期、时间或时区无效或超出范围' }, log: 'warn' };
  if (isPgError(err, '22021') || isPgError(err, '22P05')) return { status: 400, body: { error: 'invalid', message: '含有无法保存的字符（如 NUL）' }, log: 'warn' };
  return { status: 500, body: { error: 'internal', message: '服务器内部错误' }, log: 'error' };
}

function answerError(ctx: Omit<Ctx, 'params'>, err: unknown, errorBody?: ErrorBody): void {
  const answer = errorAnswer(err);
  const where = `${ctx.req.method} ${ctx.url.pathname}`;
  // Logged, so a missing check of ours (a unique violation, a number out of range) shows up as more than a client's 4xx.
  if (answer.log === 'error') console.error(`[http] ${where}:`, err);
  else if (answer.log === 'warn') {
    const detail = isPgError(err, '23505') ? `unique violation on ${(err as { constraint?: string }).constraint ?? '?'}` : (err as Error).message;
    console.warn(`[http] ${where}: ${answer.status} ${detail}`);
  }
  // The answer has begun (a streamed download): all that is left is to break it, so it is not taken as whole.
  if (ctx.res.headersSent) return void ctx.res.destroy();
  const body = errorBody ? errorBody(answer, ctx) : { type: 'application/json; charset=utf-8', text: JSON.stringify(answer.body) };
  if (answer.status === 413) return refuseRest(ctx.req, ctx.res, answer, body, err instanceof TooLarge ? err.maxBytes : MAX_BODY);
  sendText(ctx.res, answer.status, body.type, body.text, answer.headers);
}

/** A malformed escape such as %E0 is the client's mistake, not a server error. */
function decodeParam(key: string, raw: string): string {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    throw new DomainError('invalid', 'invalid', `路径参数 ${key} 的编码无效`, [{ path: `params.${key}`, message: '百分号编码无效' }]);
  }
  if (value.includes('\u0000')) throw hasNul(`params.${key}`);
  return value;
}

/**
 * PostgreSQL stores no NUL character in text or jsonb, nor (in jsonb, where our audit details go)
 * half of a surrogate pair, which JSON's \\u escapes can carry though no UTF-8 can; it refuses a
 * statement with either with an error that would be ours (500, issue 11 fuzzing). No input of
 * ours can need one, so they are refused at the door: in a path parameter, a query parameter, any
 * string or key of a JSON body.
 */
function unstorable(where: string, what: 'nul' | 'surrogate' = 'nul'): DomainError {
  // A path half a million levels deep would make the answer a megabyte.
  const path = where.length > 200 ? `${where.slice(0, 200)}…` : where;
  const message = what === 'nul' ? '不能含有 NUL 字符（\\u0000）' : '含有不成对的代理项（\\ud800–\\udfff），不是有效的 Unicode 文本';
  return new DomainError('invalid', 'invalid', `${path}：${message}`, [{ path, message }]);
}

const hasNul = (where: string) => unstorable(where, 'nul');
/** A surrogate half without its other half (a regex without the u flag sees code units). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const badText = (s: string): 'nul' | 'surrogate' | null => (s.includes('\u0000') ? 'nul' : LONE_SURROGATE.test(s) ? 'surrogate' : null);

/**
 * Where in a parsed JSON document a string or key cannot be stored, or null. Iterative, with
 * paths built only for the hit: a 1 MB body can nest half a million levels deep.
 */
function unstorableIn(root: unknown): { path: string; what: 'nul' | 'surrogate' } | null {
  const nodes: { value: unknown; parent: number; key: string }[] = [{ value: root, parent: -1, key: 'body' }];
  const pathOf = (i: number): string => {
    const keys: string[] = [];
    for (let n = i; n >= 0; n = nodes[n].parent) keys.push(nodes[n].key);
    return keys.reverse().join('.');
  };
  for (let i = 0; i < nodes.length; i++) {
    const { value } = nodes[i];
    if (typeof value === 'string') {
      const what = badText(value);
      if (what) return { path: pathOf(i), what };
    } else if (Array.isArray(value)) {
      value.forEach((v, k) => nodes.push({ value: v, parent: i, key: String(k) }));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        nodes.push({ value: v, parent: i, key: k });
        const what = badText(k);
        if (what) return { path: pathOf(nodes.length - 1), what };
      }
    }
  }
  return null;
}

function checkAccess(access: Access, session: Session | null): void {
  if (access === 'public') return;
  if (!session) throw unauthorized();
  if (access !== 'session' && !can(session.role, access)) throw forbidden();
}

/** The request's media type without parameters, lower-cased ('' when absent). */
export function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

function checkMediaType(kind: BodyKind, req: IncomingMessage): void {
  const accepted = BODY_TYPES[kind];
  if (accepted.includes(mediaTypeOf(req)) || (kind === 'tracker' && mediaTypeOf(req) === '')) return;
  // Browsers cannot send these types cross-site without a preflight, so this also stops form-based CSRF.
  throw new DomainError('unsupported_media', 'unsupported_media_type', `请求体须为 ${accepted.join('、')}`);
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendText(res, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

/** An answer already written out: a JSON text, or another protocol's (Open311's XML). */
export function sendText(res: ServerResponse, status: number, type: string, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

const MAX_BODY = 1024 * 1024;

/** A body past its limit; the limit bounds how much of the rest is read and dropped. */
class TooLarge extends DomainError {
  constructor(readonly maxBytes: number) {
    super('too_large', 'too_large', `请求体超过上限 ${maxBytes} 字节（${formatBytes(maxBytes)}）`);
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KB` : `${n} B`;
}

/** How much of a refused body is read and dropped, at most, before the connection is cut anyway. */
export const DRAIN_FACTOR = 8;
export const DRAIN_MIN_BYTES = 16 * 1024 * 1024;
export const DRAIN_MS = 15_000;

/**
 * Answers 413 and closes the connection only once the client has finished sending. Ending the
 * answer at once would close the socket while the client's bytes still arrive; the kernel then
 * answers them with a reset, and the reset can reach the client before it has read our 413 (a
 * streaming client saw ECONNRESET, issue 11). So the whole answer is written but not ended, the
 * rest of the body is read and dropped, and then the answer ends, which closes the connection.
 * A client sending far beyond the limit, or too slowly, is cut off after all.
 */
function refuseRest(req: IncomingMessage, res: ServerResponse, answer: ErrorAnswer, body: { type: string; text: string }, maxBytes: number): void {
  const json = body.text;
  res.writeHead(answer.status, {
    'content-type': body.type,
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(json),
    ...answer.headers,
    // Whatever is left of the body is not a request: the connection cannot be reused.
    connection: 'close',
  });
  res.write(json);
  if (req.complete || req.destroyed) return void res.end();
  const bound = Math.max(DRAIN_FACTOR * maxBytes, DRAIN_MIN_BYTES);
  let dropped = 0;
  const finish = () => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', finish);
    req.off('error', finish);
    req.off('close', finish);
    if (!res.writableEnded) res.end();
  };
  const onData = (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > bound) finish();
  };
  const timer = setTimeout(finish, DRAIN_MS);
  timer.unref();
  req.on('data', onData);
  req.on('end', finish);
  req.on('error', finish);
  req.on('close', finish);
  req.resume();
}

/**
 * Reads the whole body, refusing it with 413 as soon as it passes `maxBytes` (before reading
 * anything when Content-Length already says so), so an oversized upload never sits in memory.
 * The router's answer to the 413 reads and drops the rest (refuseRest).
 */
export function readRaw(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(new TooLarge(maxBytes));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        done();
        chunks.length = 0;
        // Dropped as it comes, not destroyed: destroying the request would take the socket and our 413 with it.
        req.resume();
        reject(new TooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** Reads and validates a JSON body; the error names the field at fault. */
export async function readBody<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.infer<S>> {
  const raw = await readRaw(req, MAX_BODY);
  const text = raw.toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new DomainError('invalid', 'invalid_json', '请求体不是有效的 JSON');
  }
  // JSON can only carry these escaped (UTF-8 has no bytes for either), so a body without such an escape needs no walk.
  const bad = /\\u(0000|[dD][89a-fA-F])/.test(text) ? unstorableIn(data) : null;
  if (bad) throw unstorable(bad.path, bad.what);
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw invalid(parsed.error);
  return parsed.data;
}

/**
 * Reads a form body (application/x-www-form-urlencoded, UTF-8), refusing it past `maxBytes` (413)
 * and refusing a NUL in any name or value as readQuery does; `+` and percent escapes are decoded.
 */
export async function readForm(req: IncomingMessage, maxBytes: number): Promise<URLSearchParams> {
  const form = new URLSearchParams((await readRaw(req, maxBytes)).toString('utf8'));
  for (const [k, v] of form) {
    const what = badText(k) ?? badText(v);
    if (what) throw unstorable(`body.${k.replace(/\u0000/g, '\\u0000').slice(0, 100)}`, what);
  }
  return form;
}

export function readQuery<S extends z.ZodType>(url: URL, schema: S): z.infer<S> {
  for (const [k, v] of url.searchParams) if (k.includes('\u0000') || v.includes('\u0000')) throw hasNul(`query.${k.replace(/\u0000/g, '\\u0000')}`);
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw invalid(parsed.error, 'query');
  return parsed.data;
}

const PATH_ID = z.coerce.number().int().positive();
/** A positive integer id from the path (`:id` by default), or 400 naming params.<name>. `max`: the column's range (int4 tables). */
export function pathId(ctx: Ctx, { name = 'id', max = Number.MAX_SAFE_INTEGER, what = '编号' }: { name?: string; max?: number; what?: string } = {}): number {
  const parsed = PATH_ID.max(max).safeParse(ctx.params[name]);
  if (!parsed.success) throw new DomainError('invalid', 'invalid', `${what}无效`, [{ path: `params.${name}`, message: '须为正整数' }]);
  return parsed.data;
}
