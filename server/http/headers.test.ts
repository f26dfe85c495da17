import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from './headers';
import { clientIp } from './server';
import { withTestServer } from '../test/server';

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

function headersOf(opts: { secure: boolean; dev: boolean }): Record<string, string> {
  const set: Record<string, string> = {};
  securityHeaders({ setHeader: (k: string, v: string) => void (set[k] = v) } as unknown as ServerResponse, opts);
  return set;
}

describe('security headers (issue 10)', () => {
  it('forbids framing, plugins and other hosts, and evaluates strings only in development', () => {
    const prod = directives(contentSecurityPolicy(false));
    expect(prod.get('frame-ancestors')).toEqual(["'none'"]);
    expect(prod.get('object-src')).toEqual(["'none'"]);
    expect(prod.get('default-src')).toEqual(["'self'"]);
    expect(prod.get('connect-src')).toEqual(["'self'"]);
    expect(prod.get('worker-src')).toEqual(["'self'"]);
    expect(prod.get('script-src')).not.toContain("'unsafe-eval'");
    expect(directives(contentSecurityPolicy(true)).get('script-src')).toContain("'unsafe-eval'");
    // Air-gapped: no source names a host or a whole scheme beyond blob:/data: images.
    for (const [name, values] of prod) {
      for (const v of values) expect(`${name} ${v}`).toMatch(/ ('[a-z-]+'|blob:|data:)$/);
    }
  });

  it('opens a configured XYZ basemap\'s origin to tiles only, and nothing for PMTiles (served by us) or none (issue 13)', () => {
    const xyz = directives(contentSecurityPolicy(false, { kind: 'xyz', url: 'https://t0.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}', origin: 'https://t0.tianditu.gov.cn', datum: 'cgcs2000', attribution: '天地图' }));
    expect(xyz.get('connect-src')).toEqual(["'self'", 'https://t0.tianditu.gov.cn']);
    expect(xyz.get('img-src')).toEqual(["'self'", 'blob:', 'data:', 'https://t0.tianditu.gov.cn']);
    for (const [name, values] of xyz) if (name !== 'connect-src' && name !== 'img-src') expect(values.join(' '), name).not.toContain('tianditu');
    const pmtiles = contentSecurityPolicy(false, { kind: 'pmtiles', file: 'a.pmtiles', datum: 'wgs84', attribution: 'a' });
    expect(pmtiles).toBe(contentSecurityPolicy(false));
    expect(contentSecurityPolicy(false, { kind: 'none' })).toBe(contentSecurityPolicy(false));
  });

  it('sets the rest of the list, and HSTS only where cookies are Secure', () => {
    const plain = headersOf({ secure: false, dev: false });
    expect(plain).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
    });
    expect(plain['permissions-policy']).toContain('geolocation=(self)');
    expect(plain['strict-transport-security']).toBeUndefined();
    expect(headersOf({ secure: true, dev: false })['strict-transport-security']).toMatch(/max-age=\d{7,}/);
  });
});

describe('security headers on the wire', () => {
  const ts = withTestServer();

  it.each([
    ['an API answer', '/healthz', 200],
    ['an API error', '/api/v1/events', 401],
    ['a page redirect', '/console', 302],
    ['a page (handed to Next.js)', '/login', 404],
  ])('are on %s', async (_what, path, status) => {
    const res = await fetch(`${ts.url}${path}`, { redirect: 'manual' });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('the client address (issue 10: throttling and the audit log need the real one)', () => {
  const req = (peer: string, forwarded?: string) =>
    ({ socket: { remoteAddress: peer }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as IncomingMessage;

  it('ignores X-Forwarded-For from anyone but a trusted proxy, and takes the address that proxy appended', () => {
    expect(clientIp(req('203.0.113.9', '1.2.3.4'), [])).toBe('203.0.113.9');
    expect(clientIp(req('::ffff:10.0.0.2', 'spoofed, 198.51.100.7'), ['10.0.0.2'])).toBe('198.51.100.7');
    expect(clientIp(req('10.0.0.2'), ['10.0.0.2'])).toBe('10.0.0.2');
    expect(clientIp(req('10.0.0.3', '198.51.100.7'), ['10.0.0.2'])).toBe('10.0.0.3');
  });
});

describe('a request target the URL parser refuses (issue 11, found by the fuzzer)', () => {
  const served = withTestServer();
  it('is answered 400, not 500', async () => {
    const { connect } = await import('node:net');
    const { port } = new URL(served.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const s = connect(Number(port), '127.0.0.1', () => s.end('GET //[ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'));
      let got = '';
      s.on('data', (d) => (got += d.toString()));
      s.on('end', () => resolve(got));
      s.on('error', reject);
    });
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(answer).toContain('invalid_target');
  });
});
