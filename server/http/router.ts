import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { can, type Permission } from '@/lib/roles';
import type { Session } from '../auth/session';
import { HttpError, forbidden, invalid, unauthorized } from './errors';

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
export type BodyKind = 'json' | 'csv' | 'image' | 'sheet';

export interface RouteOptions {
  body?: BodyKind;
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
};

interface Route {
  method: string;
  path: string;
  pattern: RegExp;
  keys: string[];
  access: Access;
  body: BodyKind;
  handler: Handler;
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
    const pattern = new RegExp(
      `^${path.replace(/:(\w+)/g, (_, k: string) => (keys.push(k), '([^/]+)'))}$`,
    );
    // A mutating route open to everyone is a mistake unless it is deliberately public (login).
    if (MUTATING.has(method) && access === 'session' ) throw new Error(`${method} ${path}: mutating routes name a permission`);
    this.routes.push({ method, path, pattern, keys, access, body: options.body ?? 'json', handler });
    return this;
  }

  /** Every route as registered: the access-matrix test holds each against its expected answers. */
  list(): { method: string; path: string; access: Access }[] {
    return this.routes.map((r) => ({ method: r.method, path: r.path, access: r.access }));
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
      if (!route) throw new HttpError(405, 'method_not_allowed', `不支持的方法 ${ctx.req.method}`);
      const m = route.pattern.exec(ctx.url.pathname)!;
      const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeParam(k, m[i + 1])]));
      checkAccess(route.access, ctx.session);
      if (MUTATING.has(route.method)) checkMediaType(route.body, ctx.req);
      const reply = await route.handler({ ...ctx, params });
      if (reply) send(ctx.res, reply.status ?? 200, reply.body, reply.headers);
    } catch (err) {
      if (err instanceof HttpError) {
        // The client may still be sending the rest of an oversized body: do not reuse the connection.
        send(ctx.res, err.status, { error: err.code, message: err.message, issues: err.issues }, { ...err.headers, ...(err.status === 413 ? { connection: 'close' } : {}) });
      } else if (isPgError(err, '23505')) {
        // Two requests raced past our own check for a duplicate: the database's unique index decided.
        // Logged, so a missing check of ours shows up as more than a client's 409.
        console.warn(`[http] ${ctx.req.method} ${ctx.url.pathname}: unique violation on ${(err as { constraint?: string }).constraint ?? '?'}`);
        send(ctx.res, 409, { error: 'duplicate', message: '与已有记录重复（编码、用户名等须唯一）' });
      } else if (isPgError(err, '22003')) {
        console.warn(`[http] ${ctx.req.method} ${ctx.url.pathname}: number out of range`);
        send(ctx.res, 400, { error: 'invalid', message: '数值超出范围' });
      } else {
        console.error(`[http] ${ctx.req.method} ${ctx.url.pathname}:`, err);
        if (!ctx.res.headersSent) send(ctx.res, 500, { error: 'internal', message: '服务器内部错误' });
      }
    }
    return true;
  }
}

/** A PostgreSQL error of this SQLSTATE (node-postgres puts it in `code`). */
function isPgError(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

/** A malformed escape such as %E0 is the client's mistake, not a server error. */
function decodeParam(key: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, 'invalid', `路径参数 ${key} 的编码无效`, [{ path: `params.${key}`, message: '百分号编码无效' }]);
  }
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
  if (accepted.includes(mediaTypeOf(req))) return;
  // Browsers cannot send these types cross-site without a preflight, so this also stops form-based CSRF.
  throw new HttpError(415, 'unsupported_media_type', `请求体须为 ${accepted.join('、')}`);
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(json),
    ...headers,
  });
  res.end(json);
}

const MAX_BODY = 1024 * 1024;

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, 'too_large', `请求体超过上限 ${maxBytes} 字节（${formatBytes(maxBytes)}）`);
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KB` : `${n} B`;
}

/**
 * Reads the whole body, refusing it with 413 as soon as it passes `maxBytes` (before reading
 * anything when Content-Length already says so), so an oversized upload never sits in memory.
 */
export function readRaw(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    // Left unread, Node drains it after our answer; the 413 closes the connection.
    return Promise.reject(tooLarge(maxBytes));
  }
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
        // Keep discarding rather than destroying the request: destroying it would take the socket
        // with it, and the client would never see the 413. The server's requestTimeout bounds this.
        req.resume();
        reject(tooLarge(maxBytes));
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
  let data: unknown;
  try {
    data = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', '请求体不是有效的 JSON');
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw invalid(parsed.error);
  return parsed.data;
}

export function readQuery<S extends z.ZodType>(url: URL, schema: S): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw invalid(parsed.error, 'query');
  return parsed.data;
}
