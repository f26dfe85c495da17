import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError, Unavailable } from '../errors';
import { withTestServer } from '../test/server';
import { TEST_DATABASE_URL } from '../test/env';
import { DRAIN_FACTOR, DRAIN_MIN_BYTES, errorAnswer, isConnectionFailure, readBody, readQuery, readRaw, Router } from './router';

const pgError = (code: string, message = 'terminating connection due to administrator command') => Object.assign(new Error(message), { code });

describe('errorAnswer: one status per kind of error', () => {
  it('answers a client error as it says', () => {
    const a = errorAnswer(new DomainError('unprocessable', 'unknown_category', '未知类别', [{ path: 'body.category', message: '未知' }], { 'x-a': '1' }));
    expect(a).toMatchObject({ status: 422, body: { error: 'unknown_category', message: '未知类别', issues: [{ path: 'body.category' }] }, headers: { 'x-a': '1' }, log: 'none' });
  });

  it('answers Unavailable with 503 and its Retry-After', () => {
    const a = errorAnswer(new Unavailable('redis', 'redis down', 7));
    expect(a.status).toBe(503);
    expect(a.headers).toEqual({ 'retry-after': '7' });
    expect(a.body.error).toBe('unavailable');
    expect(a.body.message).toMatch(/7 秒后重试/);
    // The client is told to retry, never which service or why: that is for the log.
    expect(a.body.message).not.toMatch(/redis/i);
    expect(errorAnswer(new Unavailable('postgres', 'x', 0.2)).headers).toEqual({ 'retry-after': '1' });
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006'])(
    'answers a lost database (%s) with 503 and Retry-After, never 500',
    (code) => {
      const a = errorAnswer(pgError(code));
      expect(a.status).toBe(503);
      expect(a.body).toEqual({ error: 'unavailable', message: expect.stringMatching(/数据库/) });
      expect(Number(a.headers?.['retry-after'])).toBeGreaterThan(0);
    },
  );

  it.each(['timeout exceeded when trying to connect', 'Connection terminated unexpectedly', 'Connection terminated due to connection timeout'])(
    'answers node-postgres’ "%s" with 503',
    (message) => expect(errorAnswer(new Error(message)).status).toBe(503),
  );

  it('answers data the database cannot hold with 400, not 500', () => {
    for (const code of ['22003', '22007', '22008', '22009', '22021', '22P05']) expect(errorAnswer(pgError(code, 'x')), code).toMatchObject({ status: 400, body: { error: 'invalid' }, log: 'warn' });
  });

  it('keeps the other database errors where they were', () => {
    expect(errorAnswer(Object.assign(pgError('23505', 'duplicate key'), { constraint: 'units_code_key' }))).toMatchObject({ status: 409, body: { error: 'duplicate' } });
    expect(errorAnswer(pgError('22003', 'out of range'))).toMatchObject({ status: 400, body: { error: 'invalid' } });
    // A syntax error or a missing table is ours: 500, logged loudly.
    expect(errorAnswer(pgError('42P01', 'relation does not exist'))).toMatchObject({ status: 500, log: 'error' });
    expect(errorAnswer(new Error('boom')).status).toBe(500);
    expect(errorAnswer('thrown string').status).toBe(500);
    expect(errorAnswer({ code: 'ECONNREFUSED' }).status).toBe(500);
    expect(isConnectionFailure(new Error('Connection terminated because of reasons'))).toBe(false);
  });

  it('recognises what a real pool says when the server is not there or has no connection to give', async () => {
    const nowhere = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', max: 1, connectionTimeoutMillis: 2000 });
    const refused = await nowhere.query('SELECT 1').catch((e: unknown) => e);
    await nowhere.end();
    expect(errorAnswer(refused).status).toBe(503);

    const busy = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1, connectionTimeoutMillis: 100 });
    const held = await busy.connect();
    const timedOut = await busy.query('SELECT 1').catch((e: unknown) => e);
    held.release();
    await busy.end();
    expect((timedOut as Error).message).toBe('timeout exceeded when trying to connect');
    expect(errorAnswer(timedOut).status).toBe(503);
  });
});

interface Outcome {
  status?: number;
  headers?: IncomingHttpHeaders;
  body?: string;
  error?: string;
  sent: number;
}

/**
 * A client that is still sending when the answer comes: `total` bytes in 64 KB chunks, waiting for
 * the socket to drain between them, with or without declaring the length up front.
 */
function upload(url: string, path: string, headers: Record<string, string>, total: number, declare: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const out: Outcome = { sent: 0 };
    let responded = false;
    let closed = false;
    const settle = () => responded && closed && resolve(out);
    const req = request(`${url}${path}`, { method: 'POST', headers: { ...headers, ...(declare ? { 'content-length': String(total) } : {}) } });
    req.on('response', (res) => {
      out.status = res.statusCode;
      out.headers = res.headers;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        out.body = body;
        responded = true;
        settle();
      });
    });
    req.on('error', (e) => {
      out.error = e.message;
      responded = true;
      settle();
    });
    req.on('close', () => {
      closed = true;
      settle();
    });
    const pump = () => {
      while (out.sent < total) {
        const part = chunk.subarray(0, Math.min(chunk.length, total - out.sent));
        out.sent += part.length;
        if (!req.write(part)) return void req.once('drain', () => setImmediate(pump));
      }
      req.end();
    };
    pump();
  });
}

/**
 * The same from a client that sends every byte whatever it hears (Node's own client stops writing
 * once it has read a `connection: close` answer): the framing is written by hand.
 */
function rawUpload(url: string, path: string, headers: Record<string, string>, total: number, chunked: boolean): Promise<{ answer: string; error?: string; sent: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const out: { answer: string; error?: string; sent: number } = { answer: '', sent: 0 };
    const head = [`POST ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${total}`];
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (out.answer += d));
    socket.on('error', (e) => (out.error = e.message));
    socket.on('close', () => resolve(out));
    const frame = (b: Buffer) => (chunked ? Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]) : b);
    const pump = () => {
      while (out.sent < total) {
        const part = chunk.subarray(0, Math.min(chunk.length, total - out.sent));
        out.sent += part.length;
        if (!socket.write(frame(part))) return void socket.once('drain', () => setImmediate(pump));
      }
      socket.end(chunked ? '0\r\n\r\n' : '');
    };
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
    pump();
  });
}

describe('a body over the limit (issue 11: 5 MB to /api/v1/positions was answered by a reset)', () => {
  const ts = withTestServer(`router:${process.pid}:`);
  const device = { authorization: 'Bearer demo-device-token', 'content-type': 'application/json' };

  it.each([
    ['streamed (chunked)', false],
    ['with its length declared', true],
  ])('is answered 413 with connection: close while the client is still sending, %s', async (_name, declare) => {
    const total = 5 * 1024 * 1024;
    const r = await upload(ts.url, '/api/v1/positions', device, total, declare);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(413);
    expect(r.headers?.connection).toBe('close');
    expect(JSON.parse(r.body ?? '{}')).toMatchObject({ error: 'too_large' });
    expect((await fetch(`${ts.url}/healthz`)).status).toBe(200);
  });

  it.each([
    ['chunked', true],
    ['with Content-Length', false],
  ])('reads and drops the rest of the body before closing, so a client that sends it all gets the 413 (%s)', async (_name, chunked) => {
    const total = 5 * 1024 * 1024;
    const r = await rawUpload(ts.url, '/api/v1/positions', device, total, chunked);
    expect(r.error).toBeUndefined();
    expect(r.sent).toBe(total);
    expect(r.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(r.answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(r.answer).toContain('"error":"too_large"');
  });
});

describe('the router on a bare server', () => {
  let server: Server;
  let url = '';
  const router = new Router()
    .add('GET', '/unavailable', 'public', async () => {
      throw new Unavailable('redis', 'bus down', 3);
    })
    .add('GET', '/db-down', 'public', async () => {
      throw pgError('57P01');
    })
    .add('POST', '/small', 'public', async ({ req }) => ({ body: { n: (await readRaw(req, 1024)).length } }))
    .add('POST', '/json', 'public', async ({ req }) => ({ body: await readBody(req, z.object({ a: z.number() })) }))
    .add('POST', '/any', 'public', async ({ req }) => ({ body: { ok: (await readBody(req, z.unknown())) !== undefined } }))
    .add('GET', '/q/:code', 'public', async ({ url, params }) => ({ body: { code: params.code, q: readQuery(url, z.object({ s: z.string().optional() })) } }));

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      void router.handle({ req, res, url, session: null, ip: '127.0.0.1' }).then((handled) => handled || void res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers Unavailable and a lost database with 503, Retry-After and a Chinese message', async () => {
    for (const [path, retry] of [['/unavailable', '3'], ['/db-down', '5']]) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe(retry);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe('unavailable');
      expect(body.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('refuses NUL and lone surrogates wherever they come, before the database can fail on them', async () => {
    const post = (body: string) => fetch(`${url}/any`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as { issues?: { path: string }[] } }));
    expect(await post('{"a":["x","y\\u0000"]}')).toMatchObject({ status: 400, body: { issues: [{ path: 'body.a.1' }] } });
    expect(await post('{"k\\u0000":1}')).toMatchObject({ status: 400, body: { issues: [{ path: 'body.k\u0000' }] } });
    // An escaped backslash before u0000 is no NUL.
    expect((await post('{"a":"\\\\u0000"}')).status).toBe(200);
    // Half a surrogate pair is no text (jsonb refuses it); a whole pair is an emoji.
    expect(await post('{"a":{"b":"x\\ud800"}}')).toMatchObject({ status: 400, body: { issues: [{ path: 'body.a.b' }] } });
    expect(await post('{"a":"\\udc00y"}')).toMatchObject({ status: 400, body: { issues: [{ path: 'body.a' }] } });
    expect(await post('{"\\udbff":1}')).toMatchObject({ status: 400, body: { issues: [{ path: 'body.\udbff' }] } });
    expect((await post('{"a":"\\ud83d\\udca5 \\uD83D\\uDCA5"}')).status).toBe(200);
    // Half a million levels deep: found without recursion, and the path in the answer is cut short.
    const deep = await post(`${'['.repeat(400_000)}"\\u0000"${']'.repeat(400_000)}`);
    expect(deep.status).toBe(400);
    expect(deep.body.issues?.[0].path.length).toBeLessThan(210);
    expect((await post(`${'['.repeat(400_000)}${']'.repeat(400_000)}`)).status).toBe(200);
    expect((await fetch(`${url}/q/a%00b`)).status).toBe(400);
    expect((await fetch(`${url}/q/a?s=%00`)).status).toBe(400);
    expect((await fetch(`${url}/q/a?%00=1`)).status).toBe(400);
    expect(await (await fetch(`${url}/q/a%20b?s=%E4%B8%AD`)).json()).toEqual({ code: 'a b', q: { s: '中' } });
  });

  it('names the methods a path takes on 405', async () => {
    const res = await fetch(`${url}/unavailable`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('still reads a body within the limit, and answers a small refused one at once', async () => {
    expect(await (await fetch(`${url}/small`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1024) })).json()).toEqual({ n: 1024 });
    const over = await fetch(`${url}/small`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1025) });
    expect(over.status).toBe(413);
    expect(over.headers.get('connection')).toBe('close');
    expect(await (await fetch(`${url}/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })).json()).toEqual({ a: 1 });
  });

  it('drains a streamed oversized body, but not without bound', async () => {
    const json = { 'content-type': 'application/json' };
    const within = await rawUpload(url, '/small', json, 4 * 1024 * 1024, true);
    expect(within).toMatchObject({ sent: 4 * 1024 * 1024, answer: expect.stringMatching(/^HTTP\/1\.1 413 /) });
    expect(within.error).toBeUndefined();
    // Far past the bound the server stops reading and closes: the client is cut off mid-send, and the server goes on.
    const bound = Math.max(DRAIN_FACTOR * 1024, DRAIN_MIN_BYTES);
    const beyond = await rawUpload(url, '/small', json, bound + 16 * 1024 * 1024, true);
    expect(beyond.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(beyond.error).toBeDefined();
    expect((await fetch(`${url}/json`, { method: 'POST', headers: json, body: '{"a":2}' })).status).toBe(200);
  });
});
