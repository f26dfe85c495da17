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

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  access: Access;
  handler: (ctx: Ctx) => Promise<Reply>;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class Router {
  private routes: Route[] = [];

  add(method: string, path: string, access: Access, handler: (ctx: Ctx) => Promise<Reply>): this {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/:(\w+)/g, (_, k: string) => (keys.push(k), '([^/]+)'))}$`,
    );
    // A mutating route open to everyone is a mistake unless it is deliberately public (login).
    if (MUTATING.has(method) && access === 'session' ) throw new Error(`${method} ${path}: mutating routes name a permission`);
    this.routes.push({ method, pattern, keys, access, handler });
    return this;
  }

  /** Handles the request when a route matches its path; returns false to let the caller go on. */
  async handle(ctx: Omit<Ctx, 'params'>): Promise<boolean> {
    const byPath = this.routes.filter((r) => r.pattern.test(ctx.url.pathname));
    if (byPath.length === 0) return false;
    const route = byPath.find((r) => r.method === ctx.req.method);
    try {
      if (!route) throw new HttpError(405, 'method_not_allowed', `不支持的方法 ${ctx.req.method}`);
      const m = route.pattern.exec(ctx.url.pathname)!;
      const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])]));
      checkAccess(route.access, ctx.session);
      if (MUTATING.has(route.method) && !isJson(ctx.req))
        // Browsers cannot send JSON cross-site without a preflight, so this also stops form-based CSRF.
        throw new HttpError(415, 'unsupported_media_type', '请求体须为 application/json');
      const reply = await route.handler({ ...ctx, params });
      if (reply) send(ctx.res, reply.status ?? 200, reply.body, reply.headers);
    } catch (err) {
      if (err instanceof HttpError) {
        send(ctx.res, err.status, { error: err.code, message: err.message, issues: err.issues });
      } else {
        console.error(`[http] ${ctx.req.method} ${ctx.url.pathname}:`, err);
        if (!ctx.res.headersSent) send(ctx.res, 500, { error: 'internal', message: '服务器内部错误' });
      }
    }
    return true;
  }
}

function checkAccess(access: Access, session: Session | null): void {
  if (access === 'public') return;
  if (!session) throw unauthorized();
  if (access !== 'session' && !can(session.role, access)) throw forbidden();
}

function isJson(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0].trim() === 'application/json';
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

/** Reads and validates a JSON body; the error names the field at fault. */
export async function readBody<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.infer<S>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'too_large', `请求体超过 ${MAX_BODY} 字节`);
    chunks.push(chunk as Buffer);
  }
  let data: unknown;
  try {
    data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
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
