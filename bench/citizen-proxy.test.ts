import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffImage } from '@/lib/media/sniff';
import { stripMetadata } from '@/lib/media/strip';
import { benchJpeg } from './citizen-jpeg';
import { ThrottlingProxy } from './citizen-proxy';

describe("bench:citizen's photos", () => {
  it('are JPEGs the server takes: sniffed as such, their metadata stripped, the scan kept', () => {
    const photo = benchJpeg(7, 200_000);
    expect(photo.length).toBeGreaterThanOrEqual(200_000);
    expect(photo.length).toBeLessThan(201_000);
    expect(sniffImage(photo)).toBe('image/jpeg');
    const stripped = stripMetadata(photo, 'image/jpeg');
    expect(stripped.ok).toBe(true);
    if (!stripped.ok) return;
    expect(Buffer.from(stripped.bytes).includes('bench resident 7')).toBe(false);
    expect(Buffer.from(stripped.bytes).includes('Exif')).toBe(false);
    expect(stripped.bytes.length).toBeGreaterThan(photo.length - 200);
  });

  it('are the same for the same seed and differ between residents', () => {
    expect(benchJpeg(1, 1000).equals(benchJpeg(1, 1000))).toBe(true);
    expect(benchJpeg(1, 1000).equals(benchJpeg(2, 1000))).toBe(false);
  });
});

describe("bench:citizen's slow network", () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let n = 0;
      req.on('data', (c: Buffer) => (n += c.length));
      req.on('end', () => res.end(JSON.stringify({ received: n })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (via: number, path: string, bytes: number) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: via, method: 'POST', path, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('aborted', () => reject(new Error('answer cut')));
      });
      req.on('error', reject);
      req.end(Buffer.alloc(bytes, 1));
    });

  it('takes a round trip and the bandwidth: 40 KB up at 400 kbit/s is ~0.8 s more', async () => {
    const proxy = new ThrottlingProxy({ host: '127.0.0.1', port }, { rttMs: 200, kbitPerSecond: 400, dropRate: 0, dropPath: '/x' });
    const via = await proxy.listen();
    try {
      const t0 = performance.now();
      const a = await post(via, '/upload', 40_000);
      const ms = performance.now() - t0;
      expect(JSON.parse(a.body)).toEqual({ received: 40_000 });
      // Connect (one RTT) + request and answer (one more) + 40 KB at 50 KB/s.
      expect(ms).toBeGreaterThan(800 + 300);
      expect(ms).toBeLessThan(800 + 2000);
    } finally {
      await proxy.close();
    }
  });

  it('cuts the answer to a report (after the server has it), and only that', async () => {
    const proxy = new ThrottlingProxy({ host: '127.0.0.1', port }, { rttMs: 20, kbitPerSecond: 10_000, dropRate: 1, dropPath: '/api/v1/citizen/requests' });
    const via = await proxy.listen();
    try {
      await expect(post(via, '/api/v1/citizen/requests', 100)).rejects.toThrow();
      expect(proxy.stats.dropped).toBe(1);
      expect((await post(via, '/api/v1/citizen/photos', 100)).status).toBe(200);
      expect(proxy.stats.dropped).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});
