import { io as connect, type Socket } from 'socket.io-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import { login, withTestServer } from '../test/server';

const ts = withTestServer(`guard:${process.pid}:`);

function open(ns: string, headers: Record<string, string>): Socket {
  const s = connect(`${ts.url}${ns}`, { transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
  onTestFinished(() => void s.close());
  return s;
}
const outcome = (s: Socket) => new Promise<string>((resolve) => (s.once('connect', () => resolve('connected')), s.once('connect_error', (e) => resolve(e.message))));

describe('socket hardening (issue 10)', () => {
  it('refuses a handshake from another site’s page, even with a valid cookie', async () => {
    const cookie = await login(ts.url, 'deputy');
    expect(await outcome(open('/live', { cookie, origin: 'http://evil.example' }))).not.toBe('connected');
    expect(await outcome(open('/live', { cookie, origin: new URL(ts.url).origin }))).toBe('connected');
  });

  it('answers a client sending in a loop with refusals, not with work', async () => {
    const s = open('/live', { cookie: await login(ts.url, 'deputy') });
    expect(await outcome(s)).toBe('connected');
    const refused: string[] = [];
    s.on('refused', (r: { reason: string }) => refused.push(r.reason));
    const answers = await Promise.all(Array.from({ length: 100 }, () => s.timeout(2000).emitWithAck('snapshot').then(() => 'answered', () => 'dropped')));
    expect(answers.filter((a) => a === 'answered').length).toBeLessThanOrEqual(45);
    expect(refused).toContain('rate_limited');
  });

  it('refuses a position batch over 1,000 at once', async () => {
    const s = open('/field', { cookie: await login(ts.url, 'gridder') });
    expect(await outcome(s)).toBe('connected');
    const reply = await s.emitWithAck('pos', Array.from({ length: 1001 }, () => ({})));
    expect(reply).toMatchObject({ accepted: 0, rejected: [{ reason: 'malformed', message: 'at most 1000 positions per batch' }] });
  });
});
