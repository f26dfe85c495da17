import { Server, request, type ClientRequest } from 'node:http';
import { connect as tcp } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { io as connect } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../config';
import { login } from '../test/login';
import { startStack, type Stack } from '../test/stack';
import { drainHttp, isShuttingDown, markShuttingDown } from './shutdown';

const stacks: Stack[] = [];
afterAll(() => Promise.all(stacks.map((s) => s.close())));

async function stack(): Promise<Stack> {
  const s = await startStack(`shutdown:${process.pid}:${stacks.length}:`);
  stacks.push(s);
  return s;
}

/** The stack's HTTP server, as Socket.IO holds it. */
function httpOf(s: Stack): Server {
  const server = s.io.io.httpServer;
  if (!(server instanceof Server)) throw new Error('the stack serves plain HTTP');
  return server;
}

/** A login whose headers and first half of the body are sent now; `finish()` sends the rest. */
function halfSentLogin(url: string): { finish(): void; answer: Promise<number> } {
  const body = JSON.stringify({ username: 'admin', password: DEMO_PASSWORD });
  const { port } = new URL(url);
  const req: ClientRequest = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answer = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => (res.resume(), res.on('end', () => resolve(res.statusCode ?? 0))));
    req.on('error', reject);
  });
  req.write(body.slice(0, 10));
  return { finish: () => req.end(body.slice(10)), answer };
}

function refused(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = tcp(Number(port), '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}

describe('graceful shutdown (issue 11)', () => {
  it('refuses new connections, moves sockets away and lets a request under way finish', async () => {
    const s = await stack();
    const socket = connect(`${s.url}/live`, { transports: ['websocket'], extraHeaders: { cookie: await login(s.url, 'admin') }, reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    const inFlight = halfSentLogin(s.url);
    await sleep(200);

    markShuttingDown(s.app);
    expect(isShuttingDown(s.app)).toBe(true);
    const drained = drainHttp(httpOf(s), s.io, 5000);

    expect(await refused(s.url)).toBe(true);
    // A transport failure, which a client retries (through the balancer, elsewhere); not
    // 'io server disconnect', which tells a client to stay away.
    expect(await disconnected).toBe('transport close');
    inFlight.finish();
    expect(await inFlight.answer).toBe(200);
    expect(await drained).toBe(true);
  });

  it('cuts a request still open at the deadline', async () => {
    const s = await stack();
    const stuck = halfSentLogin(s.url);
    await sleep(200);
    const started = performance.now();
    expect(await drainHttp(httpOf(s), s.io, 300)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
    await expect(stuck.answer).rejects.toThrow();
  });
});
